"""What the records rules require the minutes to state, checked in one place.

Minutes must state the meeting's name, the organising body, the date and time,
the place, the attendees and 배석, the order of proceedings, the agenda items,
the gist of the remarks, and the decisions with their vote results. Each of
these is a Requirement: a code, a label, and a test over the minutes' content
(meetings.minutes.minutes_content() of a draft, or a frozen version's
content_data()), so one rule checks a draft before review and a signed
version before it is published. A test answers what is missing in words
("장소가 없습니다."); nothing stated, nothing said.

Two judgements, made here once:

- 배석 (non-member attendees) may rightly be empty: many meetings have
  nobody at the table who is not a member, and the printed minutes then leave
  the line out. The content cannot tell "nobody" from "forgotten", so the
  requirement asks only that the list be stated (present in the content, no
  blank entry). Forgetting the one case that matters is prevented elsewhere:
  a non-member's remarks must name an attendee of this meeting (SpeakerBlock),
  and a speaker nobody identified keeps the draft from review.
- Decisions are needed where something was put to a decision: every
  deliberation (심의) item needs an outcome or a resolution, and a resolution
  decided by a show of hands or a ballot needs its counts. A meeting of report
  and advisory items only decides nothing, and needs no decision.

Per committee, more requirements can be added without touching this module:

    MINUTES_COMPLETENESS = {
        "data-policy": ["myapp.requirements.budget_stated"],
        "*": ["myapp.requirements.every_committee"],
    }

Each dotted path names a Requirement (see ``requirement()`` below); "*"
applies to every committee. The committee's own come after the base ones.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SETTING = "MINUTES_COMPLETENESS"


@dataclass(frozen=True)
class Requirement:
    """One thing the minutes must state.

    ``check(content)`` returns what is missing as sentences (empty when the
    minutes state it). ``field`` names where the editor lets a person fix it
    (an element id on the editor page), empty when nowhere in particular.
    """

    code: str
    label: str
    check: Callable[[dict], list]
    field: str = ""


@dataclass(frozen=True)
class Missing:
    """One missing item: which requirement, and what is missing, in words."""

    code: str
    label: str
    message: str
    field: str = ""


def requirement(code, label, *, field=""):
    """Make a function ``check(content) -> [sentences]`` a Requirement."""

    def make(check):
        return Requirement(code=code, label=label, check=check, field=field)

    return make


def _part(content, key):
    value = content.get(key) if isinstance(content, dict) else None
    return value if isinstance(value, dict) else {}


def _text(value):
    return value.strip() if isinstance(value, str) else ""


def _list(value):
    return value if isinstance(value, list) else []


@requirement("name", gettext_lazy("meeting name"), field="div_id_year")
def meeting_name(content):
    """The committee, the year and the number (2026년 1차 데이터정책위원회)."""
    committee, meeting = _part(content, "committee"), _part(content, "meeting")
    if _text(committee.get("name")) and meeting.get("year") and meeting.get("sequence"):
        return []
    return [
        _(
            "The meeting's name is missing: the committee's name, the year and the meeting's "
            "number (차수) are needed."
        )
    ]


@requirement("organisation", gettext_lazy("organising body"), field="committee")
def organising_body(content):
    if _text(_part(content, "committee").get("organisation")):
        return []
    return [_("The organising body is missing: enter the committee's organisation.")]


@requirement("when", gettext_lazy("date and time"), field="div_id_day")
def date_and_time(content):
    meeting = _part(content, "meeting")
    starts, ends = _text(meeting.get("starts_at")), _text(meeting.get("ends_at"))
    if not starts or not ends:
        return [_("The date and time are missing: enter the day and the start and end times.")]
    if ends <= starts:  # ISO 8601 in one time zone: compared as text
        return [_("The meeting's end time is not after its start time.")]
    return []


@requirement("place", gettext_lazy("place"), field="div_id_place")
def place(content):
    if _text(_part(content, "meeting").get("place")):
        return []
    return [_("The place is missing.")]


@requirement("attendees", gettext_lazy("members present"), field="div_id_present")
def attendees(content):
    attendance = _part(content, "attendance")
    if _list(attendance.get("external")) or _list(attendance.get("internal")):
        return []
    return [_("No member is recorded as present: tick the members who attended.")]


@requirement("non_members", gettext_lazy("non-member attendees (배석)"), field="div_id_non_members")
def non_members(content):
    """Stated, possibly empty (see the module's docstring)."""
    listed = _part(content, "attendance").get("non_members")
    if isinstance(listed, list) and all(_text(entry) for entry in listed):
        return []
    return [_("The list of non-member attendees (배석) is missing or has a blank entry.")]


@requirement("proceedings", gettext_lazy("order of proceedings"), field="div_id_proceedings_text")
def proceedings(content):
    if any(_text(node.get("text")) for node in _list(content.get("proceedings"))):
        return []
    return [_("The order of proceedings is missing.")]


@requirement("agenda", gettext_lazy("agenda items"), field="div_id_items-0-title")
def agenda(content):
    if any(_text(item.get("title")) for item in _list(content.get("agenda"))):
        return []
    return [_("No agenda item is listed.")]


# Remarks that are nobody's words (time marks, recesses, agenda headings),
# should the content mark them: they do not show what was said.
UNSPOKEN_KINDS = frozenset({"direction", "heading"})


@requirement("remarks", gettext_lazy("gist of the remarks"), field="remarks")
def remarks(content):
    for remark in _list(content.get("remarks")):
        spoken = remark.get("kind") not in UNSPOKEN_KINDS and (
            _text(remark.get("speaker")) or _text(remark.get("label"))
        )
        if spoken and any(_text(text) for text in _list(remark.get("statements"))):
            return []
    return [_("The remarks are missing: nobody's words are recorded.")]


COUNTED_METHODS = frozenset({"show_of_hands", "ballot"})


@requirement("decisions", gettext_lazy("decisions and votes"), field="div_id_items-0-outcome")
def decisions(content):
    """Every deliberation item decided; every counted vote with its counts."""
    missing = []
    resolutions = _list(content.get("resolutions"))
    decided = {
        (resolution["agenda_item"].get("kind"), resolution["agenda_item"].get("number"))
        for resolution in resolutions
        if isinstance(resolution.get("agenda_item"), dict) and resolution.get("outcome")
    }
    for item in _list(content.get("agenda")):
        key = (item.get("kind"), item.get("number"))
        if item.get("kind") == "deliberation" and not item.get("outcome") and key not in decided:
            missing.append(
                _(
                    "Deliberation item 【%(number)s】 %(title)s has no decision: "
                    "record its outcome or a resolution on it."
                )
                % {"number": item.get("number"), "title": _text(item.get("title"))}
            )
    for resolution in resolutions:
        if not resolution.get("outcome"):
            missing.append(
                _("The resolution “%(question)s” has no outcome.")
                % {"question": _text(resolution.get("question"))}
            )
        votes = _list(resolution.get("votes"))
        counted = len(votes) >= 2 and votes[0] is not None and votes[1] is not None
        if resolution.get("method") in COUNTED_METHODS and not counted:
            missing.append(
                _(
                    "The resolution “%(question)s” was decided by %(method)s, "
                    "but its vote counts are missing."
                )
                % {
                    "question": _text(resolution.get("question")),
                    "method": resolution.get("method_label") or resolution.get("method"),
                }
            )
    return missing


REQUIREMENTS = (
    meeting_name,
    organising_body,
    date_and_time,
    place,
    attendees,
    non_members,
    proceedings,
    agenda,
    remarks,
    decisions,
)


def _committee_slug(committee):
    return getattr(committee, "slug", committee) or ""


def requirements_for(committee=None):
    """The base requirements, then those MINUTES_COMPLETENESS adds for every
    committee ("*") and for ``committee`` (a Committee or its slug)."""
    extra = getattr(settings, SETTING, None) or {}
    if not isinstance(extra, dict):
        raise ImproperlyConfigured(f"{SETTING} must map committee slugs to lists of dotted paths.")
    paths = [*extra.get("*", ()), *extra.get(_committee_slug(committee), ())]
    return [*REQUIREMENTS, *(_imported(path) for path in paths)]


def _imported(path):
    try:
        found = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(f"{SETTING}: cannot import {path!r} ({error}).") from error
    if not isinstance(found, Requirement):
        raise ImproperlyConfigured(
            f"{SETTING}: {path!r} is not a Requirement (make it with completeness.requirement())."
        )
    return found


def missing_items(content, *, committee=None):
    """What the minutes in ``content`` fail to state, in order: a list of Missing.

    ``committee`` (a Committee or its slug) chooses the committee's own extra
    requirements; the content itself names no slug.
    """
    missing = []
    for rule in requirements_for(committee):
        for message in rule.check(content):
            missing.append(Missing(rule.code, str(rule.label), str(message), rule.field))
    return missing


def missing_in_version(version):
    """What a frozen version fails to state (its own content, never the live text)."""
    return missing_items(version.content_data(), committee=version.meeting.committee)


# The draft's missing items are a pure function of its content (and of the
# rules): kept in the "pages" cache by the content's hash, so the minutes page
# of a text shown before does not read the minutes to list them. Bump this
# when a requirement's test changes in a way its code does not show.
RULES_VERSION = 1


def _cache_key(sha256, committee):
    codes = ",".join(rule.code for rule in requirements_for(committee))
    language = translation.get_language()
    return f"completeness:{RULES_VERSION}:{sha256}:{_committee_slug(committee)}:{codes}:{language}"


def missing_in_draft(meeting, *, content=None):
    """What the live text of ``meeting`` fails to state.

    ``content`` is the draft's content when the caller built it already;
    otherwise the answer comes from the cache when the text's hash is known,
    or the minutes are read once (and the answer kept for the next time).
    """
    from .minutes import content_sha256
    from .renderings import draft_content, known_content_sha256, page_cache

    committee = meeting.committee
    if content is None:
        sha256 = known_content_sha256(meeting)
        if sha256 is not None:
            cached = page_cache().get(_cache_key(sha256, committee))
            if cached is not None:
                return cached
        _, content, sha256 = draft_content(meeting)
    else:
        sha256 = content_sha256(content)
    missing = missing_items(content, committee=committee)
    page_cache().set(_cache_key(sha256, committee), missing)
    return missing
