from django.urls import path

from . import verification, views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("<int:pk>/", views.minutes, name="minutes"),
    path("<int:pk>/minutes.pdf", views.minutes_pdf, name="pdf"),
    path("verify/", verification.verify, name="verify"),
    path("verify/<str:code>/", verification.verify_code, name="verify_code"),
    path("verify/<str:code>/minutes.pdf", verification.verify_pdf, name="verify_pdf"),
]
