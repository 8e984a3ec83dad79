from django.urls import path

from . import views

app_name = "groups"

urlpatterns = [
    path("", views.group_list, name="list"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("<slug:slug>/", views.group_detail, name="detail"),
    path("<slug:slug>/invite/", views.group_invite, name="invite"),
]
