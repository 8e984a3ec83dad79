from django.urls import path

from .views import notices

app_name = "notices"

# Mounted at the root. One's notifications are working pages, under /workspace/. The
# unsubscribe link stays where e-mails already sent point: anyone holding it may use it,
# signed in or not, and mail clients post to it in one click (RFC 8058), where a redirect
# would not be followed.
urlpatterns = [
    path("workspace/notifications/", notices.notice_list, name="list"),
    path("workspace/notifications/<id:pk>/open/", notices.notice_open, name="open"),
    path("workspace/notifications/read/", notices.notice_read_all, name="read_all"),
    path("workspace/notifications/preferences/", notices.preferences, name="preferences"),
    path("notifications/unsubscribe/<str:token>/", notices.unsubscribe, name="unsubscribe"),
]
