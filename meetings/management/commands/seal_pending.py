"""Seal again the minutes whose signatures are all in but whose seal was never made.

The last signature queues the sealing (meetings.jobs); if that task failed
(a seal that could not be read, a timestamp server that did not answer) or
was lost with its worker, the meeting waits in "signing" with every
signature kept. Once the cause is mended:

    .venv/bin/python manage.py seal_pending

queues each such sealing again, on the same job (its page shows the new run).
A job still waiting or running, and younger than --wait-minutes, is left to
finish. Sealing twice stores nothing twice (meetings.services.seal).
"""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings import jobs, services
from meetings.management.files import bounded_int
from meetings.models import Job, Meeting


class Command(BaseCommand):
    help = _(
        "Queue again the sealing of minutes that have every signature but no seal "
        "(after a failed or lost sealing task)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--wait-minutes",
            type=bounded_int(0, 10_000),
            default=15,
            help=_("leave alone a sealing queued or started less than this many minutes ago"),
        )

    def handle(self, *args, wait_minutes, **options):
        recent = timezone.now() - datetime.timedelta(minutes=wait_minutes)
        queued = 0
        for meeting in Meeting.objects.filter(status=Meeting.Status.SIGNING).select_related(
            "committee"
        ):
            version = services.sealing_pending(meeting)
            if version is None:
                continue
            job = meeting.jobs.filter(kind=Job.Kind.SEAL).order_by("-created_at").first()
            if job is not None and not job.is_finished:
                if (job.started_at or job.created_at) > recent:
                    self.stdout.write(_("%(meeting)s: still being sealed.") % {"meeting": meeting})
                    continue
            if job is None:
                last = version.signatures.order_by("-signed_at", "-pk").first()
                job = jobs.start_sealing(version, requested_by=last.user)
            else:
                job = jobs.retry_sealing(job)
            queued += 1
            self.stdout.write(
                _("%(meeting)s: sealing %(state)s (job %(job)s).")
                % {"meeting": meeting, "state": job.get_state_display(), "job": job.pk}
            )
            if job.state == Job.State.FAILED:
                self.stdout.write("  " + job.message)
        self.stdout.write(_("Sealings queued again: %(count)s.") % {"count": queued})
