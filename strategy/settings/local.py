"""The embedded default for running the demo on one machine: SQLite, no Redis, DEBUG off."""

from strategy.installation import installation_directory, secret_key

from .base import *  # noqa: F403
from .base import DATABASES, MIDDLEWARE, VAR_DIR, env

# Off unless DEBUG=1: the demo is what a newcomer judges the product by, so it shows the
# product's own 404 and 500 pages (in the reader's language), not Django's technical pages
# that list every URL pattern and setting. Keeping DEBUG on and routing the errors would not
# do: with DEBUG on Django answers a 404 with its technical page whatever handler404 says.
DEBUG = env.bool("DEBUG", default=False)
# Without DEBUG runserver serves no static files; WhiteNoise (in the middleware) serves them
# from the apps and static/ as they are, so the demo needs no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The SQLite file, the secret key and collected files live in var/, which a fresh clone lacks
# (also when SECRET_KEY comes from the environment and no key file is written).
installation_directory(VAR_DIR)
# Made for this installation on first run (var/secret_key, mode 0600), never a published one.
SECRET_KEY = env("SECRET_KEY", default="") or secret_key(VAR_DIR / "secret_key")

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Readers never wait for the writer (WAL); a writer takes the lock when its transaction
    # begins (IMMEDIATE, so two writers never deadlock upgrading a read lock) and waits up
    # to SQLITE_TIMEOUT seconds for it. Past that the person is told the site is busy (503).
    # synchronous=NORMAL is safe in WAL mode and makes each commit hold the lock shorter.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("SQLITE_TIMEOUT", default=20),
    }
    MIDDLEWARE = [*MIDDLEWARE, "strategy.database_busy.DatabaseBusyMiddleware"]
