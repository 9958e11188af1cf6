from django.urls import path

from . import views

app_name = "agenda"

urlpatterns = [
    path("<int:meeting_pk>/", views.review, name="review"),
]
