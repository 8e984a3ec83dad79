from django.urls import path

from . import views

app_name = "groups"

# Mounted at the root: accepting an invitation, and inviting (a working page, under
# /workspace/). The groups' own pages are public pages (public/urls.py).
urlpatterns = [
    path("groups/invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
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
