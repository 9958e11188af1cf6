"""The minutes' history as the minutes page shows it: who moved them from what
to what, when and why, and who signed which version when.

Read from the trail itself (StatusChange, Signature), oldest first: one query
for the status changes, and one for the signatures once any version went to
signature; then kept until the workflow moves on.
"""

import datetime
from dataclasses import dataclass

from committees.models import Person

from .models import Meeting, Signature, StatusChange
from .renderings import WORKFLOW

SIGNATURE_STATUSES = {Meeting.Status.SIGNING, Meeting.Status.SIGNED}


@dataclass(frozen=True)
class Event:
    """One line of the history: a status change or a signature."""

    at: datetime.datetime
    who: str
    change: StatusChange | None = None
    signature: Signature | None = None


def history(meeting):
    """Every status change and signature of ``meeting``, oldest first: kept
    under the workflow generation, which any status change, signature or
    change of a name renews (renderings.WORKFLOW)."""
    return WORKFLOW.kept(f"history:{meeting.pk}", lambda: read_history(meeting))


def read_history(meeting):
    changes = list(
        StatusChange.objects.filter(meeting=meeting)
        .select_related("by__person", "version")
        .only(
            "at",
            "from_status",
            "to_status",
            "note",
            "version__number",
            "by__username",
            "by__first_name",
            "by__last_name",
            "by__person__name",
        )
    )
    events = [Event(change.at, Person.name_of(change.by), change=change) for change in changes]
    if any(change.to_status in SIGNATURE_STATUSES for change in changes):
        signatures = (
            Signature.objects.filter(version__meeting=meeting)
            .select_related("version")
            .only(
                "signed_at",
                "signer_name",
                "signer_title",
                "signer_role",
                "method",
                "version__number",
            )
        )
        events += [Event(s.signed_at, s.signer_name, signature=s) for s in signatures]
    # A signature and the move it caused share a moment: the signature first.
    events.sort(key=lambda event: (event.at, event.change is not None))
    return events
