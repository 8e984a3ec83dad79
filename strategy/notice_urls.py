from django.urls import path

from .views import notices

app_name = "notices"

urlpatterns = [
    path("", notices.notice_list, name="list"),
    path("<id:pk>/open/", notices.notice_open, name="open"),
    path("read/", notices.notice_read_all, name="read_all"),
    path("preferences/", notices.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", notices.unsubscribe, name="unsubscribe"),
]
