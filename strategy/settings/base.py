"""Settings shared by every environment, read from the environment with django-environ.

With nothing set, the project runs on SQLite with no Redis: Celery tasks run in-process
when the transaction commits and e-mail goes to the console (the "embedded default").
Set DATABASE_URL and REDIS_URL to run on PostgreSQL with Redis as cache and Celery broker.
"""

import base64
import hashlib
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

from recommendations.live.people import live_style_attributes
from strategy.translation_labels import translated_field_label

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The address people reach the site at, used for links in e-mail.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Daphne's runserver serves the ASGI application (the live editor's WebSocket too); it
    # must come before staticfiles, whose runserver it replaces.
    "daphne",
    # modeltranslation patches the admin, so it comes before it.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_celery_beat",
    "channels",
    "csp",
    # Accounts: sign-up, e-mail addresses, password reset, Wikimedia sign-in, a second factor.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.mfa",
    "allauth.usersessions",
    # For allauth's list of sessions ("3 minutes ago").
    "django.contrib.humanize",
    "strategy",
    "groups",
    "recommendations",
    "timeline",
    "public",
]

MIDDLEWARE = [
    # First: what a request asks several times is answered once (strategy/memo.py).
    "strategy.memo.RequestMemoMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Inside LocaleMiddleware: an old address redirects with its language prefix kept.
    "strategy.moved.MovedPagesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The admin in the person's language (its addresses have no language prefix).
    "strategy.admin.language.AdminLanguageMiddleware",
    "strategy.sessions.SessionIdleTimeoutMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: a staff member without a second factor is sent to set one up.
    "strategy.accounts.mfa.StaffSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # After authentication: the audit log names who was refused (403) and who changed what.
    "strategy.audit.AuditMiddleware",
]

ROOT_URLCONF = "strategy.urls"
WSGI_APPLICATION = "strategy.wsgi.application"
# HTTP and the live editor's WebSocket (docs/live-editing.md).
ASGI_APPLICATION = "strategy.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "strategy.context_processors.languages",
                "strategy.context_processors.notifications",
                "strategy.needs_me.waiting",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "strategy.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Sign-in by user name or e-mail address, with allauth's rate limits.
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Django's list of common passwords is the 20,000 most frequent in breaches (Royce Williams'
# list of Pwned Passwords), bundled, so nothing is asked of a third party at sign-up; ours
# also refuses one padded to the length asked for (strategy/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "strategy.passwords.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts (django-allauth). Anyone may join as a community member, in no group; the address
# is verified before the first sign-in. Joining a working group stays by invitation.
ACCOUNT_ADAPTER = "strategy.accounts.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "strategy.accounts.adapter.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_FORMS = {"login": "strategy.accounts.forms.LoginForm"}
# No "remember me": every session lasts until it has been idle too long (strategy/sessions.py).
ACCOUNT_SESSION_REMEMBER = True
# The person is told by e-mail when their password, an address or a sign-in method changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Failed sign-ins: per address (ip) and per account tried (key), in allauth's notation.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("ACCOUNT_RATE_LIMIT_LOGIN_FAILED", default="20/m/ip,5/5m/key"),
    "login": env("ACCOUNT_RATE_LIMIT_LOGIN", default="30/m/ip"),
    "signup": env("ACCOUNT_RATE_LIMIT_SIGNUP", default="20/m/ip"),
    "reset_password": env("ACCOUNT_RATE_LIMIT_RESET_PASSWORD", default="20/m/ip,5/m/key"),
}
# A second factor: an authenticator app (TOTP) with recovery codes. Staff must set one up
# before they reach the admin (strategy/accounts/mfa.py).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="Strategy process")
STAFF_SECOND_FACTOR_REQUIRED = env.bool("STAFF_SECOND_FACTOR_REQUIRED", default=True)
# Sign-in with a Wikimedia account (allauth's MediaWiki provider, OAuth 2 at the Meta wiki's
# REST endpoints). Without a client id the provider is not installed: no button, no address.
WIKIMEDIA_CLIENT_ID = env("WIKIMEDIA_CLIENT_ID", default="")
# Where the site's operators are reached (in the User-Agent of requests to the wiki).
CONTACT_EMAIL = env("CONTACT_EMAIL", default="strategy@localhost")
if WIKIMEDIA_CLIENT_ID:
    INSTALLED_APPS.insert(
        INSTALLED_APPS.index("allauth.socialaccount") + 1,
        "allauth.socialaccount.providers.mediawiki",
    )
