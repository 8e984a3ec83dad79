"""The production settings, plus a baseline page for the load benchmark (bench/urls.py)."""

from strategy.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
