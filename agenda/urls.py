from django.urls import path

from . import views

app_name = "agenda"

urlpatterns = [
    path("<int:meeting_pk>/", views.review, name="review"),
    path("<int:meeting_pk>/comment/", views.comment, name="comment"),
    path("comments/<int:pk>/accept/", views.accept, name="accept"),
    path("comments/<int:pk>/decline/", views.decline, name="decline"),
]
