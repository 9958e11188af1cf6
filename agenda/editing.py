"""The remarks editor's state and its saves.

The editor holds the remarks as one document: speaker blocks in order, each
with its statements, and the resolutions placed after the block where they
were taken. remarks_state() gives that document; save_remarks() makes the
database equal to a document the secretary sent, but only if it was based on
the revision now stored. Otherwise nothing is written and Conflict carries
what the other person saved, for the secretary to compare: no silent
overwrite. Rows keep their identity across saves (updated in place, in bulk).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import Meeting
from meetings.renderings import DRAFTS
from minutes_site.inputs import clean_text, small_count

from .matching import People, unidentified
from .models import Outcome, Resolution, ReviewComment, SpeakerBlock, Statement
from .services import store_statements

Kind = SpeakerBlock.SpeakerKind

BLOCK_FIELDS = [
    "position",
    "speaker_kind",
    "member",
    "attendee",
    "role_label",
    "written_name",
    "agenda_item",
]
RESOLUTION_FIELDS = [
    "position",
    "after_block",
    "agenda_item",
    "question",
    "method",
    "outcome",
    "votes_for",
    "votes_against",
    "abstentions",
]
MAX_BLOCKS = 3000
MAX_STATEMENTS = Statement.MAX_PER_BLOCK
MAX_STATEMENT_LENGTH = Statement.MAX_LENGTH
MAX_RESOLUTIONS = 500


class EditRefused(Exception):
    """The document cannot be saved as sent; ``errors`` say where and why."""

    def __init__(self, errors):
        super().__init__("; ".join(e["message"] for e in errors))
        self.errors = errors


class Conflict(Exception):
    """Somebody saved after the revision the document was based on."""

    def __init__(self, meeting):
        super().__init__(_("Someone else saved these minutes after you opened them."))
        self.theirs = remarks_state(meeting)
        # Read afresh: the row was re-read under the lock, its joined user may not be.
        user = get_user_model()
        self.by = (
            user.objects.filter(pk=meeting.updated_by_id)
            .values_list(user.USERNAME_FIELD, flat=True)
            .first()
            or ""
        )
        self.at = meeting.updated_at


# The editor's keys of the entries that name no person.
UNSPOKEN_KEYS = {"d": Kind.DIRECTION, "h": Kind.HEADING}


def speaker_key(block):
    """The editor's speaker key: m:<member>, a:<attendee>, c (members together),
    d (stage direction), h (agenda heading) or u (not yet identified)."""
    if block.member_id:
        return f"m:{block.member_id}"
    if block.attendee_id:
        return f"a:{block.attendee_id}"
    for key, kind in UNSPOKEN_KEYS.items():
        if block.speaker_kind == kind:
            return key
    return "c" if block.speaker_kind == Kind.COLLECTIVE else "u"


def remarks_state(meeting):
    """The remarks of ``meeting`` as the editor's document (3 queries)."""
    blocks = list(meeting.speaker_blocks.prefetch_related("statements"))
    keys = {block.pk: f"b{block.pk}" for block in blocks}
    return {
        "revision": meeting.revision,
        "blocks": [
            {
                "key": keys[block.pk],
                "id": block.pk,
                "speaker": speaker_key(block),
                "label": block.role_label,
                "written_name": block.written_name,
                "agenda_item": block.agenda_item_id,
                "statements": [s.text for s in block.statements.all()],
            }
            for block in blocks
        ],
        "resolutions": [
            {
                "key": f"r{r.pk}",
                "id": r.pk,
                "after": keys.get(r.after_block_id),
                "agenda_item": r.agenda_item_id,
                "question": r.question,
                "method": r.method,
                "outcome": r.outcome,
                "votes_for": r.votes_for,
                "votes_against": r.votes_against,
                "abstentions": r.abstentions,
            }
            for r in meeting.resolutions.all()
        ],
    }


def _text(value, limit, error, what):
    """``value`` as one line by the site's text rule; None (and an error) if it cannot be."""
    try:
        return clean_text(value, limit=limit, single_line=True)
    except ValidationError as invalid:
        error(_("%(what)s: %(problem)s") % {"what": what, "problem": invalid.messages[0]})
        return None


def _valid_key(key):
    """A client's key for a block or resolution: absent, or a short string."""
    return key is None or (isinstance(key, str) and len(key) <= 64)


def _key_of(data):
    """The key to name in an error: the client's own, when it is a valid one."""
    key = data.get("key")
    return key if _valid_key(key) else None


def _field_limit(model, name):
    return model._meta.get_field(name).max_length


