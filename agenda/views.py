"""Members' review of draft minutes: comments on speaker blocks and agenda items."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings.minutes import MinutesDocument, minutes_content, remark_changes
from meetings.models import Meeting
from meetings.services import WorkflowError
from meetings.views import get_meeting_for, manages

from . import services
from .models import AgendaItem, ReviewComment, SpeakerBlock


@login_required
def review(request, meeting_pk):
    """The draft as it will print, with a comment form under every speaker
    block and agenda item; the member's own comments (the secretary: all of
    them, open first, with the buttons to decide)."""
    return _review_page(request, meeting_pk)


def _review_page(request, meeting_pk, failed=None):
    """The review page; ``failed`` is a refused form, shown again as it was
    typed with its error beside it (status 400)."""
    meeting = get_meeting_for(request.user, meeting_pk, Meeting.objects.with_minutes())
    content = minutes_content(meeting)
    document = MinutesDocument(content, public=False)
    # After an amendment, the members see what changed since the signed text.
    previous = meeting.current_version()
    changes = remark_changes(previous.content_data(), content) if previous else []
    is_manager = manages(request.user, meeting)
    in_review = meeting.status == Meeting.Status.IN_REVIEW

    # The remarks print in the order of meeting.speaker_blocks.all().
    blocks = list(meeting.speaker_blocks.all())
    remarks = [
        {
            "number": number,
            "remark": remark,
            "block": block,
            "current": "\n".join(remark.statements),
            "failed": _failed_on(failed, "block", block.pk),
        }
        for number, (remark, block) in enumerate(zip(document.remarks, blocks, strict=True), 1)
    ]
    items = sorted(meeting.agenda_items.all(), key=lambda item: (item.kind_rank, item.number))
    for item in items:
        item.failed = _failed_on(failed, "item", item.pk)
    labels = {
        ("block", r["block"].pk): f"{r['number']}. <{r['remark'].heading}>"
        if r["remark"].is_spoken
        else f"{r['number']}. {' '.join(r['remark'].statements)[:40]}"
        for r in remarks
    }
    labels.update({("item", item.pk): f"【{item.number}】 {item.title}" for item in items})

    comments = meeting.review_comments.select_related("author__person", "decided_by__person")
    if not is_manager:
        comments = comments.filter(author=request.user)
    comments = sorted(comments, key=lambda c: (not c.is_open, c.created_at, c.pk))
    for comment in comments:
        if comment.speaker_block_id:
            comment.target = ("block", comment.speaker_block_id)
        else:
            comment.target = ("item", comment.agenda_item_id)
        comment.target_label = labels.get(comment.target, "")
        comment.anchor = f"{comment.target[0]}-{comment.target[1]}"
        comment.failed = _failed_on(failed, "accept", comment.pk) or _failed_on(
            failed, "decline", comment.pk
        )

    return render(
        request,
        "agenda/review.html",
        {
            "meeting": meeting,
            "document": document,
            "remarks": remarks,
            "items": items,
            "comments": comments,
            "previous_version": previous,
            "changes": changes,
            "open_count": sum(1 for c in comments if c.is_open),
            "is_manager": is_manager,
            "in_review": in_review,
            "can_comment": in_review and services.may_comment(request.user, meeting),
            "failed": failed,
        },
        status=400 if failed else 200,
    )


def _failed_on(failed, kind, pk):
    return failed if failed and failed["kind"] == kind and failed["pk"] == pk else None


def _refused(request, meeting, error, kind, pk, **typed):
    """The page again, the refused form holding what was typed, the error beside it."""
    failed = {"kind": kind, "pk": pk, "error": str(error), **typed}
    messages.error(request, str(error))
    return _review_page(request, meeting.pk, failed)


def _target(model, value, meeting):
    """The block or item named in the form, if any; 404 for another meeting's."""
    if not value:
        return None
    try:
        pk = int(value)
    except ValueError:
        raise Http404 from None
    return get_object_or_404(model, pk=pk, meeting=meeting)


@login_required
@require_POST
def comment(request, meeting_pk):
    meeting = get_meeting_for(request.user, meeting_pk)
    block = _target(SpeakerBlock, request.POST.get("block"), meeting)
    item = _target(AgendaItem, request.POST.get("item"), meeting)
    typed = {
        "proposed_text": request.POST.get("proposed_text", ""),
        "reason": request.POST.get("reason", ""),
    }
    try:
        services.comment(meeting, author=request.user, block=block, item=item, **typed)
    except WorkflowError as error:
        if block is None and item is None:
            messages.error(request, str(error))
            return redirect("agenda:review", meeting_pk=meeting.pk)
        kind, target = ("block", block) if block is not None else ("item", item)
        return _refused(request, meeting, error, kind, target.pk, **typed)
    else:
        messages.success(request, _("Your comment was sent to the secretary."))
    return redirect("agenda:review", meeting_pk=meeting.pk)


def _decidable(request, pk):
    """The comment and its meeting, for the secretary only (403 for readers, 404 for others)."""
    comment = get_object_or_404(ReviewComment, pk=pk)
    meeting = get_meeting_for(
        request.user,
        comment.meeting_id,
        Meeting.objects.prefetch_related("signatories__person"),
    )
    if not manages(request.user, meeting):
        raise PermissionDenied
    return comment, meeting


@login_required
@require_POST
def accept(request, pk):
    comment, meeting = _decidable(request, pk)
    reply = request.POST.get("reply", "")
    try:
        services.accept_comment(comment, by=request.user, reply=reply)
    except WorkflowError as error:
        return _refused(request, meeting, error, "accept", comment.pk, reply=reply)
    else:
        messages.success(
            request, _("The comment was accepted and the minutes now read as proposed.")
        )
    return redirect("agenda:review", meeting_pk=meeting.pk)


@login_required
@require_POST
def decline(request, pk):
    comment, meeting = _decidable(request, pk)
    reply = request.POST.get("reply", "")
    try:
        services.decline_comment(comment, by=request.user, reply=reply)
    except WorkflowError as error:
        return _refused(request, meeting, error, "decline", comment.pk, reply=reply)
    else:
        messages.success(request, _("The comment was declined; the member will see your reply."))
    return redirect("agenda:review", meeting_pk=meeting.pk)
