"""The secretary's minutes editor: one page per meeting.

The overview is an ordinary form (posted, redirected). The remarks are
edited in the browser as one document and autosaved as JSON: every save
names the revision it was based on, and a stale one gets 409 with what the
other person saved (see editing.py). Views stay thin: they check who may
edit, then hand over to the forms and services.
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import json_script
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from meetings.minutes import MinutesDocument, current_content
from meetings.models import Meeting
from meetings.renderings import content_generation, page_cache
from meetings.views import checklist, get_meeting_for, manages
from minutes_site.inputs import BadInput, read_json, strip_control

from . import editing
from .forms import AgendaItemFormSet, OverviewForm
from .matching import People, SpeakerMatcher
from .models import Outcome, Resolution, SpeakerBlock
from .parsing import parse_remarks

MAX_PASTE = 2_000_000


def json_login_required(view):
    """For the script's requests: an ended session is a 401 it can explain,
    not a redirect to the login page it would have to recognise."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            message = _(
                "Your session has ended: log in again in another tab; your changes are kept here."
            )
            return JsonResponse({"errors": [{"message": message}]}, status=401)
        return view(request, *args, **kwargs)

    return wrapper


def _editable_meeting(request, pk, queryset=None):
    meeting = get_meeting_for(request.user, pk, queryset)
    if not manages(request.user, meeting):
        raise PermissionDenied
    return meeting


def speaker_options(people):
    """Whom the speaker field offers: members serving (present first), the
    non-member attendees with a name, and the members together."""
    options = [
        {
            "key": f"m:{member.pk}",
            "name": member.person.name,
            "label": member.role_label_on(people.day),
            "hint": member.get_kind_display()
            + ("" if member.pk in people.present else " · " + _("absent")),
        }
        for member in people.serving()
    ]
    options += [
        {
            "key": f"a:{attendee.pk}",
            "name": attendee.person.name,
            "label": attendee.person.position,
            "hint": _("non-member attendee"),
        }
        for attendee in people.attendees.values()
        if attendee.person_id
    ]
    options.append({"key": "c", "name": "", "label": "위원", "hint": _("members together")})
    # Entries that are nobody's words, chosen like a speaker.
    options += [
        {"key": key, "name": "", "label": label, "hint": hint}
        for key, label, hint in unspoken_options()
    ]
    return options


def unspoken_options():
    """(key, label in the editor, hint) of the stage direction and the agenda heading."""
    return [
        ("d", _("stage direction (time, recess, reaction etc.)"), _("printed as written")),
        ("h", _("agenda heading"), _("printed as written, in bold")),
    ]


def unspoken_label(key):
    return next(label for option_key, label, _hint in unspoken_options() if option_key == key)


def editor_text():
    """The script's words, translated here so that gettext finds them all."""
    return {
        "speaker": _("Speaker"),
        "speakerPlaceholder": _("Speaker: 간사, 위원장 or a name"),
        "statement": _("Statement"),
        "statementPlaceholder": _("Statement (Enter: next statement)"),
        "agendaItem": _("Agenda item"),
        "noAgendaItem": _("(no agenda item)"),
        "unidentified": _("not yet identified"),
        "deleteBlock": _("Delete this speaker block"),
        # The buttons for touch screens: a short label and the full name.
        "tools": _("Edit this speaker block"),
        "newStatement": _("New statement after the current one (splits at the cursor)"),
        "newStatementShort": _("+ Statement"),
        "statementUp": _("Move the current statement up"),
        "statementUpShort": _("Statement ↑"),
        "statementDown": _("Move the current statement down"),
        "statementDownShort": _("Statement ↓"),
        "joinStatement": _("Join the current statement to the one above"),
        "joinStatementShort": _("Join"),
        "blockUp": _("Move the speaker block up"),
        "blockUpShort": _("Block ↑"),
        "blockDown": _("Move the speaker block down"),
        "blockDownShort": _("Block ↓"),
        "newResolution": _("Record a resolution after this block"),
        "newResolutionShort": _("+ Resolution"),
        "newBlock": _("New speaker block after this one"),
        "newBlockShort": _("+ Speaker"),
        "resolutionUp": _("Move the resolution up"),
        "resolutionDown": _("Move the resolution down"),
        "deleteResolution": _("Delete this resolution"),
        "dragToMove": _("Drag to move"),
        "resolution": _("Resolution"),
        "question": _("Question put"),
        "method": _("Decided by"),
        "outcome": _("Outcome"),
        "votes_for": _("for"),
        "votes_against": _("against"),
        "abstentions": _("abstaining"),
        "unsaved": _("Unsaved changes (kept in this browser)"),
        "saving": _("Saving…"),
        "savedAt": _("Saved at %s"),
        "upToDate": _("All changes saved"),
        "readOnly": _("Read only"),
        "offline": _(
            "No connection: your changes are kept in this browser and will be sent again."
        ),
        "signedOut": _(
            "Your session has ended: log in again in another tab; your changes are kept here."
        ),
        "notSaved": _("Not saved: see the messages above the remarks."),
        "serverError": _(
            "The server could not save the remarks. Your changes are kept in this browser."
        ),
        "localStorageFull": _("This browser cannot keep a copy of your changes: save them now."),
        "conflictStatus": _("Not saved: someone else saved in between"),
        "conflictWho": _("%(user)s saved these remarks at %(time)s, after your last save."),
        "tookTheirs": _("Their text is loaded; yours is in the paste box."),
        "confirmDelete": _("Delete this speaker block and its statements?"),
        "confirmDiscard": _("Discard the changes kept in this browser? They cannot be recovered."),
        "parsedSummary": _(
            "%(blocks)s speaker blocks, %(statements)s statements; %(unmatched)s speakers "
            "to identify."
        ),
        "statementsCount": _("%s statements"),
        "unplacedTitle": _("Lines that could not be placed (they stay in the box):"),
        "line": _("line %s:"),
    }