SOCIALACCOUNT_PROVIDERS = {
    "mediawiki": {
        "provider_class": "strategy.accounts.wikimedia.WikimediaProvider",
        "REST_API": env("WIKIMEDIA_REST_API", default="https://meta.wikimedia.org/w/rest.php"),
        "USERPAGE_TEMPLATE": env(
            "WIKIMEDIA_USERPAGE_TEMPLATE", default="https://meta.wikimedia.org/wiki/User:{username}"
        ),
        # Wikimedia's User-Agent policy: name the tool and a way to reach its operators.
        "USER_AGENT": env(
            "WIKIMEDIA_USER_AGENT",
            default=f"StrategyProcess/1.0 ({SITE_URL}; {CONTACT_EMAIL})",
        ),
        "APPS": [
            {
                "client_id": WIKIMEDIA_CLIENT_ID,
                "secret": env("WIKIMEDIA_CLIENT_SECRET", default=""),
            }
        ]
        if WIKIMEDIA_CLIENT_ID
        else [],
    }
}
# A Wikimedia account whose confirmed address is the verified address of a local account
# signs in to that account and is connected to it (strategy/accounts/adapter.py).
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True

# Sessions end after a time without activity, shorter for staff, whose accounts can change
# anything (strategy/sessions.py renews the expiry as people use the site).
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_DAYS", default=14) * 24 * 60 * 60
SESSION_IDLE_SECONDS_STAFF = env.int("SESSION_IDLE_MINUTES_STAFF", default=120) * 60
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS


# Content-Security-Policy (django-csp): only this site's own scripts, styles, images and
# fetches; no inline script or style attribute. Public pages are cached whole, so they can
# carry no nonce; a nonce is for the few admin pages of other apps that ship inline scripts
# (templates/admin/).
def _style_hash(style: str) -> str:
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    return f"'sha256-{digest}'"


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        # The nonce: the live editor's CodeMirror puts its styles in a <style> element.
        "style-src": ["'self'", NONCE],
        # One inline style attribute, "border-top: 0" in simple-history's admin history list,
        # and the live editor's cursors and selections, one per person's colour.
        "style-src-attr": [
            "'unsafe-hashes'",
            "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",
            *(_style_hash(style) for style in live_style_attributes()),
        ],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
if WIKIMEDIA_CLIENT_ID:
    # The sign-in button posts to this site, which redirects to the wiki: the policy's
    # form-action applies to that redirect too.
    _wiki = urlsplit(SOCIALACCOUNT_PROVIDERS["mediawiki"]["REST_API"])
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(f"{_wiki.scheme}://{_wiki.netloc}")
# Powerful browser features no page uses, refused to the site and anything it embeds.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

REDIS_URL = env("REDIS_URL", default="")
# Redis is optional at run time: no request waits on it longer than these (seconds), and a
# cache that cannot be reached is done without (strategy/redis_cache.py).
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=0.5)
REDIS_CONNECT_TIMEOUT = env.float("REDIS_CONNECT_TIMEOUT", default=0.5)
REDIS_CLIENT_OPTIONS = {
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "strategy.redis_cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": REDIS_CLIENT_OPTIONS,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="strategy"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The live editor's rooms talk through the channel layer: Redis when there is one, so that
# people in one draft on different processes edit one document; without Redis (the embedded
# default) everything runs in one process and the in-memory layer is enough.
LIVE_CHANNEL_CAPACITY = env.int("LIVE_CHANNEL_CAPACITY", default=2000)
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                "prefix": env("CHANNELS_PREFIX", default="strategy-live"),
                # What may wait for one editor's connection before the layer drops it
                # (its default, 100, is a second of fifty people typing; a dropped update
                # leaves that browser's text apart until it reconnects).
                "capacity": LIVE_CHANNEL_CAPACITY,
            },
        }
    }
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": LIVE_CHANNEL_CAPACITY},
        }
    }