def _block_from(data, index, people, available, errors):
    """A SpeakerBlock (new or existing, unsaved) and its statements from ``data``."""

    def error(message):
        errors.append({"block": index, "key": _key_of(data), "message": message})

    n = index + 1

    if not _valid_key(data.get("key")):
        error(_("Remark %(n)s: the remarks could not be read.") % {"n": n})
        return None, []
    block_id = data.get("id")
    block = available.pop(block_id, None) if isinstance(block_id, int) else None
    if block is None:
        block = SpeakerBlock()
    block.stored_values = _values(block, BLOCK_FIELDS) if block.pk else None
    block.position = n
    speaker = data.get("speaker")
    label = _text(
        data.get("label") or "",
        _field_limit(SpeakerBlock, "role_label"),
        error,
        _("Remark %(n)s, label") % {"n": n},
    )
    written = _text(
        data.get("written_name") or "",
        _field_limit(SpeakerBlock, "written_name"),
        error,
        _("Remark %(n)s, name as written") % {"n": n},
    )
    if label is None or written is None:
        return None, []
    block.member = block.attendee = None
    block.written_name = ""
    if isinstance(speaker, str) and speaker.startswith("m:") and speaker[2:].isdigit():
        member = people.members.get(int(speaker[2:]))
        if member is None:
            error(_("Remark %(n)s: this member is not on the roster.") % {"n": n})
            return None, []
        block.speaker_kind, block.member = Kind.MEMBER, member
        block.role_label = label or member.role_label_on(people.day)
    elif isinstance(speaker, str) and speaker.startswith("a:") and speaker[2:].isdigit():
        attendee = people.attendees.get(int(speaker[2:]))
        if attendee is None:
            error(_("Remark %(n)s: this attendee is not recorded for the meeting.") % {"n": n})
            return None, []
        block.speaker_kind, block.attendee = Kind.ATTENDEE, attendee
        block.role_label = label or (attendee.person.position if attendee.person_id else "")
    elif speaker == "c":
        block.speaker_kind, block.role_label = Kind.COLLECTIVE, label
    elif speaker in UNSPOKEN_KEYS:
        # Nobody's words: printed as written, without a heading.
        block.speaker_kind, block.role_label = UNSPOKEN_KEYS[speaker], ""
    elif speaker == "u":
        # Typed but not chosen from the list: kept as written and flagged; a
        # pasted block comes with its name and label already apart.
        if written:
            block.speaker_kind, block.role_label = Kind.UNIDENTIFIED, label
            block.written_name = written
        else:
            unidentified(label or "").apply(block)
    else:
        error(_("Remark %(n)s: choose who spoke.") % {"n": n})
        return None, []
    if not block.role_label and block.is_spoken:
        error(_("Remark %(n)s: enter the label printed in the heading.") % {"n": n})
    item = data.get("agenda_item")
    if item in (None, ""):
        block.agenda_item = None
    elif isinstance(item, int) and item in people.items:
        block.agenda_item = people.items[item]
    else:
        error(_("Remark %(n)s: this agenda item belongs to another meeting.") % {"n": n})
    statements = data.get("statements")
    if not isinstance(statements, list):
        error(_("Remark %(n)s: the statements could not be read.") % {"n": n})
        return None, []
    if len(statements) > MAX_STATEMENTS:
        error(
            _("Remark %(n)s: at most %(limit)s statements in one speaker block; split it.")
            % {"n": n, "limit": MAX_STATEMENTS}
        )
        return None, []
    texts = [
        _text(
            text,
            MAX_STATEMENT_LENGTH,
            error,
            _("Remark %(n)s, statement %(s)s") % {"n": n, "s": number},
        )
        for number, text in enumerate(statements, 1)
    ]
    if any(t is None for t in texts):
        return None, []
    return block, [t for t in texts if t]


def _resolution_from(data, index, people, blocks_by_key, available, errors):
    def error(message):
        errors.append({"resolution": index, "key": _key_of(data), "message": message})

    n = index + 1

    if not _valid_key(data.get("key")) or not _valid_key(data.get("after")):
        error(_("Resolution %(n)s: the remarks could not be read.") % {"n": n})
        return Resolution()
    resolution_id = data.get("id")
    resolution = available.pop(resolution_id, None) if isinstance(resolution_id, int) else None
    if resolution is None:
        resolution = Resolution()
    resolution.position = n
    resolution.after_block = blocks_by_key.get(data.get("after"))
    item = data.get("agenda_item")
    if item in (None, ""):
        resolution.agenda_item = None
    elif isinstance(item, int) and item in people.items:
        resolution.agenda_item = people.items[item]
    else:
        error(_("Resolution %(n)s: this agenda item belongs to another meeting.") % {"n": n})
    resolution.question = (
        _text(
            data.get("question") or "",
            _field_limit(Resolution, "question"),
            error,
            _("Resolution %(n)s, question put") % {"n": n},
        )
        or ""
    )
    resolution.method = data.get("method") if isinstance(data.get("method"), str) else ""
    resolution.outcome = data.get("outcome") if isinstance(data.get("outcome"), str) else ""
    labels = {
        "votes_for": _("for"),
        "votes_against": _("against"),
        "abstentions": _("abstaining"),
    }
    for field, label in labels.items():
        value = data.get(field)
        if value in (None, ""):
            setattr(resolution, field, None)
            continue
        try:
            setattr(resolution, field, small_count(value))
        except ValidationError as invalid:
            setattr(resolution, field, None)
            error(
                _("Resolution %(n)s, %(field)s: %(problem)s")
                % {"n": n, "field": label, "problem": invalid.messages[0]}
            )
            return resolution
    if not resolution.question:
        error(_("Resolution %(n)s: enter the question put.") % {"n": n})
    if resolution.method not in Resolution.Method.values:
        error(_("Resolution %(n)s: choose how it was decided.") % {"n": n})
    if resolution.outcome not in Outcome.values or resolution.outcome == Outcome.RECEIVED:
        error(_("Resolution %(n)s: choose the outcome.") % {"n": n})
    counted = resolution.method in (Resolution.Method.SHOW_OF_HANDS, Resolution.Method.BALLOT)
    if counted and (resolution.votes_for is None or resolution.votes_against is None):
        error(_("Resolution %(n)s: enter the votes for and against.") % {"n": n})
    if not counted:
        resolution.votes_for = resolution.votes_against = resolution.abstentions = None
    return resolution


