"""The app's ASGI application for bench/live_editing.py, with one more WebSocket address:
a bare relay, the benchmark's baseline. It passes each message to the other members of
its group through the same channel layer as the live editor, and does nothing else (no
document, no permission check)."""

from channels.auth import AuthMiddlewareStack
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.urls import path

# isort: off
from strategy.asgi import django_application  # sets Django up first
from recommendations.live.routing import websocket_urlpatterns

# isort: on


class RelayConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.group = f"bench-relay-{self.scope['url_route']['kwargs']['pk']}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        await self.channel_layer.group_send(
            self.group,
            {"type": "relay.message", "message": bytes_data, "sender": self.channel_name},
        )

    async def relay_message(self, event):
        if event["sender"] != self.channel_name:
            await self.send(bytes_data=event["message"])


application = ProtocolTypeRouter(
    {
        "http": django_application,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(
                URLRouter(
                    [
                        *websocket_urlpatterns,
                        path("ws/bench/relay/<int:pk>/", RelayConsumer.as_asgi()),
                    ]
                )
            )
        ),
    }
)
