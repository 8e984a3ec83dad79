"""The site's addresses, plus one whose view fails: for the 500 page's test."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from strategy.urls import urlpatterns as site_patterns


def fail(request):
    raise RuntimeError("a failure for the 500 page's test")


urlpatterns = [
    *site_patterns,
    *i18n_patterns(path("fail/", fail), prefix_default_language=False),
]
