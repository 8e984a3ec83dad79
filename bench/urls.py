"""The site's addresses, plus /bench/baseline: a trivial view behind the same middleware
that returns a small constant page, the ceiling of this stack on this machine."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from strategy.urls import handler404  # noqa: F401
from strategy.urls import urlpatterns as site_urlpatterns

PAGE = (
    "<!doctype html><html lang=en><head><meta charset=utf-8><title>Baseline</title></head>"
    "<body><p>A small constant page.</p></body></html>"
)


def baseline(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PAGE)


urlpatterns = [path("bench/baseline", baseline), *site_urlpatterns]
