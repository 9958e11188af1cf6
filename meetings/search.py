"""Search in the minutes: one page for logged-in readers, one for the public.

Both answer the same form (words, speaker, agenda item, committee, year, a
span of days) with speaker blocks, each linked to its anchor on the minutes
page (``#remark-N``, N counted from 1 in print order), with a snippet whose
matches are marked.

- **Logged in** (``/meetings/search/``): the remarks of every meeting the user
  may read (``Meeting.objects.for_user``), drafts and frozen versions alike,
  read from the remarks' tables. That is what the minutes page shows: a draft
  prints its tables, and a confirmed text prints its frozen version, which
  the tables equal from the confirmation until amend() reopens them
  (MeetingContent refuses any change in between). Reading the tables keeps
  one query plan for every meeting instead of parsing each version's JSON;
  the one thing read as it is now rather than as frozen is a speaker's name
  in the heading (a person renamed since the confirmation).
- **Public** (``/public/search/``): only PublicPassage, the published public
  versions as printed (headings <000위원>, names masked in the statements),
  written when a version is published (index_public_version()). Nothing
  internal is ever searched, so a redacted name finds nothing: neither a
  passage nor the fact that one exists.

Every text condition is ``icontains``: on PostgreSQL, ``UPPER(column) LIKE
UPPER('%word%')``, answered from the pg_trgm GIN indexes on UPPER(column) of
migrations meetings 0012 and agenda 0007 (a word of three characters or more;
shorter ones are checked row by row). Korean needs no stemmer for that:
데이터 finds 빅데이터. SQLite runs the same queries without those indexes.
Query count per page: a fixed handful, whatever the data (see the views).
"""

import datetime
import re
import zoneinfo
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from minutes_site.forms import BootstrapForm
from minutes_site.inputs import normalise_text, validate_meeting_day, validate_text
from minutes_site.paging import page_field, page_links, page_number

from .forms import offer_committees_and_years
from .minutes import public_content, speaker_heading
from .models import Meeting, PublicPassage

RESULTS_PER_PAGE = 20
MAX_WORDS = 10
# How much of a passage a result shows around its first match.
SNIPPET_BEFORE, SNIPPET_LENGTH = 40, 180


# --- the public passages, written at publication ---------------------------------


def passage_rows(content, agenda_titles=()):
    """The passages of one version: dicts of PublicPassage's own fields.

    ``content`` is the version's content (internal or public: it is made
    public here, so only what the public version prints is taken);
    ``agenda_titles`` the agenda item of each speaker block in print order,
    when known. Pure: migration 0012 uses it on historical models too.
    """
    public = public_content(content)
    meeting = public["meeting"]
    day = datetime.datetime.fromisoformat(meeting["starts_at"]).date()
    titles = list(agenda_titles) if len(agenda_titles) == len(public["remarks"]) else []
    return [
        {
            "year": meeting["year"],
            "sequence": meeting["sequence"],
            "day": day,
            "position": number,
            "heading": remark["heading"],
            "text": "\n".join(remark["statements"]),
            "agenda_title": (titles[number - 1] or "") if titles else "",
        }
        for number, remark in enumerate(public["remarks"], start=1)
    ]


def block_agenda_titles(meeting, version_number, newest_number):
    """The agenda item title of each speaker block, in print order, when the
    tables still hold ``version_number``'s text; else () (then no passage
    names an agenda item).

    The frozen content does not record which block belongs to which agenda
    item; the tables do, and they are that version's text while it is the
    newest and the meeting is not reopened for correction.
    """
    if version_number != newest_number or meeting.status in Meeting.EDITABLE_STATUSES:
        return ()
    return tuple(
        meeting.speaker_blocks.order_by("position", "id").values_list(
            "agenda_item__title", flat=True
        )
    )


