"""Writes to remarks that are more than a single save()."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import Meeting
from meetings.services import WorkflowError
from minutes_site.inputs import clean_text

from .models import ReviewComment, Statement


def split_statements(text):
    """One statement per non-blank line, with leading bullets (-, ○, •) removed."""
    statements = []
    for line in text.splitlines():
        line = line.strip().lstrip("-○•·").strip()
        if line:
            statements.append(line)
    return statements


@transaction.atomic
def replace_statements(block, texts):
    """Make ``block``'s statements exactly ``texts``, in order.

    Rows are updated in place by position rather than deleted and re-created,
    so a statement keeps its identity (and whatever refers to it) while the
    secretary edits the text around it. The meeting's editability is checked
    once for the block, then the rows are written in bulk.
    """
    block.ensure_meeting_editable()
    store_statements([block], [texts], lock=True)


def store_statements(blocks, texts, *, lock=False):
    """Make each block's statements equal its texts: one read, then bulk writes
    of only what changed, however many blocks (the editor saves them all)."""
    rows = Statement.objects.filter(block__in=[b for b in blocks if b.pk])
    stored = {}
    for statement in rows.select_for_update() if lock else rows:
        stored.setdefault(statement.block_id, {})[statement.position] = statement
    added, changed, removed = [], [], []
    for block, wanted in zip(blocks, texts, strict=True):
        existing = stored.pop(block.pk, {})
        for position, text in enumerate(wanted, start=1):
            row = existing.pop(position, None)
            if row is None:
                added.append(Statement(block=block, position=position, text=text))
            elif row.text != text:
                row.text = text
                changed.append(row)
        removed.extend(row.pk for row in existing.values())
    Statement.objects.filter(pk__in=removed).delete()
    Statement.objects.bulk_update(changed, ["text"], batch_size=500)
    Statement.objects.bulk_create(added, batch_size=500)


# Members' review: correction requests on the draft and the secretary's decisions.


def may_comment(user, meeting):
    """Whether ``user`` attended ``meeting`` as a member or is named in its
    signature block (reads prefetched attendances and signatories if loaded)."""
    return meeting.attended_by(user) or meeting.designates(user)


def _locked_in_review(meeting_id):
    """The meeting row, locked; WorkflowError unless its minutes are in review."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
    if meeting.status != Meeting.Status.IN_REVIEW:
        raise WorkflowError(_("Comments are taken only while the minutes are in review."))
    return meeting


def comment(meeting, *, author, block=None, item=None, proposed_text, reason):
    """A member asks for ``block``'s statements or ``item``'s title to read
    ``proposed_text`` instead, because of ``reason``."""
    if (block is None) == (item is None):
        raise WorkflowError(_("Choose one speaker block or one agenda item to comment on."))
    target = block if block is not None else item
    if target.meeting_id != meeting.pk:
        raise WorkflowError(_("This part belongs to the minutes of another meeting."))
    if item is not None:
        limit = item._meta.get_field("title").max_length
        proposed_text = _cleaned(proposed_text, _("Proposed title"), limit, single_line=True)
        if not proposed_text:
            raise WorkflowError(_("Enter the title you propose."))
    else:
        proposed_text = _cleaned(proposed_text, _("Proposed wording"), MAX_PROPOSAL)
        statements = split_statements(proposed_text)
        if not statements:
            raise WorkflowError(_("Enter the wording you propose, one statement per line."))
        try:
            Statement.check_block([" ".join(text.split()) for text in statements])
        except ValidationError as invalid:
            raise WorkflowError(
                _("%(what)s: %(problem)s")
                % {"what": _("Proposed wording"), "problem": invalid.messages[0]}
            ) from None
    reason = _cleaned(reason, _("Reason"), MAX_REPLY)
    if not reason:
        raise WorkflowError(_("Say why the wording should change."))
    with transaction.atomic():
        meeting = _locked_in_review(meeting.pk)
        prefetch_related_objects([meeting], "attendances__member__person", "signatories__person")
        if not may_comment(author, meeting):
            raise WorkflowError(
                _(
                    "Only members who attended the meeting and the people named in "
                    "the signature block can comment on these minutes."
                )
            )
        return ReviewComment.objects.create(
            meeting=meeting,
            speaker_block=block,
            agenda_item=item,
            author=author,
            proposed_text=proposed_text,
            reason=reason,
        )


# What a member or the secretary may type in a comment (the columns are unbounded).
MAX_PROPOSAL = 100_000
MAX_REPLY = 5_000


def _cleaned(text, what, limit, *, single_line=False):
    """``text`` by the site's text rule, or WorkflowError naming the field and the problem."""
    try:
        return clean_text(text, limit=limit, single_line=single_line)
    except ValidationError as invalid:
        raise WorkflowError(
            _("%(what)s: %(problem)s") % {"what": what, "problem": invalid.messages[0]}
        ) from None


def _locked_open(comment):
    comment = ReviewComment.objects.select_for_update().get(pk=comment.pk)
    if comment.status != ReviewComment.Status.OPEN:
        raise WorkflowError(_("This comment has already been decided."))
    return comment


def accept_comment(comment, *, by, reply=""):
    """The secretary accepts: the proposed wording replaces the text, whose
    old wording the comment keeps for the members to compare."""
    reply = _cleaned(reply, _("Reply"), MAX_REPLY)
    with transaction.atomic():
        meeting = _locked_in_review(comment.meeting_id)
        comment = _locked_open(comment)
        if comment.speaker_block_id:
            block = comment.speaker_block
            comment.previous_text = "\n".join(block.statements.values_list("text", flat=True))
            replace_statements(block, split_statements(comment.proposed_text))
        else:
            item = comment.agenda_item
            comment.previous_text = item.title
            item.title = comment.proposed_text
            item.save(update_fields=["title"])
        meeting.updated_by = by
        meeting.save(update_fields=["updated_by", "updated_at"])
        comment.status = ReviewComment.Status.ACCEPTED
        comment.reply = reply
        comment.decided_at = timezone.now()
        comment.decided_by = by
        comment.save()
    return comment


def decline_comment(comment, *, by, reply):
    """The secretary declines, and tells the member why in ``reply``.

    Unlike accepting, this changes no text: it is allowed after the review
    too, to close comments left open.
    """
    reply = _cleaned(reply, _("Reply"), MAX_REPLY)
    if not reply:
        raise WorkflowError(_("Tell the member why the comment is declined."))
    with transaction.atomic():
        comment = _locked_open(comment)
        comment.status = ReviewComment.Status.DECLINED
        comment.reply = reply
        comment.decided_at = timezone.now()
        comment.decided_by = by
        comment.save()
    return comment