# The live text becomes a revision once its editors have typed nothing for this long.
LIVE_IDLE_SECONDS = env.float("LIVE_IDLE_SECONDS", default=4.0)
# How long a save waits at most to tell the live rooms through the layer (Redis hung).
LIVE_NOTIFY_TIMEOUT = env.float("LIVE_NOTIFY_TIMEOUT", default=REDIS_SOCKET_TIMEOUT)
# A WebSocket message over this closes the connection (1009); the live text itself may not
# grow past RECOMMENDATION_BODY_LIMIT_KB, as the form's text may not.
LIVE_MAX_MESSAGE_BYTES = env.int("LIVE_MAX_MESSAGE_BYTES", default=2 * 1024 * 1024)
# A connection that sends changes asks again at this interval whether its person may still
# edit (and at once when the group's memberships change).
LIVE_ACCESS_SECONDS = env.float("LIVE_ACCESS_SECONDS", default=5.0)
# The server asks each browser at this interval for what the room lacks (sync step 1), and
# the browser asks the server, so that a message the layer dropped is made up.
LIVE_RESYNC_SECONDS = env.float("LIVE_RESYNC_SECONDS", default=10.0)

# What pages render from rows that rarely change, kept in each process's memory under the
# content it was made from (strategy/fragments.py).
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "TIMEOUT": 60 * 60 * 24,
    "OPTIONS": {"MAX_ENTRIES": env.int("FRAGMENTS_KEPT", default=20000)},
}

