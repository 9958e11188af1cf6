"""Each user's tasks: minutes waiting for their review, confirmation or signature.

tasks_for() decides who must do what; the "my tasks" page shows it and the
send_reminders command emails it.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Subquery
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minutes_site.dates import moment

from .models import Attendance, Meeting, MinutesVersion, Signatory, Signature
from .renderings import WORKFLOW

REVIEW, CONFIRM, SIGN = "review", "confirm", "sign"
ORDER = {REVIEW: 0, CONFIRM: 1, SIGN: 2}

LABELS = {
    REVIEW: _("Review the draft"),
    CONFIRM: _("Confirm the final text"),
    SIGN: _("Read and sign"),
}


# What the button of each task says: the verb of the task (검토/확인/서명).
VERBS = {
    REVIEW: _("Review"),
    CONFIRM: _("Confirm"),
    SIGN: _("Sign"),
}


def format_deadline(value):
    """2024. 4. 25.(목) 18:00, in Seoul time (empty when there is no deadline):
    the app's one date style (minutes_site.dates)."""
    return moment(value)


@dataclass(frozen=True)
class Task:
    """One thing ``user`` must do on one meeting."""

    kind: str  # REVIEW, CONFIRM or SIGN
    meeting: Meeting
    url: str
    deadline: datetime.datetime | None  # the review deadline
    frozen_at: datetime.datetime | None  # when the version to sign was confirmed
    overdue: bool

    @property
    def label(self):
        return LABELS[self.kind]

    @property
    def verb(self):
        return VERBS[self.kind]

    @property
    def deadline_display(self):
        return format_deadline(self.deadline)


def tasks_for(user, *, now=None):
    """What ``user`` must do now, soonest deadline first: one query.

    Review: the draft is in review and the user attended as a member (present)
    or is named in the signature block. Confirmation: in review and the user
    is the designated confirmer. Signature: confirmed or signing, the user is
    a designated signer and their person has not signed the current version.
    Only meetings the user may read (Meeting.objects.for_user) count.
    """
    if not user.is_authenticated:
        return []
    now = now or timezone.now()
    Status = Meeting.Status
    mine = Signatory.objects.filter(meeting=OuterRef("pk"), person__user=user)
    latest = MinutesVersion.objects.filter(meeting=OuterRef("pk")).order_by("-number")
    latest_for_signature = MinutesVersion.objects.filter(meeting=OuterRef(OuterRef("pk"))).order_by(
        "-number"
    )
    meetings = (
        Meeting.objects.filter(
            pk__in=Meeting.objects.for_user(user).values("pk"),
            status__in=[Status.IN_REVIEW, Status.CONFIRMED, Status.SIGNING],
        )
        .select_related("committee")
        .annotate(
            attended=Exists(
                Attendance.objects.filter(
                    meeting=OuterRef("pk"),
                    status=Attendance.Status.PRESENT,
                    member__person__user=user,
                )
            ),
            in_block=Exists(mine),
            is_confirmer=Exists(mine.filter(role=Signatory.Role.CONFIRMER)),
            is_signer=Exists(mine.filter(role=Signatory.Role.SIGNER)),
            frozen_at=Subquery(latest.values("frozen_at")[:1]),
            has_signed=Exists(
                Signature.objects.filter(
                    version=Subquery(latest_for_signature.values("pk")[:1]),
                    person__user=user,
                )
            ),
        )
    )
    tasks = []
    for meeting in meetings:
        deadline = meeting.review_deadline
        late = deadline is not None and deadline < now
        if meeting.status == Status.IN_REVIEW:
            if meeting.attended or meeting.in_block:
                tasks.append(
                    Task(
                        REVIEW,
                        meeting,
                        reverse("agenda:review", args=[meeting.pk]),
                        deadline,
                        None,
                        late,
                    )
                )
            if meeting.is_confirmer:
                tasks.append(
                    Task(CONFIRM, meeting, meeting.get_absolute_url(), deadline, None, late)
                )
        elif meeting.is_signer and meeting.frozen_at is not None and not meeting.has_signed:
            # The review deadline is long past once the text is confirmed:
            # a signature is never shown as overdue because of it.
            tasks.append(
                Task(
                    SIGN,
                    meeting,
                    reverse("meetings:sign", args=[meeting.pk]),
                    deadline,
                    meeting.frozen_at,
                    False,
                )
            )
    far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    tasks.sort(key=lambda task: (task.deadline or far, task.meeting.pk, ORDER[task.kind]))
    return tasks


def tasks_of(request):
    """tasks_for(request.user), computed once per request: the navbar's badge
    (meetings.context_processors) and the page itself share the one query."""
    if not hasattr(request, "_waiting_tasks"):
        request._waiting_tasks = tasks_for(request.user)
    return request._waiting_tasks


def waiting_count(request):
    """How many tasks wait for request.user, for the navbar's badge: this
    request's tasks if it computed them, else the count kept since nothing
    that decides tasks was written (two cache reads, no query), else
    computed (one query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    if hasattr(request, "_waiting_tasks"):
        return len(request._waiting_tasks)
    return WORKFLOW.kept(f"task-count:{user.pk}", lambda: len(tasks_of(request)))


def count_by_kind(tasks):
    """[(kind, verb, count)] in the order review, confirm, sign; kinds with none left out."""
    counts = {kind: 0 for kind in ORDER}
    for task in tasks:
        counts[task.kind] += 1
    return [(kind, VERBS[kind], count) for kind, count in counts.items() if count]


@login_required
def my_tasks(request):
    return render(request, "meetings/tasks.html", {"tasks": tasks_of(request)})
