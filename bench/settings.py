"""The production settings, plus a baseline page for the load benchmark (bench/urls.py) and
the load-test data generator (`manage.py scale_data`, bench/scale.py), which the production
package does not ship."""

from strategy.settings.production import *  # noqa: F403
from strategy.settings.production import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
