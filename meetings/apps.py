from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from . import checks  # noqa: F401  (registers the font check)
        from .renderings import watch_content_sources, watch_workflow_sources

        watch_content_sources()
        watch_workflow_sources()
