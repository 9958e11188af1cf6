from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The site's own machinery that every app relies on (no models)."""

    name = "minutes_site"
    verbose_name = _("Site")

    def ready(self):
        from .permissions import watch_permission_sources

        watch_permission_sources()
