"""The live editor's WebSocket address: one per draft (a recommendation's working copy).
A version is frozen, so none has one."""

from django.urls import path

from recommendations.live.consumers import LiveDraftConsumer

websocket_urlpatterns = [
    path("ws/recommendations/<int:pk>/live/", LiveDraftConsumer.as_asgi()),
]