def editor_config(meeting):
    people = People.of(meeting)
    return {
        "meeting": meeting.pk,
        "editable": meeting.is_editable,
        "state": editing.remarks_state(meeting),
        "speakers": speaker_options(people),
        "agendaItems": [{"id": item.pk, "label": str(item)} for item in people.items.values()],
        "methods": [{"value": v, "label": str(label)} for v, label in Resolution.Method.choices],
        "outcomes": [
            {"value": v, "label": str(label)}
            for v, label in Outcome.choices
            if v != Outcome.RECEIVED
        ],
        "text": editor_text(),
        "urls": {
            "save": reverse("editor:save", args=[meeting.pk]),
            "parse": reverse("editor:parse", args=[meeting.pk]),
            "preview": reverse("editor:preview", args=[meeting.pk]),
            "state": reverse("editor:state", args=[meeting.pk]),
        },
    }


def overview_key(meeting, generation):
    """What text_parts() prints depends on: the meeting's revision
    and status, the content generation (its attendances, signatories, agenda
    items, the committee's roster and people: meetings.renderings), and the
    language and time zone it is printed in. Nothing of the user's: only
    those who manage the meeting see it, and all of them see the same page."""
    return ":".join(
        [
            "editor-text",
            str(meeting.pk),
            meeting.revision,
            meeting.status,
            generation,
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
        ]
    )


def build_text_parts(meeting, form, formset):
    """The overview form's fields and agenda table as HTML
    (templates/agenda/_overview_form.html), the script's configuration
    (json_script) and the count of unidentified speakers."""
    return {
        "overview": render_to_string(
            "agenda/_overview_form.html", {"meeting": meeting, "form": form, "formset": formset}
        ),
        "config_script": json_script(editor_config(meeting), "editor-config"),
        "unidentified": meeting.speaker_blocks.filter(
            speaker_kind=SpeakerBlock.SpeakerKind.UNIDENTIFIED
        ).count(),
    }


def text_parts(meeting, generation):
    """What the editor page prints of the meeting's text (build_text_parts(),
    with the overview form unbound).

    Kept in the "pages" cache by overview_key(): built and printed once per
    text, not on every visit (a hit costs no query; a miss loads the meeting
    for_editor() and builds the forms). ``generation`` must be read before
    ``meeting`` was (see meetings.renderings.draft_content): a change
    committed in between then files nothing under the generation it made.
    """
    key = overview_key(meeting, generation)
    parts = page_cache().get(key)
    if parts is None:
        meeting = Meeting.objects.for_editor().get(pk=meeting.pk)
        parts = build_text_parts(
            meeting,
            OverviewForm(instance=meeting),
            AgendaItemFormSet(instance=meeting, prefix="items"),
        )
        page_cache().set(overview_key(meeting, generation), parts)
    return printable(parts)


def printable(parts):
    # Printed by our own templates, and json_script escaped the configuration.
    return {**parts, "overview": mark_safe(parts["overview"])}


@login_required
def page(request, pk):
    if request.method != "POST":
        generation = content_generation()  # before the meeting: see text_parts()
        meeting = _editable_meeting(request, pk, Meeting.objects.select_related("committee"))
        return render(
            request,
            "agenda/editor.html",
            {**_page_context(meeting), **text_parts(meeting, generation)},
        )
    meeting = _editable_meeting(request, pk, Meeting.objects.for_editor())
    form = OverviewForm(request.POST or None, instance=meeting)
    formset = AgendaItemFormSet(request.POST or None, instance=meeting, prefix="items")
    if not meeting.is_editable:
        messages.error(request, _("The minutes are confirmed: amend them to make a correction."))
        return redirect("editor:page", pk=meeting.pk)
    if form.is_valid() and formset.is_valid():
        try:
            with transaction.atomic():  # the overview and its agenda: all or nothing
                form.save(request.user)
                formset.save()
        except ValidationError:
            pass  # the form carries the message; nothing was written
        else:
            messages.success(request, _("The overview is saved."))
            return redirect("editor:page", pk=meeting.pk)
    messages.error(request, _("Nothing was saved: correct the fields marked below."))
    return render(
        request,
        "agenda/editor.html",
        {
            **_page_context(meeting),
            **printable(build_text_parts(meeting, form, formset)),
            "form": form,
            "formset": formset,
            "overview_errors": bool(form.errors or formset.total_error_count),
        },
        status=400,
    )


