# Production image: gunicorn serves the site; the same image runs the Celery worker, beat
# and migrations (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# libpq-dev and gcc build psycopg2 from source; gettext provides msgfmt for compilemessages;
# pango, harfbuzz and the fonts let WeasyPrint make the iterations' PDFs in every script.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libpq-dev gcc gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        fonts-dejavu-core fonts-wqy-zenhei \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, read from pyproject.toml, so a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .

# The project runs from /app: the settings find templates, static files and translations
# relative to their own file.
ENV PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=strategy.settings.production

# Production settings refuse to load without a secret key and a database. These values
# exist only for this step, so none of them reaches the running container.
RUN SECRET_KEY=build-only-not-secret \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    sh -c "python manage.py compilemessages --ignore '.venv/*' -v0 \
        && python manage.py collectstatic --no-input -v0" \
    && rm -f /tmp/build.sqlite3

# The code and collected static files stay owned by root, so the app cannot rewrite them.
# The home directory is where gunicorn puts its control socket. /srv/pdfs is the app's to
# write (iterations' PDFs; a new named volume takes its owner from it).
RUN useradd --create-home --uid 10001 app && mkdir -p /srv/pdfs && chown app /srv/pdfs
USER app

EXPOSE 8000

# Kept out of CMD because command-line flags would override GUNICORN_CMD_ARGS.
ENV GUNICORN_CMD_ARGS="--bind 0.0.0.0:8000 --workers 2 --access-logfile -"
CMD ["gunicorn", "strategy.wsgi:application"]
