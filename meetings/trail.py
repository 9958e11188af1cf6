"""Checking the trail: the hash chains of status changes and signatures.

verify_trail() walks each chain (models.ChainedModel) in insertion order and
reports every row whose content no longer matches its hash and every link
that does not lead to the row before, then checks that the trail agrees with
the meetings: each meeting's changes follow one another and end at its status,
and every move to signing or signed was made by a signer of that version (so
removing the newest rows shows as well). It only reads.

A chain cannot show that someone who can write the tables rewrote every hash
after the row they changed: a head recorded earlier outside the database
(``anchors``) can. Whatever was anchored, and every row before it, is then as
it was when the head was recorded.
"""

from dataclasses import dataclass, field

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .hashchain import GENESIS
from .models import Meeting, Signature, StatusChange

Status = Meeting.Status
SIGNING_MOVES = (Status.SIGNING, Status.SIGNED)


@dataclass
class Chain:
    """One table's chain as found: how many rows, the newest row's hash."""

    label: str
    count: int
    head: str
    hashes: set = field(default_factory=set, repr=False)


@dataclass
class TrailReport:
    chains: list
    problems: list

    @property
    def passed(self):
        return not self.problems


def verify_trail(anchors=()):
    """Walk both chains and the meetings' trails: a TrailReport with one line per problem."""
    chains, problems = [], []
    for model in (StatusChange, Signature):
        chain, found = walk_chain(model)
        chains.append(chain)
        problems += found
    problems += status_problems()
    recorded = set().union(*(chain.hashes for chain in chains))
    for anchor in anchors:
        if anchor.strip().lower() not in recorded:
            problems.append(
                _(
                    "The recorded SHA-256 %(sha256)s is no longer in the trail: the rows up "
                    "to it were rewritten or removed."
                )
                % {"sha256": anchor}
            )
    return TrailReport(chains=chains, problems=problems)


def walk_chain(model):
    """(Chain, problems) for ``model``'s table, problems in the order of its rows."""
    label = capfirst(model._meta.verbose_name)
    links = list(model.objects.order_by("pk").values_list("pk", "previous_sha256", "row_sha256"))
    row_of = {row_hash: pk for pk, _previous, row_hash in links}
    found = []
    expected, expected_pk = GENESIS, None
    for pk, previous, row_hash in links:
        if previous != expected:
            named = row_of.get(previous)
            if named is None and previous != GENESIS:
                message = _(
                    "%(row)s #%(id)s follows a row that is no longer there: a row before it "
                    "was deleted."
                )
            else:
                message = _(
                    "%(row)s #%(id)s does not follow the row before it (expected: %(expected)s, "
                    "named: %(named)s): rows were reordered or one was inserted."
                )
            found.append(
                (
                    pk,
                    message
                    % {
                        "row": label,
                        "id": pk,
                        "named": _position(named),
                        "expected": _position(expected_pk),
                    },
                )
            )
        expected, expected_pk = row_hash, pk
    for row in model.objects.order_by("pk").iterator(chunk_size=200):
        if row.computed_sha256() != row.row_sha256:
            found.append(
                (
                    row.pk,
                    _("%(row)s #%(id)s was changed: its content no longer matches its SHA-256.")
                    % {"row": label, "id": row.pk},
                )
            )
    found.sort(key=lambda problem: problem[0])
    chain = Chain(label=label, count=len(links), head=expected, hashes=set(row_of))
    return chain, [message for _pk, message in found]


def _position(pk):
    return _("the start of the chain") if pk is None else f"#{pk}"


def status_problems():
    """Where the status trail and the meetings or the signatures disagree."""
    problems = []
    meetings = {meeting.pk: meeting for meeting in Meeting.objects.select_related("committee")}
    signed = set(Signature.objects.values_list("version_id", "user_id"))
    last = {}
    changes = StatusChange.objects.order_by("pk").values_list(
        "pk", "meeting_id", "from_status", "to_status", "version_id", "by_id", "by__username"
    )
    for pk, meeting_id, from_status, to_status, version_id, by_id, username in changes:
        before = last.get(meeting_id, Status.DRAFT)
        if from_status != before:
            problems.append(
                _(
                    "Meeting %(meeting)s: status change #%(id)s starts from %(from)s, but the "
                    "change before it ended at %(before)s."
                )
                % {
                    "meeting": meetings.get(meeting_id, f"#{meeting_id}"),
                    "id": pk,
                    "from": _label(from_status),
                    "before": _label(before),
                }
            )
        last[meeting_id] = to_status
        if to_status in SIGNING_MOVES and (version_id, by_id) not in signed:
            problems.append(
                _(
                    "Status change #%(id)s: %(user)s moved the minutes to %(status)s without "
                    "a signature of theirs on that version."
                )
                % {"id": pk, "user": username, "status": _label(to_status)}
            )
    for meeting in meetings.values():
        ended = last.get(meeting.pk, Status.DRAFT)
        if meeting.status != ended:
            problems.append(
                _("Meeting %(meeting)s is %(status)s, but its trail ends at %(last)s.")
                % {
                    "meeting": meeting,
                    "status": _label(meeting.status),
                    "last": _label(ended),
                }
            )
    return problems


def _label(status):
    """A status as people read it; a value no status has (a forged row) as it is."""
    return dict(Status.choices).get(status, status)
