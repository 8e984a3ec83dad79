"""The addresses the working pages had before they moved under /workspace/, and the
permanent redirects that keep links in e-mails already sent working.

The old addresses are a URL configuration of their own (`urlpatterns` below), consulted
only when a request would otherwise answer 404 (`MovedPagesMiddleware`). Some of them share
their shape with a public page (`/recommendations/ranking/<x>/` was the ranking of group x
and is the public page of recommendation x of a group slugged "ranking"): the public page
is served where it exists, and only its 404 turns into the redirect.
"""

from django.conf.urls.i18n import i18n_patterns
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import NoReverseMatch, Resolver404, path, resolve, reverse


def moved(request: HttpRequest, *, to: str, query: str, **kwargs) -> HttpResponse:
    """301 to the page's address now, with the old address's query string; 308 for a form
    posted to the old address, so that the method and the body go on too."""
    try:
        location = reverse(to, kwargs=kwargs)
    except NoReverseMatch as error:  # a value the page's own pattern refuses
        raise Http404 from error
    if query:
        location = f"{location}?{query}"
    return HttpResponsePermanentRedirect(
        location, preserve_request=request.method not in ("GET", "HEAD")
    )


def _to(route: str, name: str):
    return path(route, moved, {"to": name})


urlpatterns = i18n_patterns(
    _to("recommendations/preview/", "recommendations:preview"),
    _to("recommendations/new/<slug:slug>/", "recommendations:create"),
    _to("recommendations/ranking/<slug:slug>/", "recommendations:ranking"),
    _to("recommendations/<int:pk>/", "recommendations:detail"),
    _to("recommendations/<int:pk>/edit/", "recommendations:edit"),
    _to("recommendations/<int:pk>/editing/", "recommendations:editing"),
    _to("recommendations/<int:pk>/history/", "recommendations:history"),
    _to("recommendations/<int:pk>/diff/", "recommendations:diff"),
    _to("recommendations/<int:pk>/revisions/<int:number>/", "recommendations:revision"),
    _to("recommendations/<int:pk>/revisions/<int:number>/restore/", "recommendations:restore"),
    _to("recommendations/<int:pk>/submit/", "recommendations:submit"),
    _to("recommendations/<int:pk>/publish/", "recommendations:publish"),
    _to("recommendations/<int:pk>/withdraw/", "recommendations:withdraw"),
    _to("recommendations/<int:pk>/versions/<int:version>/", "recommendations:version"),
    _to("recommendations/<int:pk>/versions/<int:version>/outcomes/", "recommendations:outcomes"),
    _to(
        "recommendations/<int:pk>/versions/<int:version>/threads/",
        "recommendations:thread_create",
    ),
    _to("recommendations/<int:pk>/versions/<int:version>/assign/", "recommendations:assign"),
    _to("recommendations/<int:pk>/threads/<int:thread>/", "recommendations:thread"),
    _to("recommendations/<int:pk>/threads/<int:thread>/reply/", "recommendations:reply"),
    _to("recommendations/<int:pk>/threads/<int:thread>/resolve/", "recommendations:resolve"),
    _to("recommendations/<int:pk>/threads/<int:thread>/reopen/", "recommendations:reopen"),
    _to("recommendations/<int:pk>/comments/<int:comment>/edit/", "recommendations:comment_edit"),
    _to(
        "recommendations/assignments/<int:assignment>/<str:action>/",
        "recommendations:assignment_answer",
    ),
    _to("recommendations/<int:pk>/sources/", "synthesis:sources"),
    _to("recommendations/<int:pk>/sources/<int:link>/remove/", "synthesis:unlink"),
    _to("reviews/", "reviews"),
    _to("synthesis/", "synthesis:overview"),
    _to("synthesis/overlaps/", "synthesis:overlaps"),
    _to("synthesis/inputs/", "synthesis:inputs"),
    _to("synthesis/fates/<int:source>/", "synthesis:fate"),
    _to("feedback/<int:pk>/triage/", "feedback:triage"),
    _to("feedback/comments/<int:pk>/<str:action>/", "feedback:moderate"),
    _to("translations/", "translations:table"),
    _to("translations/<int:pk>/<str:language>/", "translations:edit"),
    _to("notifications/", "notices:list"),
    _to("notifications/<int:pk>/open/", "notices:open"),
    _to("notifications/read/", "notices:read_all"),
    _to("notifications/preferences/", "notices:preferences"),
    _to("groups/<slug:slug>/invite/", "groups:invite"),
    prefix_default_language=False,
)


class MovedPagesMiddleware:
    """Turn a 404 at an old address into the redirect to where the page is now.

    After the page was looked for, not before: where an old address is also a public page
    that exists, the public page wins. Runs inside LocaleMiddleware, so the language of the
    old address's prefix is active and the new address gets the same prefix."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # As it came: a public page keeps of the query only what it reads.
        query = request.META.get("QUERY_STRING", "")
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        try:
            match = resolve(request.path_info, urlconf=__name__)
        except Resolver404:
            return response
        try:
            return match.func(request, query=query, **match.kwargs)
        except Http404:
            return response
