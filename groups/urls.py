from django.urls import path

from . import views

app_name = "groups"

# Mounted at the root: inviting is a working page (under /workspace/), the rest is public.
urlpatterns = [
    path("groups/", views.group_list, name="list"),
    path("groups/invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("groups/<slug:slug>/", views.group_detail, name="detail"),
    path("workspace/groups/<slug:slug>/invite/", views.group_invite, name="invite"),
    path(
        "workspace/groups/<slug:slug>/invitations/<id:pk>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "workspace/groups/<slug:slug>/invitations/<id:pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
]
