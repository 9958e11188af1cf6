from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("<int:pk>/", views.minutes, name="minutes"),
    path("<int:pk>/minutes.pdf", views.minutes_pdf, name="pdf"),
]
