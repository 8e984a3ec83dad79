"""A real OAuth 2 provider on loopback, shaped like MediaWiki's OAuth 2 REST endpoints.

It serves, under /w/rest.php/oauth2/, the three endpoints allauth's MediaWiki provider
uses: `authorize` (a page with an "Allow" button that sends the browser back with a code),
`access_token` (code for token, checking the client's id, secret and redirect address) and
`resource/profile` (the profile for a bearer token: `sub`, `username`, `confirmed_email`,
`email`, `blocked`). A small WSGI application in a thread, rather than django-oauth-toolkit
in a second Django project: it needs no second settings module or database, and the
protocol steps it checks are the ones allauth takes.
"""

import html
import json
import secrets
import threading
from urllib.parse import parse_qs, urlencode
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest

CLIENT_ID = "strategy-test-client"
CLIENT_SECRET = "strategy-test-secret"


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


class WikimediaProvider:
    def __init__(self):
        self.profile = {
            "sub": "4711",
            "username": "Wiki Person",
            "realname": "",
            "email": "wiki.person@example.org",
            "confirmed_email": True,
            "blocked": False,
        }
        self.codes: dict[str, str] = {}
        self.tokens: dict[str, dict] = {}
        self.user_agents: list[str] = []
        self.server = make_server("127.0.0.1", 0, self.app, handler_class=_QuietHandler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/w/rest.php"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    # The WSGI application.
    def app(self, environ, start_response):
        path = environ["PATH_INFO"].removeprefix("/w/rest.php/oauth2")
        method = environ["REQUEST_METHOD"]
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        if method == "POST":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(size).decode()
            form = {k: v[0] for k, v in parse_qs(body).items()}
        else:
            form = {}
        if path in ("/access_token", "/resource/profile"):
            self.user_agents.append(environ.get("HTTP_USER_AGENT", ""))
        if path == "/authorize" and method == "GET":
            return self._authorize_page(query, start_response)
        if path == "/authorize" and method == "POST":
            return self._approve(form, start_response)
        if path == "/access_token" and method == "POST":
            return self._token(form, start_response)
        if path == "/resource/profile":
            return self._profile(environ, start_response)
        return self._json(start_response, "404 Not Found", {"error": "not_found"})

    def _authorize_page(self, query, start_response):
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            return self._json(start_response, "400 Bad Request", {"error": "invalid_request"})
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in query.items()
        )
        page = (
            "<!DOCTYPE html><html lang='en'><head><title>Meta-Wiki: authorize</title></head>"
            "<body><h1>Allow this application to use your Wikimedia account?</h1>"
            f"<form method='post'>{hidden}<button type='submit'>Allow</button></form>"
            "</body></html>"
        )
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [page.encode()]

    def _approve(self, form, start_response):
        code = secrets.token_urlsafe(16)
        self.codes[code] = form["redirect_uri"]
        back = f"{form['redirect_uri']}?{urlencode({'code': code, 'state': form['state']})}"
        start_response("302 Found", [("Location", back)])
        return [b""]

    def _token(self, form, start_response):
        redirect_uri = self.codes.pop(form.get("code", ""), None)
        if (
            form.get("grant_type") != "authorization_code"
            or redirect_uri is None
            or redirect_uri != form.get("redirect_uri")
            or form.get("client_id") != CLIENT_ID
            or form.get("client_secret") != CLIENT_SECRET
        ):
            return self._json(start_response, "400 Bad Request", {"error": "invalid_grant"})
        token = secrets.token_urlsafe(16)
        self.tokens[token] = dict(self.profile)
        return self._json(
            start_response,
            "200 OK",
            {"access_token": token, "token_type": "Bearer", "expires_in": 3600},
        )

    def _profile(self, environ, start_response):
        token = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
        if token not in self.tokens:
            return self._json(start_response, "401 Unauthorized", {"error": "invalid_token"})
        return self._json(start_response, "200 OK", self.tokens[token])

    @staticmethod
    def _json(start_response, status, data):
        start_response(status, [("Content-Type", "application/json")])
        return [json.dumps(data).encode()]


@pytest.fixture
def wikimedia(monkeypatch, settings):
    """The provider, started; allauth's MediaWiki adapter pointed at it (allauth reads the
    REST address from the settings once, when the module is imported)."""
    from allauth.socialaccount.providers.mediawiki.views import MediaWikiOAuth2Adapter

    with WikimediaProvider() as provider:
        monkeypatch.setattr(
            MediaWikiOAuth2Adapter, "authorize_url", f"{provider.url}/oauth2/authorize"
        )
        monkeypatch.setattr(
            MediaWikiOAuth2Adapter, "access_token_url", f"{provider.url}/oauth2/access_token"
        )
        monkeypatch.setattr(
            MediaWikiOAuth2Adapter, "profile_url", f"{provider.url}/oauth2/resource/profile"
        )
        yield provider
