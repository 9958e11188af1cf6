"""Email each user the minutes tasks that are due soon.

Meant to be run by a scheduler, e.g. every morning from cron:

    0 8 * * *  cd /srv/minutes && .venv/bin/python manage.py send_reminders --hours 24
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from committees.models import Person
from meetings.management.files import bounded_int
from meetings.models import Attendance, Meeting, Signatory
from meetings.tasks import CONFIRM, REVIEW, SIGN, tasks_for


def is_due(task, *, now, hours):
    """Whether ``task`` deserves a reminder now.

    Review: the review deadline falls within the next ``hours``. Confirmation:
    the deadline is that close or already past. Signature: the version has
    waited more than ``hours`` since it was frozen.
    """
    window = datetime.timedelta(hours=hours)
    if task.kind == REVIEW:
        return task.deadline is not None and now <= task.deadline <= now + window
    if task.kind == CONFIRM:
        return task.deadline is not None and task.deadline <= now + window
    if task.kind == SIGN:
        return task.frozen_at is not None and task.frozen_at <= now - window
    return False


def candidate_users():
    """Active users named on a meeting still in the workflow, with their person."""
    pending = [Meeting.Status.IN_REVIEW, Meeting.Status.CONFIRMED, Meeting.Status.SIGNING]
    signatories = Signatory.objects.filter(meeting__status__in=pending).values("person_id")
    attendees = Attendance.objects.filter(
        meeting__status=Meeting.Status.IN_REVIEW, status=Attendance.Status.PRESENT
    ).values("member__person_id")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(person__in=signatories) | Q(person__in=attendees))
        .select_related("person")
        .order_by("pk")
        .distinct()
    )


def address_of(user):
    person = getattr(user, "person", None)
    return user.email or (person.email if person is not None else "")


def reminder(user, tasks):
    """(subject, body) in Korean."""
    name = Person.name_of(user)
    with translation.override("ko"):
        subject = ngettext(
            "Committee minutes: %(count)s task is waiting for you",
            "Committee minutes: %(count)s tasks are waiting for you",
            len(tasks),
        ) % {"count": len(tasks)}
        lines = [_("Hello %(name)s,") % {"name": name}, "", _("These minutes are waiting for you:")]
        for task in tasks:
            line = f"- {task.meeting}: {task.label}"
            if task.kind != SIGN and task.deadline is not None:
                due = _("review deadline %(deadline)s") % {"deadline": task.deadline_display}
                line += f" ({due})"
            lines += [line, f"  {settings.SITE_URL}{task.url}"]
        lines += ["", _("This reminder was sent automatically by the committee minutes site.")]
    return subject, "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = (
        "Email every user the minutes waiting for their review, confirmation or signature "
        "that are due: a review deadline within the next --hours, a confirmation whose "
        "deadline is that close or past, a signature pending longer than --hours since "
        "the version was confirmed. One email per user. Meant to be run by a scheduler "
        "(cron, a systemd timer), e.g. once a day; it keeps no record of what it sent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=bounded_int(1, 24 * 366),
            default=24,
            help="How far ahead a deadline counts as due (default 24).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print who would get which reminder; send nothing.",
        )

    def handle(self, *args, hours, dry_run, **options):
        if hours < 1:
            raise CommandError("--hours must be at least 1.")
        now = timezone.now()
        messages = []
        for user in candidate_users():
            address = address_of(user)
            if not address:
                continue
            tasks = [
                task for task in tasks_for(user, now=now) if is_due(task, now=now, hours=hours)
            ]
            if not tasks:
                continue
            subject, body = reminder(user, tasks)
            messages.append((subject, body, None, [address]))
            if dry_run:
                self.stdout.write(f"Would send to {address} ({user.get_username()}): {subject}")
                for task in tasks:
                    self.stdout.write(f"  - {task.meeting}: {task.kind} {task.deadline_display}")
        if dry_run:
            self.stdout.write(f"Dry run: {len(messages)} reminders would be sent; none was sent.")
            return
        sent = send_mass_mail(messages) if messages else 0
        self.stdout.write(f"Sent {sent} reminders.")