@transaction.atomic
def save_remarks(meeting_id, document, *, base, user):
    """Store ``document`` (the editor's remarks) if ``base`` is still current.

    Returns the new revision and the ids given to new blocks and resolutions,
    by their client keys. Raises Conflict, EditRefused, or FrozenRecordError
    when the minutes are confirmed (nothing is written in any of these).
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
    if not meeting.is_editable:
        raise EditRefused(
            [{"message": str(_("The minutes are confirmed: amend them to make a correction."))}]
        )
    if base != meeting.revision:
        raise Conflict(meeting)
    blocks_data = document.get("blocks") if isinstance(document, dict) else None
    resolutions_data = document.get("resolutions", []) if isinstance(document, dict) else None
    if not isinstance(blocks_data, list) or not isinstance(resolutions_data, list):
        raise EditRefused([{"message": _("The remarks could not be read.")}])
    if len(blocks_data) > MAX_BLOCKS:
        raise EditRefused(
            [
                {
                    "message": _("At most %(limit)s speaker blocks in one meeting.")
                    % {"limit": MAX_BLOCKS}
                }
            ]
        )
    if len(resolutions_data) > MAX_RESOLUTIONS:
        raise EditRefused(
            [
                {
                    "message": _("At most %(limit)s resolutions in one meeting.")
                    % {"limit": MAX_RESOLUTIONS}
                }
            ]
        )

    people = People.of(meeting)
    available = {b.pk: b for b in meeting.speaker_blocks.all()}
    errors, blocks, texts = [], [], []
    for index, data in enumerate(blocks_data):
        if not isinstance(data, dict):
            errors.append({"block": index, "message": _("The remarks could not be read.")})
            continue
        block, statements = _block_from(data, index, people, available, errors)
        if block is not None:
            block.meeting = meeting
            blocks.append((data.get("key"), block))
            texts.append(statements)
    removed = list(available)  # stored blocks the document no longer has
    if removed and ReviewComment.objects.filter(speaker_block_id__in=removed).exists():
        errors.append(
            {
                "message": _(
                    "A deleted speaker block has members' review comments: "
                    "decide them on the review page first."
                )
            }
        )
    blocks_by_key = {key: block for key, block in blocks if key}
    available_resolutions = {r.pk: r for r in meeting.resolutions.all()}
    resolutions = []
    for index, data in enumerate(resolutions_data):
        if not isinstance(data, dict):
            errors.append({"resolution": index, "message": _("The remarks could not be read.")})
            continue
        resolution = _resolution_from(
            data, index, people, blocks_by_key, available_resolutions, errors
        )
        resolution.meeting = meeting
        resolutions.append((data.get("key"), resolution))
    if errors:
        raise EditRefused(errors)

    SpeakerBlock.objects.filter(pk__in=removed).delete()
    new_blocks = [block for _key, block in blocks if block.pk is None]
    # Only rows that changed are written: a keystroke save touches one block.
    old_blocks = [
        block
        for _key, block in blocks
        if block.pk is not None and block.stored_values != _values(block, BLOCK_FIELDS)
    ]
    SpeakerBlock.objects.bulk_create(new_blocks)
    SpeakerBlock.objects.bulk_update(
        old_blocks,
        BLOCK_FIELDS,
    )
    store_statements([block for _key, block in blocks], texts)
    Resolution.objects.filter(pk__in=list(available_resolutions)).delete()
    Resolution.objects.bulk_create([r for _key, r in resolutions if r.pk is None])
    Resolution.objects.bulk_update([r for _key, r in resolutions if r.pk], RESOLUTION_FIELDS)

    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(updated_at=now, updated_by=user)
    DRAFTS.changed()  # an update() sends no signal (meetings.renderings)
    meeting.updated_at = now
    return {
        "revision": meeting.revision,
        "blocks": {key: block.pk for key, block in blocks if key},
        "resolutions": {key: r.pk for key, r in resolutions if key},
    }


def _values(row, fields):
    return [getattr(row, row._meta.get_field(name).attname) for name in fields]
