"""The WSGI entry point (gunicorn minutes_site.wsgi).

Production refuses to start without a secret key: settings leave it empty
so that management commands can run, and this is where serving begins.
"""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minutes_site.settings")

if not settings.DEBUG and not os.environ.get("DJANGO_SECRET_KEY"):
    raise ImproperlyConfigured(settings.MISSING_SECRET_KEY)

application = get_wsgi_application()
