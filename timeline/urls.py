from django.urls import path

from . import views

app_name = "timeline"

urlpatterns = [
    path("", views.timeline_index, name="index"),
    path("calendar.ics", views.calendar_feed, name="calendar"),
    path("<slug:slug>/calendar.ics", views.calendar_feed, name="group_calendar"),
]
