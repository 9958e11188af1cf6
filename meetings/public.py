"""The public side: published minutes for anyone, without a login (issue 13).

Only what was published is shown, and only in its public (redacted) form:
for each meeting, MinutesVersion.objects.published() names the one version
the public may read (the newest ever published: it stays public while an
amendment is prepared). Its page and its PDF are drawn from that version's
stored content through public_content(), the whitelist of what the public
version prints, so a name the public version masks cannot reach these pages,
whatever the meeting's tables hold now. Anything else is 404 with the same
message for everybody, logged in or not: the public side shows only the public.

Lists read the meeting rows (date, place) where the row is still what the
published version froze, and the version's content only where an amendment
has reopened the meeting since: a draft correction is not public.
"""

import csv
import datetime
import io
import json
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_safe

from committees.models import Committee
from minutes_site.errors import NotFound
from minutes_site.paging import page_field, page_links, page_number

from .downloads import MinutesFile, rendering_key
from .minutes import MinutesDocument, PrintedDocument, paper_key
from .models import Meeting, MinutesVersion, SealedFile, Signature, SignedDocument
from .pdf import Mark, Variant, pdf_filename, render_minutes_pdf, seal_data
from .renderings import page_cache, pdf_cache
from .tickets import Stamp, public_ticket_url

MINUTES_PER_PAGE = 20
# Public pages are the same for every anonymous reader: a proxy or browser
# may keep them briefly. Short, so that a new publication shows soon.
PUBLIC_MAX_AGE = 300
PUBLIC_KIND = SealedFile.Kind.PUBLIC_PDFA3B
PUBLIC_VARIANT = Variant.PDFA_3B


def not_published():
    return NotFound(_("There are no published minutes at this address."))


# --- addresses ------------------------------------------------------------------------


def minutes_url(meeting):
    """/public/data-policy/2026/2/: committee, year and 차수, never a database id."""
    return reverse("public:minutes", args=[meeting.committee.slug, meeting.year, meeting.sequence])


def minutes_pdf_url(meeting):
    return reverse("public:pdf", args=[meeting.committee.slug, meeting.year, meeting.sequence])


# --- what is published ------------------------------------------------------------------


@dataclass
class PublishedMinutes:
    """One published version as the public lists show it."""

    meeting: Meeting
    version: MinutesVersion
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str

    @property
    def url(self):
        return minutes_url(self.meeting)

    @property
    def pdf_url(self):
        return minutes_pdf_url(self.meeting)


def published_versions():
    """The published versions with their meeting and committee, without their content
    (read only where needed, see listed()), each annotated with ``amended``:
    whether the meeting was reopened since (its rows may then say something else)."""
    newer = MinutesVersion.objects.filter(
        meeting=OuterRef("meeting"), number__gt=OuterRef("number")
    )
    return (
        MinutesVersion.objects.published()
        .select_related("meeting__committee")
        .defer("content")
        .annotate(amended=Exists(newer))
    )


def listed(versions):
    """PublishedMinutes for ``versions`` (from published_versions()), in their order.

    The meeting row is what the version froze while the meeting stays frozen
    and no newer version exists; the other versions' contents are read in one
    query. Either way the facts shown are the published ones.
    """
    versions = list(versions)
    reopened = [v.pk for v in versions if v.amended or v.meeting.is_editable]
    contents = {}
    if reopened:
        rows = MinutesVersion.objects.filter(pk__in=reopened).values_list("pk", "content")
        contents = {pk: json.loads(content) for pk, content in rows}
    entries = []
    for version in versions:
        meeting = version.meeting
        if version.pk in contents:
            facts = contents[version.pk]["meeting"]
            starts_at = datetime.datetime.fromisoformat(facts["starts_at"])
            ends_at = datetime.datetime.fromisoformat(facts["ends_at"])
            place = facts["place"]
        else:
            starts_at, ends_at, place = meeting.starts_at, meeting.ends_at, meeting.place
        entries.append(PublishedMinutes(meeting, version, starts_at, ends_at, place))
    return entries


def published_committee(slug):
    """The committee with this slug, when it has published minutes; else 404 (one query)."""
    committee = (
        Committee.objects.filter(slug=slug)
        .filter(
            Exists(MinutesVersion.objects.published().filter(meeting__committee=OuterRef("pk")))
        )
        .first()
    )
    if committee is None:
        raise not_published()
    return committee


def published_version(committee, year, sequence):
    """The published version of the meeting at this address, with its content; else 404."""
    version = (
        MinutesVersion.objects.published()
        .filter(meeting__committee__slug=committee, meeting__year=year, meeting__sequence=sequence)
        .select_related("meeting__committee")
        .first()
    )
    if version is None:
        raise not_published()
    return version


