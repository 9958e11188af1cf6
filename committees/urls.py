from django.urls import path

from . import views

app_name = "committees"

urlpatterns = [
    path("", views.committee_list, name="list"),
    path("new/", views.committee_new, name="new"),
    path("<slug:slug>/", views.committee_detail, name="detail"),
    path("<slug:slug>/edit/", views.committee_edit, name="edit"),
    path("<slug:slug>/members/add/", views.member_add, name="member_add"),
    path("<slug:slug>/members/<int:pk>/", views.member_detail, name="member"),
    path("<slug:slug>/members/<int:pk>/end/", views.member_end, name="member_end"),
    path("<slug:slug>/members/<int:pk>/role/", views.member_role, name="member_role"),
]
