from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The site's own machinery that every app relies on (no models)."""

    name = "minutes_site"
    verbose_name = _("Site")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .generations import renew_all
        from .permissions import watch_permission_sources

        watch_permission_sources()
        # After a restore (README: Backup and restore) and every deploy; sent
        # for each app with models (this one has none), so a few times.
        post_migrate.connect(renew_all, dispatch_uid="generations-renew-all")