def seal_of(version):
    """The version's seal with its signatures and files (without their bytes), or None."""
    return (
        SignedDocument.objects.filter(version=version)
        .select_related("version")
        .prefetch_related(
            Prefetch("files", queryset=SealedFile.objects.defer("pdf")),
            # paper_key() and the signature block read them through the version.
            Prefetch("version__signatures", queryset=Signature.objects.order_by("signed_at", "pk")),
        )
        .first()
    )


# --- caching --------------------------------------------------------------------------


def cacheable(request, response):
    """Public for anonymous readers; a logged-in reader's page (their messages, the
    link to their work) is theirs alone, so it is kept private."""
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


# --- pages ----------------------------------------------------------------------------


@require_safe
def home(request):
    """The committees with published minutes: how many, and the latest.

    Queries: the committees with their count and latest version (one, with
    subqueries), the latest versions (one), and the contents of those of
    them reopened by an amendment (one, only if any): however many minutes.
    """
    published = MinutesVersion.objects.published().filter(meeting__committee=OuterRef("pk"))
    latest = published.order_by("-meeting__starts_at", "-meeting__pk").values("pk")[:1]
    counts = published.order_by().values("meeting__committee").annotate(n=Count("pk")).values("n")
    committees = list(
        Committee.objects.annotate(
            latest_version=Subquery(latest), published_count=Subquery(counts)
        )
        .filter(latest_version__isnull=False)
        .order_by("name")
    )
    latest_entries = {
        entry.version.pk: entry
        for entry in listed(
            published_versions().filter(pk__in=[c.latest_version for c in committees])
        )
    }
    for committee in committees:
        committee.latest = latest_entries.get(committee.latest_version)
    response = render(request, "public/home.html", {"committees": committees})
    return cacheable(request, response)


class PublicListForm(forms.Form):
    """A committee's list: the year and the page, read from the query string.

    The years offered are those with published minutes: a value from
    elsewhere is a field error, never a query with it.
    """

    year = forms.TypedChoiceField(
        label=gettext_lazy("year"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "invalid_choice": gettext_lazy("Choose a year with published minutes from the list.")
        },
    )
    page = page_field()

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("all years")), *((year, year) for year in years)]
        self.fields["year"].choices = choices


@require_safe
def committee_minutes(request, committee):
    """A committee's published minutes by year, newest first, 20 a page.

    Queries: the committee (one), its years (one), the count and the page
    (two), and the contents of listed versions reopened by an amendment (one,
    only if any). A bad year or page is answered 400 with its message, and
    the list is shown with what could be read.
    """
    committee = published_committee(committee)
    published = published_versions().filter(meeting__committee=committee)
    years = list(
        published.order_by("-meeting__year").values_list("meeting__year", flat=True).distinct()
    )
    form = PublicListForm(request.GET, years=years)
    form.is_valid()
    chosen = form.cleaned_data  # the good fields, even when another is bad
    versions = published.order_by("-meeting__starts_at", "-meeting__sequence", "-pk")
    if chosen.get("year"):
        versions = versions.filter(meeting__year=chosen["year"])
    paginator = Paginator(versions, MINUTES_PER_PAGE)
    number = page_number(form, paginator.num_pages)
    page = paginator.page(number)
    by_year = {}
    for entry in listed(page.object_list):
        by_year.setdefault(entry.meeting.year, []).append(entry)
    response = render(
        request,
        "public/committee.html",
        {
            "committee": committee,
            "form": form,
            "year": chosen.get("year"),
            "page": page,
            "by_year": by_year.items(),
            "page_numbers": page_links(paginator, number),
        },
        status=400 if form.errors else 200,
    )
    return cacheable(request, response)


def public_evidence(version, seal):
    """What the public PDF prints of the signatures: seal_data() without addresses."""
    evidence = seal_data(
        version,
        seal.version.signatures.all(),
        code=seal.verification_code,
        url=seal.verification_url,
    )
    for signature in evidence["signatures"]:
        signature["ip_address"] = ""
    return evidence


@require_safe
def minutes(request, committee, year, sequence):
    """The public minutes page: the published version's public content, printed by the
    same template as the paper of the minutes page and the PDF.

    The printed part is kept in the "pages" cache under the content's SHA-256
    (shared with the minutes page's public view): once made, the page costs
    the version (one query) and its seal (three), however long the minutes.
    """
    stamp = Stamp.now()  # before the publication is read: see tickets.py
    version = published_version(committee, year, sequence)
    meeting = version.meeting
    seal = seal_of(version)
    key = paper_key(version.content_sha256, public=True, seal=seal)
    document = page_cache().get(key)
    if document is None:
        evidence = public_evidence(version, seal) if seal is not None else None
        document = PrintedDocument.of(
            MinutesDocument(version.content_data(), public=True, seal=evidence)
        )
        page_cache().set(key, document)
    stored = next((f for f in seal.files.all() if f.kind == PUBLIC_KIND), None) if seal else None
    response = render(
        request,
        "public/minutes.html",
        {
            "meeting": meeting,
            "committee": meeting.committee,
            "version": version,
            "document": document,
            "seal": seal,
            "stored": stored,
            # The stored file through a download ticket for anybody (tickets.py).
            "pdf_url": (
                public_ticket_url(
                    stamp, version, stored, minutes_pdf_url(meeting), max_age=PUBLIC_MAX_AGE
                )
                if stored
                else minutes_pdf_url(meeting)
            ),
        },
    )
    return cacheable(request, response)