def index_public_version(version):
    """Make ``version`` the meeting's searchable public text (called by publish()).

    Replaces the meeting's passages: the public side shows the newest
    published version only (MinutesVersion.objects.published()). Three
    queries and one insert, whatever the length of the minutes.
    """
    meeting = Meeting.objects.select_related("committee").get(pk=version.meeting_id)
    newest = meeting.versions.order_by("-number").values_list("number", flat=True).first()
    titles = block_agenda_titles(meeting, version.number, newest)
    rows = passage_rows(version.content_data(), titles)
    with transaction.atomic():
        PublicPassage.objects.filter(meeting=meeting).delete()
        PublicPassage.objects.bulk_create(
            PublicPassage(version=version, meeting=meeting, committee=meeting.committee, **row)
            for row in rows
        )


# --- the form -------------------------------------------------------------------


class SearchForm(BootstrapForm, forms.Form):
    """The search's conditions, read from the query string.

    Each field that cannot be read is an error shown above the form; the
    others still apply (the view answers 400 with the results of the good
    ones). The committees and years offered are those that can have results
    (``options``: (slug, name, year) triples, one query).
    """

    q = forms.CharField(
        label=gettext_lazy("words"),
        required=False,
        max_length=200,
        validators=[validate_text],
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": gettext_lazy("e.g. 데이터 예산")}
        ),
        help_text=gettext_lazy("Every word must appear; part of a word is enough."),
    )
    speaker = forms.CharField(
        label=gettext_lazy("speaker"),
        required=False,
        max_length=50,
        validators=[validate_text],
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("e.g. 위원장, 간사, 팀장")}),
    )
    agenda = forms.CharField(
        label=gettext_lazy("agenda item"),
        required=False,
        max_length=100,
        validators=[validate_text],
    )
    committee = forms.ChoiceField(
        label=gettext_lazy("committee"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose a committee from the list.")},
    )
    year = forms.TypedChoiceField(
        label=gettext_lazy("year"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": gettext_lazy("Choose a year from the list.")},
    )
    since = forms.DateField(
        label=gettext_lazy("first day"),
        required=False,
        validators=[validate_meeting_day],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label=gettext_lazy("last day"),
        required=False,
        validators=[validate_meeting_day],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    page = page_field()

    CRITERIA = ("q", "speaker", "agenda", "committee", "year", "since", "until")

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        offer_committees_and_years(self, options)

    def _words(self, name):
        # NFC, as the minutes are stored: 한글 typed on a Mac matches too.
        words = normalise_text(self.cleaned_data[name]).split()
        if len(words) > MAX_WORDS:
            raise forms.ValidationError(
                _("Search for at most %(limit)s words at a time.") % {"limit": MAX_WORDS}
            )
        return words

    def clean_q(self):
        return self._words("q")

    def clean_speaker(self):
        return self._words("speaker")

    def clean_agenda(self):
        return normalise_text(self.cleaned_data["agenda"]).strip()

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end of the period must not be before its start."))
        return cleaned

    @property
    def criteria(self):
        """The conditions that could be read: {name: value} without the empty ones."""
        return {
            name: self.cleaned_data[name] for name in self.CRITERIA if self.cleaned_data.get(name)
        }


# --- results --------------------------------------------------------------------


@dataclass
class Hit:
    """One result as the page prints it."""

    meeting: str
    day: datetime.date
    heading: str
    snippet: str
    agenda_title: str
    url: str


def highlight(text, words):
    """The part of ``text`` around the first match of ``words``, HTML-escaped,
    each match in <mark>: safe to print as it is.

    Matches ignore case, as ``icontains`` does; without words (or when none is
    found) the passage's beginning is shown.
    """
    text = " ".join(text.split())
    pattern = None
    start = 0
    if words:
        alternatives = sorted({word for word in words if word}, key=len, reverse=True)
        pattern = re.compile("|".join(map(re.escape, alternatives)), re.IGNORECASE)
        first = pattern.search(text)
        if first is not None:
            start = max(0, first.start() - SNIPPET_BEFORE)
    end = min(len(text), start + SNIPPET_LENGTH)
    part = text[start:end]
    pieces = ["…" if start > 0 else ""]
    position = 0
    for match in pattern.finditer(part) if pattern else ():
        pieces.append(escape(part[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(part[position:]))
    pieces.append("…" if end < len(text) else "")
    return mark_safe("".join(pieces))


def meeting_title(year, sequence, committee):
    return _("%(year)s no. %(sequence)s %(committee)s") % {
        "year": year,
        "sequence": sequence,
        "committee": committee,
    }


class Results:
    """A page of results: the hits, how many in all and in how many meetings."""

    def __init__(self, matches, *, number, hits):
        self.total = len(matches)
        self.meetings = len({meeting for _pk, meeting in matches})
        self.hits = hits
        self.paginator = _CountedPaginator(self.total)
        self.page = self.paginator.page(number)
        self.page_numbers = page_links(self.paginator, number)


class _CountedPaginator(Paginator):
    """Pages over a count already known (the results' aggregate query)."""

    def __init__(self, count):
        super().__init__(range(count), RESULTS_PER_PAGE)
        self._known = count

    @cached_property
    def count(self):
        return self._known


def matched(queryset, ordering):
    """Every match as (id, meeting id), in the order of the results: one query.

    The count, the number of minutes and the page's ids all come from it, so
    the text is scanned once: a separate COUNT and a sorted LIMIT query each
    scanned it again (a common word matches most blocks, and the trigram
    index cannot spare that scan: every match must be counted). It moves two
    integers per match, a few kilobytes at ten years of minutes.
    """
    return list(queryset.order_by(*ordering).values_list("pk", "meeting_id"))


def page_of(form, matches):
    """(results' page number, the ids on that page)."""
    number = page_number(form, max(1, -(-len(matches) // RESULTS_PER_PAGE)))
    first = (number - 1) * RESULTS_PER_PAGE
    return number, [pk for pk, _meeting in matches[first : first + RESULTS_PER_PAGE]]


def start_of(day):
    """The first moment of ``day`` in Seoul (meetings are dated in local time)."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)


def public_results(form):
    """The public search: two queries (the matches; the page with its
    committees), and the view's one for the options."""
    criteria = form.criteria
    passages = PublicPassage.objects.matching(
        words=criteria.get("q", ()),
        speaker=criteria.get("speaker", ()),
        agenda=criteria.get("agenda", ""),
        committee=criteria.get("committee", ""),
        year=criteria.get("year"),
        since=criteria.get("since"),
        until=criteria.get("until"),
    )
    ordering = ("-day", "-meeting_id", "position")
    matches = matched(passages, ordering)
    number, ids = page_of(form, matches)
    page = PublicPassage.objects.filter(pk__in=ids).select_related("committee").order_by(*ordering)
    words = criteria.get("q", ())
    hits = [
        Hit(
            meeting=meeting_title(p.year, p.sequence, p.committee.name),
            day=p.day,
            heading=p.heading,
            snippet=highlight(p.text, words),
            agenda_title=p.agenda_title,
            url=public_minutes_url(p.committee.slug, p.year, p.sequence) + f"#remark-{p.position}",
        )
        for p in page
    ]
    return Results(matches, number=number, hits=hits)


def public_minutes_url(committee, year, sequence):
    """The public page of published minutes (meetings/public_urls.py)."""
    return reverse(
        "public:minutes", kwargs={"committee": committee, "year": year, "sequence": sequence}
    )


def _remarks_models():
    """SpeakerBlock and Statement, reached through the relation (the agenda app
    depends on this one, never the other way)."""
    blocks = Meeting._meta.get_field("speaker_blocks").related_model
    return blocks, blocks._meta.get_field("statements").related_model


def readable_blocks(user, criteria):
    """The speaker blocks of the minutes ``user`` may read that meet ``criteria``."""
    SpeakerBlock, Statement = _remarks_models()
    blocks = SpeakerBlock.objects.filter(
        meeting__in=Meeting.objects.for_user(user).order_by().values("pk")
    )
    for word in criteria.get("q", ()):
        blocks = blocks.filter(
            Exists(Statement.objects.filter(block=OuterRef("pk"), text__icontains=word))
        )
    for word in criteria.get("speaker", ()):
        blocks = blocks.filter(
            Q(role_label__icontains=word)
            | Q(member__person__name__icontains=word)
            | Q(attendee__person__name__icontains=word)
            | Q(written_name__icontains=word)
        )
    if criteria.get("agenda"):
        blocks = blocks.filter(agenda_item__title__icontains=criteria["agenda"])
    if criteria.get("committee"):
        blocks = blocks.filter(meeting__committee__slug=criteria["committee"])
    if criteria.get("year"):
        blocks = blocks.filter(meeting__year=criteria["year"])
    if criteria.get("since"):
        blocks = blocks.filter(meeting__starts_at__gte=start_of(criteria["since"]))
    if criteria.get("until"):
        next_day = criteria["until"] + datetime.timedelta(days=1)
        blocks = blocks.filter(meeting__starts_at__lt=start_of(next_day))
    return blocks


def internal_results(user, form):
    """The logged-in search: four queries (the matches; the page with its
    meetings, committees, speakers and agenda items; the page's statements;
    the order of the blocks of the page's meetings, for the anchors)."""
    SpeakerBlock, Statement = _remarks_models()
    criteria = form.criteria
    ordering = ("-meeting__starts_at", "-meeting_id", "position", "pk")
    matches = matched(readable_blocks(user, criteria), ordering)
    number, ids = page_of(form, matches)
    page = list(
        SpeakerBlock.objects.filter(pk__in=ids)
        .select_related("meeting__committee", "member__person", "attendee__person", "agenda_item")
        .order_by(*ordering)
    )
    texts = {}
    for block_id, text in (
        Statement.objects.filter(block_id__in=ids)
        .order_by("block_id", "position", "pk")
        .values_list("block_id", "text")
    ):
        texts.setdefault(block_id, []).append(text)
    # N of #remark-N: the block's place among all of its meeting's blocks, in
    # the order the minutes print them (minutes_content()).
    anchors, counters = {}, {}
    if page:
        for block_id, meeting_id in (
            SpeakerBlock.objects.filter(meeting_id__in={block.meeting_id for block in page})
            .order_by("meeting_id", "position", "pk")
            .values_list("pk", "meeting_id")
        ):
            counters[meeting_id] = counters.get(meeting_id, 0) + 1
            anchors[block_id] = counters[meeting_id]
    words = criteria.get("q", ())
    hits = [
        Hit(
            meeting=str(block.meeting),
            day=block.meeting.meeting_day,
            heading=speaker_heading(block.speaker_name, block.role_label, public=False),
            snippet=highlight("\n".join(texts.get(block.pk, [])), words),
            agenda_title=block.agenda_item.title if block.agenda_item_id else "",
            url=block.meeting.get_absolute_url() + f"#remark-{anchors[block.pk]}",
        )
        for block in page
    ]
    return Results(matches, number=number, hits=hits)


# --- the views ------------------------------------------------------------------


def _answer(request, template, form, results, extra=None):
    searched = bool(form.is_bound and form.criteria)
    return render(
        request,
        template,
        {
            "form": form,
            "results": results if searched else None,
            "searched": searched,
            **(extra or {}),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
def search(request):
    """/meetings/search/: the remarks of the minutes the user may read.

    Queries: the committees and years offered (one), then internal_results()
    (four) when anything was asked; plus the session, the user and the
    navbar's task count.
    """
    options = Meeting.objects.for_user(request.user).filter_options()
    form = SearchForm(request.GET or None, options=options)
    results = None
    if form.is_bound:
        form.is_valid()
        if form.criteria:
            results = internal_results(request.user, form)
    return _answer(request, "meetings/search.html", form, results)


@require_safe
def public_search(request):
    """/public/search/: the published public versions only, for anybody.

    Queries: the committees and years that have published minutes (one),
    then public_results() (two) when anything was asked.
    """
    published = PublicPassage.objects.filter(meeting=OuterRef("pk"))
    options = Meeting.objects.filter(Exists(published)).filter_options()
    form = SearchForm(request.GET or None, options=options)
    results = None
    if form.is_bound:
        form.is_valid()
        if form.criteria:
            results = public_results(form)
    return _answer(request, "public/search.html", form, results)
