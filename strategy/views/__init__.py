from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from groups import selectors as group_selectors


def home(request: HttpRequest) -> HttpResponse:
    """The process at a glance."""
    groups = group_selectors.group_list()
    return render(request, "home.html", {"groups": groups})


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and the container health check: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