def public_rendering(version):
    """The public PDF of ``version`` rendered (marked: it is not the sealed file), for
    the time before the seal task has stored the public file. Kept in the "pdfs"
    cache under the key the minutes page's downloads use for the same text."""
    created = version.frozen_at
    key = rendering_key(
        version.content_sha256,
        public=True,
        variant=PUBLIC_VARIANT,
        mark=Mark.UNSIGNED,
        created=created.isoformat(),
    )
    entry = pdf_cache().get(key)
    if entry is not None:
        return MinutesFile(entry["filename"], entry["sha256"], True, pdf=entry["pdf"])
    pdf = render_minutes_pdf(
        version.content_data(),
        public=True,
        variant=PUBLIC_VARIANT,
        created=created,
        mark=Mark.UNSIGNED,
    )
    filename = pdf_filename(
        version.meeting, public=True, variant=PUBLIC_VARIANT, mark=Mark.UNSIGNED
    )
    found = MinutesFile.rendered(pdf, filename, public=True)
    pdf_cache().set(key, {"pdf": pdf, "sha256": found.sha256, "filename": found.filename})
    return found


@require_safe
def minutes_pdf(request, committee, year, sequence):
    """The published version's public PDF: the sealed file stored at signing, byte for
    byte, with its SHA-256 as ETag (a browser that has it gets 304 without the
    bytes being read); until the seal task has stored it, the public rendering."""
    version = published_version(committee, year, sequence)
    files = SealedFile.objects.filter(document__version=version, kind=PUBLIC_KIND)
    if "If-None-Match" in request.headers:
        files = files.defer("pdf")
    stored = files.first()
    found = MinutesFile.of(stored, version) if stored else public_rendering(version)
    response = found.response(request)
    if stored is not None:
        # The sealed public file never changes; a newer publication is a new ETag.
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    else:
        patch_cache_control(response, public=True, no_cache=True)
    return response


# Cells a spreadsheet would read as a formula: the text is shown as text instead.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(text):
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def decision_line(decision):
    """A line of 의결사항 as the minutes print it."""
    line = f"{decision['subject']} — {decision['outcome_label']}"
    if decision["method_label"]:
        tally = f": {decision['tally']}" if decision["tally"] else ""
        line += f" ({decision['method_label']}{tally})"
    return line


@require_safe
def minutes_csv(request, committee):
    """The committee's published minutes as CSV, newest first, one row a meeting.

    UTF-8 with a byte order mark, so that Excel reads the Korean. Each row is
    drawn from the published version's public content, like its page.
    Queries: the committee, the versions with their contents, their stored
    public files' hashes: three, however many minutes.
    """
    committee = published_committee(committee)
    versions = list(
        MinutesVersion.objects.published()
        .filter(meeting__committee=committee)
        .select_related("meeting__committee")
        .order_by("-meeting__starts_at", "-meeting__sequence", "-pk")
    )
    hashes = dict(
        SealedFile.objects.filter(document__version__in=versions, kind=PUBLIC_KIND).values_list(
            "document__version_id", "sha256"
        )
    )
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow(
        [
            pgettext("CSV column", "Year"),
            pgettext("CSV column", "Number"),
            pgettext("CSV column", "Date and time"),
            pgettext("CSV column", "Place"),
            pgettext("CSV column", "Agenda items"),
            pgettext("CSV column", "Resolutions"),
            pgettext("CSV column", "Page"),
            pgettext("CSV column", "PDF"),
            pgettext("CSV column", "SHA-256 of the PDF"),
        ]
    )
    for version in versions:
        document = MinutesDocument(version.content_data(), public=True)
        meeting = version.meeting
        facts = document.content["meeting"]
        agenda = [
            f"{group.label} 【{item['number']}】 {item['title']}"
            for group in document.agenda_groups
            for item in group.items
        ]
        writer.writerow(
            [
                facts["year"],
                facts["sequence"],
                document.when,
                spreadsheet_text(facts["place"]),
                spreadsheet_text("\n".join(agenda)),
                spreadsheet_text("\n".join(map(decision_line, document.decisions))),
                settings.SITE_URL + minutes_url(meeting),
                settings.SITE_URL + minutes_pdf_url(meeting),
                hashes.get(version.pk, ""),
            ]
        )
    response = HttpResponse("\ufeff" + output.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"{committee.slug}-minutes.csv"
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response