# Internationalisation. English is the source language; every public page exists in each
# of these. Egyptian Arabic is written right to left.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
    ("arz", _("Egyptian Arabic")),
    ("de", _("German")),
    ("fr", _("French")),
    ("es", _("Spanish")),
]
LANGUAGES_BIDI = ["he", "ar", "ar-dz", "arz", "ckb", "fa", "ug", "ur"]
# The site's own strings first (makemessages writes them), then the translations of the
# libraries' strings the account pages and the admin show, for languages the libraries
# lack (kept by hand: locale_libraries/README.md). Both come before the libraries' own catalogues.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_libraries"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True
# The source language (strategy/source_language.py): what a translation falls back to, and
# what the admin's slugs are made from.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = (MODELTRANSLATION_DEFAULT_LANGUAGE,)
MODELTRANSLATION_PREPOPULATE_LANGUAGE = MODELTRANSLATION_DEFAULT_LANGUAGE
# Each language's input in the admin labelled "Title (English)", not six "Title:" labels.
MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME = translated_field_label
# The admin's language tabs need jQuery UI; modeltranslation would load it from a CDN, which
# the Content-Security-Policy refuses (and which would tell it who opens the admin). The
# site serves its own copy (static/vendor/jquery-ui/, 1.14.2 from npm, MIT licence).
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Where iterations' PDFs are kept (public/pdfs.py): files a task writes, served as they are.
ITERATION_PDF_DIR = env.path("ITERATION_PDF_DIR", default=VAR_DIR / "pdfs")
# Whether publishing in an iteration queues its PDFs at once (else the first reader's
# request does).
ITERATION_PDFS_ON_PUBLISH = env.bool("ITERATION_PDFS_ON_PUBLISH", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# E-mail: console by default, so a newcomer reads every message in the server's output.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Strategy process <strategy@localhost>")
# Seconds an SMTP connection waits for the server at each step. Well under the soft time
# limit of the task that sends a notice (100 s, strategy/tasks.py), so that a slow server
# ends the send as a timeout the task handles, not as the task's own time running out.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: with no broker configured, tasks run in-process (eagerly) once the transaction
# that scheduled them commits, so the embedded default needs neither Redis nor a worker.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://localhost/")
CELERY_RESULT_BACKEND = None
# The same bounds for the broker and the result backend. A task that cannot be queued is
# not retried at the request's expense: the notice ledger's sweep queues it again
# (strategy/celery.py).
# One immediate retry: enough to replace a connection Redis dropped on a restart.
CELERY_BROKER_TRANSPORT_OPTIONS = {**REDIS_CLIENT_OPTIONS, "max_retries": 1, "interval_start": 0}
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_SOCKET_TIMEOUT
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
# The one schedule of periodic tasks. Beat keeps it in the database (django-celery-beat),
# where the core team sees and changes it in the admin ("Periodic tasks"). These are the
# entries it starts with, written by `manage.py sync_beat_schedule` at deploy, which adds
# the missing ones and leaves the others as the core team set them. Not CELERY_BEAT_SCHEDULE:
# beat would write that over the core team's edits each time it starts.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
PERIODIC_TASKS = {
    "review-assignments-roll-over": {
        "task": "recommendations.tasks.review_assignments_roll_over",
        "schedule": 60 * 60,
    },
    "review-reminders": {
        "task": "recommendations.tasks.review_reminders_send",
        "schedule": 60 * 60,
    },
    "milestone-notices": {
        "task": "timeline.tasks.milestone_notices_send",
        "schedule": 60 * 60,
    },
    "notices-daily-digest": {
        "task": "strategy.tasks.notices_digest_send",
        "schedule": 60 * 60,
    },
    "notices-sweep": {
        "task": "strategy.tasks.notices_sweep",
        "schedule": 5 * 60,
    },
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "public.api.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "public.api.pagination.StrictLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Strategy process API",
    "DESCRIPTION": "Read-only: working groups, published recommendations, iterations and "
    "milestones. Only what is published is here.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# Edit summaries can be long; simple-history keeps them in a text column.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# A recommendation's body may be up to 200 KB; the form says so. Requests a little larger
# than any form may send are still read, so that the form can answer with that message.
RECOMMENDATION_BODY_LIMIT_KB = env.int("RECOMMENDATION_BODY_LIMIT_KB", default=200)
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024
# Anonymous public pages are kept in the cache until public content changes. Turning this
# off makes every request render its page (load tests use it to measure the uncached cost).
PUBLIC_PAGE_CACHE = env.bool("PUBLIC_PAGE_CACHE", default=True)
# How long "someone has this draft open" is shown after their last sign of life.
EDITING_PRESENCE_SECONDS = 15 * 60

# Notices: how many days before a review is due, and before a milestone, people are
# reminded; how often a failing e-mail is tried; the hour (UTC) of the daily digest.
REVIEW_REMINDER_DAYS_BEFORE = env.int("REVIEW_REMINDER_DAYS_BEFORE", default=2)
MILESTONE_NOTICE_DAYS_BEFORE = env.int("MILESTONE_NOTICE_DAYS_BEFORE", default=7)
NOTICE_MAX_ATTEMPTS = env.int("NOTICE_MAX_ATTEMPTS", default=5)
NOTICE_DIGEST_HOUR = env.int("NOTICE_DIGEST_HOUR", default=6)
# Notices about one thing made within this many seconds leave as one e-mail (three
# replies in a thread: ten minutes); the community's new feedback reaches the connectors
# in batches this long (an hour).
NOTICE_GATHER_SECONDS = env.int("NOTICE_GATHER_SECONDS", default=10 * 60)
NOTICE_FEEDBACK_BATCH_SECONDS = env.int("NOTICE_FEEDBACK_BATCH_SECONDS", default=60 * 60)
# E-mails recorded together leave in batches this large, each over one connection to the
# mail server (strategy/mailer.py: notices_deliver). A worker killed in the middle of one
# leaves what it had claimed of it in doubt, for a person to check: the size bounds that.
NOTICE_SEND_BATCH = env.int("NOTICE_SEND_BATCH", default=200)
# How long the unsubscribe link in an e-mail works without signing in; after that, the page
# asks the person to sign in to change their preferences.
UNSUBSCRIBE_LINK_VALID_DAYS = env.int("UNSUBSCRIBE_LINK_VALID_DAYS", default=365)

# How long an invitation link stays valid.
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)

# How long the audit log keeps an event (`manage.py audit_prune` deletes older ones).
AUDIT_LOG_RETENTION_DAYS = env.int("AUDIT_LOG_RETENTION_DAYS", default=365)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # The PDF renderer reports every step at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# How many public feedback comments one person may write in an hour.
FEEDBACK_PER_HOUR = env.int("FEEDBACK_PER_HOUR", default=10)

# How long after writing it a person may still change their comment.
COMMENT_EDIT_MINUTES = env.int("COMMENT_EDIT_MINUTES", default=30)
