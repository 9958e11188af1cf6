from django.urls import path, re_path

from . import search, setup, tasks, verification, views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("tasks/", tasks.my_tasks, name="tasks"),
    path("search/", search.search, name="search"),
    path("new/", setup.new_meeting, name="new"),
    path("archive/", views.archive_export, name="archive"),
    path("jobs/<uuid:pk>/", views.job, name="job"),
    path("jobs/<uuid:pk>/status.json", views.job_status, name="job_status"),
    path("jobs/<uuid:pk>/result", views.job_result, name="job_result"),
    path("<int:pk>/", views.minutes, name="minutes"),
    path("<int:pk>/minutes.pdf", views.minutes_pdf, name="pdf"),
    # A download ticket (tickets.py) that the middleware did not serve.
    path("files/<str:ticket>.pdf", views.ticket, name="ticket"),
    path("<int:pk>/sign/", views.sign, name="sign"),
    path("<int:pk>/checks/<int:check_pk>/settle/", views.settle_check, name="settle_check"),
    re_path(
        r"^(?P<pk>\d+)/(?P<action>send_for_review|confirm|publish|amend)/$",
        views.transition,
        name="transition",
    ),
    path("verify/", verification.verify, name="verify"),
    path("verify/<str:code>/", verification.verify_code, name="verify_code"),
    # The internal PDF/A-3b, at the address earlier pages linked to.
    path("verify/<str:code>/minutes.pdf", verification.signed_file, name="verify_pdf"),
    re_path(
        r"^verify/(?P<code>[^/]+)/(?P<kind>internal-pdfa3b|internal-pdfa1b|public-pdfa3b)\.pdf$",
        verification.signed_file,
        name="signed_file",
    ),
]
