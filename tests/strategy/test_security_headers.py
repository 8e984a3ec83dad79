"""The Content-Security-Policy and Permissions-Policy every answer carries (the browser test
tests/browser/test_csp.py opens every page under them)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def directives(policy: str) -> dict[str, str]:
    parts = (part.split(" ", 1) for part in re.split(r";\s*", policy) if part)
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


@pytest.mark.parametrize("signed_in", [False, True], ids=["cached public page", "signed in"])
def test_the_policy_is_strict(client, user, signed_in):
    """No inline script, no plugin, no framing, nothing from another origin."""
    if signed_in:
        client.force_login(user)
    client.get(reverse("home"))
    response = client.get(reverse("home"))
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    # The test settings add the loopback wiki a Wikimedia sign-in redirects to.
    assert policy["form-action"].split()[0] == "'self'"
    assert not {"*", "http:", "https:"} & set(policy["form-action"].split())
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_powerful_features_are_refused(client):
    policy = client.get(reverse("home"))["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


def test_the_live_editor_keeps_the_policy_strict(client, working_group, user_factory):
    """The live editor's page lets CodeMirror's <style> element in by the page's nonce, and
    the remote cursors' inline styles by their hashes only (one per person's colour)."""
    from groups.models import Role
    from recommendations.live.people import live_style_attributes
    from strategy.settings.base import _style_hash
    from tests.factories import MembershipFactory
    from tests.factories import recommendation as make

    member = user_factory()
    MembershipFactory(user=member, working_group=working_group, role=Role.MEMBER)
    draft = make(working_group, member)
    client.force_login(member)
    response = client.get(reverse("recommendations:edit", args=[draft.pk]))
    policy = directives(response["Content-Security-Policy"])
    nonce = re.search(r"'nonce-([^']+)'", policy["style-src"]).group(1)
    assert f'nonce="{nonce}"' in response.content.decode()
    for style in live_style_attributes():
        assert _style_hash(style) in policy["style-src-attr"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