def _page_context(meeting):
    return {
        "meeting": meeting,
        # The 확인할 사항 panel (templates/agenda/_checks_panel.html).
        "checklist": checklist(meeting) if meeting.is_editable else None,
    }


@json_login_required
@require_GET
def state(request, pk):
    meeting = _editable_meeting(request, pk)
    return JsonResponse(editing.remarks_state(meeting))


def _refused(message, status=400):
    return JsonResponse({"errors": [{"message": str(message)}]}, status=status)


@json_login_required
@require_POST
def save(request, pk):
    """Autosave of the remarks: 200 saved, 409 conflict, 400 refused."""
    meeting = _editable_meeting(request, pk)
    try:
        body = read_json(request)
    except BadInput as bad:
        return _refused(bad.message, bad.status)
    if not isinstance(body, dict):
        return _refused(_("The remarks could not be read."))
    try:
        result = editing.save_remarks(
            meeting.pk, body.get("document"), base=body.get("base"), user=request.user
        )
    except editing.Conflict as conflict:
        return JsonResponse(
            {
                "conflict": {
                    "theirs": conflict.theirs,
                    "by": conflict.by or _("someone else"),
                    "at": timezone.localtime(conflict.at).strftime("%H:%M:%S"),
                },
                "message": str(conflict),
            },
            status=409,
        )
    except editing.EditRefused as refused:
        return JsonResponse(
            {"errors": [{**e, "message": str(e["message"])} for e in refused.errors]}, status=400
        )
    result["saved_at"] = timezone.localtime().strftime("%H:%M:%S")
    return JsonResponse(result)


@json_login_required
@require_POST
def parse(request, pk):
    """Pasted text → speaker blocks and statements, matched to the meeting's people."""
    meeting = _editable_meeting(request, pk)
    too_long = _("The text is too long to paste at once: paste it in parts.")
    try:
        body = read_json(request)
    except BadInput as bad:
        return _refused(too_long if bad.status == 413 else bad.message, bad.status)
    text = body.get("text") if isinstance(body, dict) else None
    if not isinstance(text, str) or not text.strip():
        return _refused(_("Paste some text first."))
    if len(text) > MAX_PASTE:
        return _refused(too_long)
    # A PDF's page breaks and a word processor's field marks are not refused:
    # they are taken out, and the secretary is told how many.
    text, removed = strip_control(text)
    remarks = parse_remarks(text)
    matcher = SpeakerMatcher(meeting)
    matches = {}
    blocks = []
    for block in remarks.blocks:
        if block.kind != "speech":
            # A stage direction or an agenda heading stays one, as printed.
            key = "h" if block.kind == "heading" else "d"
            blocks.append(
                {
                    "speaker": key,
                    "label": "",
                    "written_name": "",
                    "heading": unspoken_label(key),
                    "identified": True,
                    "note": "",
                    "line": block.line,
                    "statements": block.statements,
                }
            )
            continue
        label = block.speaker.label
        if label not in matches:
            matches[label] = matcher.match(label)
        match = matches[label]
        blocks.append(
            {
                "speaker": match.key,
                "label": match.role_label,
                "written_name": match.written_name,
                "heading": label,
                "identified": match.identified,
                "note": match.note,
                "line": block.line,
                "statements": block.statements,
            }
        )
    return JsonResponse(
        {
            "convention": remarks.convention,
            "blocks": blocks,
            "unplaced": [{"line": u.line, "text": u.text} for u in remarks.unplaced],
            "dropped": len(remarks.dropped),
            "removed_characters": removed,
            "notes": [
                ngettext(
                    "%(count)s invisible control character was taken out of the pasted text.",
                    "%(count)s invisible control characters were taken out of the pasted text.",
                    removed,
                )
                % {"count": removed}
            ]
            if removed
            else [],
        }
    )


@json_login_required
@require_GET
def preview(request, pk):
    """The saved minutes as printed (the minutes page's template), internal or public."""
    meeting = _editable_meeting(request, pk, Meeting.objects.with_minutes())
    public = request.GET.get("version") == "public"
    document = MinutesDocument(current_content(meeting), public=public)
    html = render_to_string(
        "meetings/_paper.html",
        {"document": document, "public": public, "paper_class": "minutes-preview"},
        request=request,
    )
    return JsonResponse({"html": html})
