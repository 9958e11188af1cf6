"""The open-data API: published minutes as JSON, read-only, for anyone (issue 13).

    /api/committees                                     committees with published minutes
    /api/committees/{slug}                              one committee, its years
    /api/committees/{slug}/meetings[?year=]             its published minutes, newest first
    /api/committees/{slug}/meetings/{year}/{sequence}   one meeting's minutes: the overview
        .../remarks                                     its speaker blocks, in order
        .../remarks/{block}                             one speaker block
        .../remarks/{block}/statements/{statement}      one statement
    /api/openapi.json                                   the OpenAPI document of all this

Every answer carries the absolute URLs of what lies below it, so a client
walks from the committee list to one statement by links alone; lists are
paginated and link their next and previous pages.

What is served is exactly what the public version prints: public_content()
of the published version's stored content (MinutesVersion.objects.published()),
the same whitelist the public page and the public PDF are drawn from, never
the live tables (an amendment in progress changes nothing here until it is
published). A meeting that is not published does not exist for the API.

Built with django-ninja: the pydantic schemas below validate the parameters,
shape the answers and are the OpenAPI document, from the same code. The
interactive docs page is off (it loads its scripts from a CDN, which the
site's CSP refuses); the JSON document is served.
"""

import datetime
import functools
import hashlib
import math
import re
from typing import Any

from django.conf import settings
from django.db.models import Count, JSONField, OuterRef, Subquery
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Cast
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import ValidationError
from ninja.pagination import PaginationBase, paginate
from ninja.renderers import JSONRenderer

from committees.models import Committee
from minutes_site.errors import NotFound
from minutes_site.inputs import FIRST_YEAR, LAST_YEAR, SMALLINT_MAX

from .minutes import canonical_json, format_document_date, format_meeting_time, public_content
from .models import MinutesVersion, SealedFile, SignedDocument

# Part of every ETag: a change of the answers' shape is a change of the answers.
API_FORMAT = "1"
# Published minutes change only when an amendment is published: a client or a
# proxy may keep an answer this long, then revalidates it (ETag, 304).
CACHE_SECONDS = 300
PAGE_SIZE = 20
# The bounds of every number the API reads; past them it answers 400, never a query.
RANGES = {
    "page": (1, 10_000),
    "page_size": (1, 100),
    "year": (FIRST_YEAR, LAST_YEAR),
    "sequence": (1, SMALLINT_MAX),
    "block": (1, SMALLINT_MAX),
    "statement": (1, SMALLINT_MAX),
}
# Committee.slug is a SlugField(max_length=60): anything else names no committee
# and is not looked up (a NUL would even break the query on PostgreSQL).
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,60}")
SLUG_DESCRIPTION = "The committee's short name, e.g. data-policy."
YEAR_DESCRIPTION = "The year of the meeting."
SEQUENCE_DESCRIPTION = "The meeting's number within the year (차수): 1 for 1차."


def bounded(name, default=..., *, source=Query, description=""):
    """A parameter (Query, Path, or a schema's Field) within its RANGES."""
    low, high = RANGES[name]
    return source(default, ge=low, le=high, description=description)


class NotModified(Exception):
    """The client has this answer already (its ETag): raised to answer 304 from
    anywhere, a paginated view included."""

    def __init__(self, response):
        super().__init__()
        self.response = response


class BadParameter(Exception):
    """A parameter that passed its type but not its meaning (a page past the end)."""

    def __init__(self, parameter, message):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


# --- the API ----------------------------------------------------------------------


class ReadableJSON(JSONRenderer):
    """UTF-8 JSON with Korean as it is, not as \\uXXXX escapes."""

    json_dumps_params = {"ensure_ascii": False}


def cacheable(view):
    """The OpenAPI document changes only with the code: public, kept a while."""

    def document(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        return response

    return document


class ReadOnlyAPI(NinjaAPI):
    """Every address answers GET only; anything else is a 405 in JSON, with Allow: GET."""

    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            pattern.callback = get_only(pattern.callback)
        return patterns, app_name, namespace


def get_only(view):
    def read_only(request, *args, **kwargs):
        asked = request.method
        if asked not in ("GET", "HEAD"):
            message = _("The open data API is read-only: it answers GET requests only.")
            response = problem(request, message, 405)
            response["Allow"] = "GET, HEAD"
        else:
            # HEAD is answered as GET; the server leaves the body out.
            request.method = "GET"
            try:
                response = view(request, *args, **kwargs)
            finally:
                request.method = asked
        # Open data: any web page may read it (no cookies are sent or needed).
        response["Access-Control-Allow-Origin"] = "*"
        return response

    # Ninja's views are exempt from the CSRF check (nothing here writes), so a
    # POST reaches this refusal instead of the site's CSRF page.
    read_only.csrf_exempt = True
    return read_only


api = ReadOnlyAPI(
    title="Committee minutes: open data",
    version=API_FORMAT,
    description=(
        "Published committee minutes in their public (redacted) form, read-only. "
        "Start at /api/committees and follow the `url` links. Lists are paginated "
        "(`page`, `page_size`); a meeting's answers carry an ETag (send If-None-Match "
        "for 304). Errors are JSON with a `message` in the site's language (Korean by default)."
    ),
    urls_namespace="api",
    docs_url=None,
    docs_decorator=cacheable,
    renderer=ReadableJSON(),
)


# --- errors -------------------------------------------------------------------------


class ParameterProblem(Schema):
    parameter: str
    message: str


class Problem(Schema):
    message: str = Field(description="What went wrong, in the site's language.")
    errors: list[ParameterProblem] = Field(
        default_factory=list, description="One entry per parameter that could not be read."
    )


NOT_FOUND = {404: Problem}
REFUSED = {400: Problem, 404: Problem}


def parameter_message(parameter):
    if parameter in RANGES:
        low, high = RANGES[parameter]
        return _("“%(parameter)s” must be a whole number from %(minimum)s to %(maximum)s.") % {
            "parameter": parameter,
            "minimum": low,
            "maximum": high,
        }
    return _("“%(parameter)s” could not be read.") % {"parameter": parameter}


def problem(request, message, status, errors=()):
    body = {"message": message, "errors": list(errors)}
    return api.create_response(request, body, status=status)


@api.exception_handler(ValidationError)
def invalid_parameters(request, exc):
    """pydantic's refusals (English, about types) as one sentence per parameter."""
    names = []
    for error in exc.errors:
        location = error.get("loc") or ("?",)
        name = str(location[-1])
        if name not in names:
            names.append(name)
    errors = [{"parameter": name, "message": parameter_message(name)} for name in names]
    return problem(request, errors[0]["message"], 400, errors)


@api.exception_handler(BadParameter)
def bad_parameter(request, exc):
    return problem(
        request, exc.message, 400, [{"parameter": exc.parameter, "message": exc.message}]
    )


@api.exception_handler(NotModified)
def not_modified(request, exc):
    return exc.response


@api.exception_handler(Http404)
def not_found(request, exc):
    if isinstance(exc, NotFound) and exc.args:
        message = exc.args[0]
    else:
        message = _("There is nothing at this address in the open data API.")
    return problem(request, message, 404)


def no_committee():
    return NotFound(_("No committee with published minutes has this address."))


def no_minutes():
    return NotFound(_("No published minutes have this address."))


# --- links ------------------------------------------------------------------------------


def link(request, name, **kwargs):
    return request.build_absolute_uri(reverse(f"api:{name}", kwargs=kwargs))


def meeting_link(request, name, address, **kwargs):
    committee, year, sequence = address
    return link(request, name, slug=committee, year=year, sequence=sequence, **kwargs)


def public_link(request, name, address):
    """The public side's page or PDF of these minutes (meetings/public_urls.py)."""
    committee, year, sequence = address
    return request.build_absolute_uri(
        reverse(
            f"public:{name}", kwargs={"committee": committee, "year": year, "sequence": sequence}
        )
    )


def public_committee_link(request, name, slug):
    """The public side's page or CSV of a committee."""
    return request.build_absolute_uri(reverse(f"public:{name}", kwargs={"committee": slug}))


def address_of(version):
    meeting = version.meeting
    return (meeting.committee.slug, meeting.year, meeting.sequence)


# --- pagination ---------------------------------------------------------------------------


class Pages(PaginationBase):
    """Numbered pages that link their neighbours: ``next`` and ``previous`` are
    absolute URLs (or null), so a client pages by links as it walks by them."""

    class Input(Schema):
        page: int = bounded("page", 1, source=Field, description="The page, from 1.")
        page_size: int = bounded("page_size", PAGE_SIZE, source=Field, description="Items a page.")

    class Output(Schema):
        count: int = Field(description="Items in the whole list.")
        page: int
        pages: int = Field(description="Pages in the whole list (at least 1).")
        next: str | None = Field(description="The next page's URL, or null on the last.")
        previous: str | None = Field(description="The previous page's URL, or null on the first.")
        items: list[Any]

    def paginate_queryset(self, queryset, pagination, request, **params):
        count = self._items_count(queryset)
        pages = max(1, math.ceil(count / pagination.page_size))
        page = pagination.page
        if page > pages:
            raise BadParameter(
                "page",
                _("There is no page %(page)s: the last page is %(pages)s.")
                % {"page": page, "pages": pages},
            )
        start = (page - 1) * pagination.page_size
        return {
            "count": count,
            "page": page,
            "pages": pages,
            "next": self.page_link(request, page + 1) if page < pages else None,
            "previous": self.page_link(request, page - 1) if page > 1 else None,
            "items": queryset[start : start + pagination.page_size],
        }

    @staticmethod
    def page_link(request, page):
        query = request.GET.copy()
        query["page"] = str(page)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


# --- reading ------------------------------------------------------------------------------


def published_in(committee_field):
    """Published versions counted by ``committee_field`` of the outer query."""
    return (
        MinutesVersion.objects.published()
        .filter(meeting__committee=OuterRef(committee_field))
        .order_by()
        .values("meeting__committee")
        .annotate(count=Count("pk"))
        .values("count")
    )


def committees_with_minutes():
    """Committees with at least one published version, and how many: one query."""
    return (
        Committee.objects.annotate(published_minutes=Subquery(published_in("pk")))
        .filter(published_minutes__gt=0)
        .order_by("name", "pk")
    )


def committee_or_404(slug):
    if not SLUG.fullmatch(slug):
        raise no_committee()
    committee = committees_with_minutes().filter(slug=slug).first()
    if committee is None:
        raise no_committee()
    return committee


def with_files(versions):
    """Each version's public PDF SHA-256 and verification code, in the same query."""
    public_file = SealedFile.objects.filter(
        document__version=OuterRef("pk"), kind=SealedFile.Kind.PUBLIC_PDFA3B
    )
    seal = SignedDocument.objects.filter(version=OuterRef("pk"))
    return versions.annotate(
        public_pdf_sha256=Subquery(public_file.values("sha256")[:1]),
        verification_code=Subquery(seal.values("verification_code")[:1]),
    )


def minutes_of(committee, year=None):
    """The committee's published versions, newest meeting first, without their content:
    what a list prints of each (date, place, committee as printed) is read from the
    stored JSON by the database, so a page of long minutes is not carried over."""
    stored = Cast("content", JSONField())
    versions = MinutesVersion.objects.published().filter(meeting__committee=committee)
    if year is not None:
        versions = versions.filter(meeting__year=year)
    return (
        with_files(versions)
        .select_related("meeting__committee")
        .defer("content")
        .annotate(
            printed_meeting=KeyTransform("meeting", stored),
            printed_committee=KeyTransform("committee", stored),
        )
        .order_by("-meeting__year", "-meeting__sequence")
    )


def version_or_404(slug, year, sequence):
    """The published version at this address, without its content yet: one query
    (meeting, committee, public file and code included), enough for a 304."""
    if not SLUG.fullmatch(slug):
        raise no_minutes()
    version = (
        with_files(MinutesVersion.objects.published())
        .filter(meeting__committee__slug=slug, meeting__year=year, meeting__sequence=sequence)
        .select_related("meeting__committee")
        .defer("content")
        .first()
    )
    if version is None:
        raise no_minutes()
    return version


class Published:
    """One published version as the API serves it: the public content, read once."""

    def __init__(self, version):
        self.version = version
        self.address = address_of(version)
        content = version.content_data()  # the deferred column: one query
        self.public = public_content(content)
        # An item's outcome is a printed label, never a name: the public version
        # prints it under 의결사항; here it also stays with its item.
        self.agenda = [
            {**item, "outcome": internal["outcome"], "outcome_label": internal["outcome_label"]}
            for item, internal in zip(self.public["agenda"], content["agenda"], strict=True)
        ]

    @functools.cached_property
    def public_sha256(self):
        """SHA-256 of the canonical JSON of the public content: of what is served."""
        return hashlib.sha256(canonical_json(self.public)).hexdigest()

    def block(self, number):
        remarks = self.public["remarks"]
        if not 1 <= number <= len(remarks):
            raise NotFound(
                _("These minutes have no speaker block %(number)s (they have %(count)s).")
                % {"number": number, "count": len(remarks)}
            )
        return remarks[number - 1]

    def remark(self, number):
        """Speaker block ``number`` (from 1) as served; 404 in words past the last."""
        return {"number": number, "address": self.address, **self.block(number)}

    def remarks(self):
        return [self.remark(number) for number in range(1, len(self.public["remarks"]) + 1)]


def fresh_published(request, response, slug, year, sequence):
    """The published version at this address as served, once its freshness is
    settled: NotModified (304) when the client has it already, before the
    content is read."""
    version = version_or_404(slug, year, sequence)
    check_freshness(request, version, response)
    return Published(version)


def check_freshness(request, version, response):
    """Give the answer its ETag (content, public file, address and the API's
    format) and its caching; raise NotModified when the client has it already."""
    tag = hashlib.sha256(
        ":".join(
            [
                API_FORMAT,
                version.content_sha256,
                version.public_pdf_sha256 or "",
                request.build_absolute_uri(),
            ]
        ).encode()
    ).hexdigest()
    etag = f'"{tag}"'
    not_modified = get_conditional_response(request, etag=etag)
    for answer in (response, not_modified):
        if answer is not None:
            answer["ETag"] = etag
            patch_cache_control(answer, public=True, max_age=CACHE_SECONDS)
    if not_modified is not None:
        raise NotModified(not_modified)


def cache_publicly(response):
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)


# What the minutes print is in the document's language (Korean) whatever the
# reader's: the answers' data never depends on the language, only messages do.


def printed_title(year, sequence, committee_name):
    """2024년 1차 「빅데이터심의위원회」 회의록, as MinutesDocument prints it."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("%(year)s no. %(sequence)s 「%(committee)s」 minutes") % {
            "year": year,
            "sequence": sequence,
            "committee": committee_name,
        }


def printed_when(meeting_data):
    """'24. 4. 18.(목) 15:00~17:00"""
    with translation.override(settings.LANGUAGE_CODE):
        return format_meeting_time(
            datetime.datetime.fromisoformat(meeting_data["starts_at"]),
            datetime.datetime.fromisoformat(meeting_data["ends_at"]),
        )


# --- schemas ------------------------------------------------------------------------------


class Index(Schema):
    committees_url: str = Field(description="Where to start: the committee list.")
    openapi_url: str = Field(description="This API's OpenAPI document.")


class CommitteeOut(Schema):
    slug: str
    name: str
    organisation: str
    department: str
    published_minutes: int = Field(description="How many meetings' minutes are published.")
    url: str
    meetings_url: str = Field(description="The committee's published minutes, newest first.")
    public_page_url: str = Field(description="The committee's page on the public side.")
    csv_url: str = Field(description="The list of its published minutes as CSV.")

    @staticmethod
    def resolve_url(committee, context):
        return link(context["request"], "committee", slug=committee.slug)

    @staticmethod
    def resolve_public_page_url(committee, context):
        return public_committee_link(context["request"], "committee", committee.slug)

    @staticmethod
    def resolve_csv_url(committee, context):
        return public_committee_link(context["request"], "csv", committee.slug)

    @staticmethod
    def resolve_meetings_url(committee, context):
        return link(context["request"], "meetings", slug=committee.slug)


class YearOut(Schema):
    year: int
    published_minutes: int
    meetings_url: str = Field(description="This year's published minutes.")


class CommitteeDetail(CommitteeOut):
    years: list[YearOut] = Field(description="Years with published minutes, newest first.")


class PublicPdf(Schema):
    url: str = Field(description="The public PDF/A-3b: the sealed file once it is stored.")
    sha256: str | None = Field(
        description="SHA-256 of the stored, sealed public file; null until the seal is stored."
    )


class MeetingSummary(Schema):
    year: int
    sequence: int = Field(description="The meeting's number within the year (차수).")
    title: str = Field(description="As printed, e.g. 2024년 1차 「빅데이터심의위원회」 회의록.")
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    when: str = Field(description="Date and time as printed, e.g. '24. 4. 18.(목) 15:00~17:00.")
    place: str
    version: int = Field(description="The number of the published version.")
    content_sha256: str = Field(
        description="SHA-256 of the signed version's canonical content (the verification "
        "page knows it)."
    )
    url: str
    public_page_url: str
    public_pdf: PublicPdf

    @staticmethod
    def resolve_year(version):
        return version.meeting.year

    @staticmethod
    def resolve_sequence(version):
        return version.meeting.sequence

    @staticmethod
    def resolve_title(version):
        return printed_title(
            version.meeting.year, version.meeting.sequence, version.printed_committee["name"]
        )

    @staticmethod
    def resolve_starts_at(version):
        return version.printed_meeting["starts_at"]

    @staticmethod
    def resolve_ends_at(version):
        return version.printed_meeting["ends_at"]

    @staticmethod
    def resolve_when(version):
        return printed_when(version.printed_meeting)

    @staticmethod
    def resolve_place(version):
        return version.printed_meeting["place"]

    @staticmethod
    def resolve_version(version):
        return version.number

    @staticmethod
    def resolve_url(version, context):
        return meeting_link(context["request"], "meeting", address_of(version))

    @staticmethod
    def resolve_public_page_url(version, context):
        return public_link(context["request"], "minutes", address_of(version))

    @staticmethod
    def resolve_public_pdf(version, context):
        return {
            "url": public_link(context["request"], "pdf", address_of(version)),
            "sha256": version.public_pdf_sha256,
        }


class CommitteeRef(Schema):
    slug: str
    name: str = Field(description="As printed on these minutes.")
    organisation: str
    department: str
    url: str


class InternalMember(Schema):
    name: str
    position: str


class Attendance(Schema):
    present: int = Field(description="Members present (참석위원), as printed.")
    external: list[str]
    internal: list[InternalMember]
    non_members: list[str] = Field(description="배석: non-member attendees, as printed.")


class OutlineNode(Schema):
    text: str
    children: list["OutlineNode"]


class AgendaItemOut(Schema):
    kind: str
    kind_label: str = Field(description="심의, 보고, 자문, 보고(자문).")
    number: int = Field(description="【n】 within its kind.")
    title: str
    outcome: str = Field(description="The item's outcome code, empty when none was recorded.")
    outcome_label: str


class Decision(Schema):
    subject: str
    outcome_label: str
    method_label: str
    tally: str


class Signatory(Schema):
    role: str
    title: str
    name: str


class MeetingOut(Schema):
    committee: CommitteeRef
    year: int
    sequence: int
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    when: str = Field(description="Date and time as printed.")
    place: str
    document_date: datetime.date
    document_date_printed: str = Field(description="As printed on the cover, e.g. 2024. 4.")
    attendance: Attendance
    proceedings: list[OutlineNode] = Field(description="진행순서, as an outline.")
    agenda: list[AgendaItemOut] = Field(description="상정안건 with their outcomes.")
    decisions: list[Decision] = Field(description="의결사항, one printed line each.")
    signature_block: list[Signatory]
    remarks_count: int
    statements_count: int
    version: int
    content_sha256: str = Field(description="SHA-256 of the signed version's canonical content.")
    public_content_sha256: str = Field(
        description="SHA-256 of the canonical JSON of the public content this API serves."
    )
    url: str
    remarks_url: str
    public_page_url: str
    public_pdf: PublicPdf
    verification_url: str | None = Field(description="The public verification page.")


class StatementOut(Schema):
    number: int
    text: str = Field(description="As published: names masked.")
    url: str


class RemarkOut(Schema):
    number: int = Field(description="The speaker block's place in the remarks, from 1.")
    kind: str = Field(
        description="speech (somebody's words), direction (a time mark, recess, reaction, "
        "printed as written) or heading (an agenda heading); only speech has a heading."
    )
    heading: str = Field(description="As published, e.g. 000위원 or 위원장 (printed in < >).")
    url: str
    statements: list[StatementOut]

    @staticmethod
    def resolve_kind(remark):
        return remark.get("kind", "speech")

    @staticmethod
    def resolve_url(remark, context):
        return meeting_link(context["request"], "remark", remark["address"], block=remark["number"])

    @staticmethod
    def resolve_statements(remark, context):
        request = context["request"]
        return [
            {
                "number": number,
                "text": text,
                "url": meeting_link(
                    request,
                    "statement",
                    remark["address"],
                    block=remark["number"],
                    statement=number,
                ),
            }
            for number, text in enumerate(remark["statements"], start=1)
        ]


class StatementDetail(Schema):
    block: int
    number: int
    heading: str
    text: str
    url: str
    remark_url: str
    meeting_url: str
    version: int
    content_sha256: str


# --- endpoints ----------------------------------------------------------------------------


@api.get("/", response=Index, url_name="index", summary="Where to start")
def index(request, response: HttpResponse):
    cache_publicly(response)
    return {
        "committees_url": link(request, "committees"),
        "openapi_url": request.build_absolute_uri(reverse("api:openapi-json")),
    }


@api.get("/committees", response={200: list[CommitteeOut], **REFUSED}, url_name="committees")
@paginate(Pages)
def committees(request, response: HttpResponse):
    """Committees with published minutes, by name."""
    cache_publicly(response)
    return committees_with_minutes()


@api.get("/committees/{slug}", response={200: CommitteeDetail, **NOT_FOUND}, url_name="committee")
def committee(request, response: HttpResponse, slug: str = Path(..., description=SLUG_DESCRIPTION)):
    """One committee with published minutes, and the years it has them."""
    committee = committee_or_404(slug)
    years = (
        MinutesVersion.objects.published()
        .filter(meeting__committee=committee)
        .order_by()
        .values("meeting__year")
        .annotate(count=Count("pk"))
        .order_by("-meeting__year")
    )
    meetings_url = link(request, "meetings", slug=committee.slug)
    committee.years = [
        {
            "year": row["meeting__year"],
            "published_minutes": row["count"],
            "meetings_url": f"{meetings_url}?year={row['meeting__year']}",
        }
        for row in years
    ]
    cache_publicly(response)
    return committee


@api.get(
    "/committees/{slug}/meetings",
    response={200: list[MeetingSummary], **REFUSED},
    url_name="meetings",
)
@paginate(Pages)
def meetings(
    request,
    response: HttpResponse,
    slug: str = Path(..., description=SLUG_DESCRIPTION),
    year: int | None = bounded("year", None, description="Only this year's meetings."),
):
    """A committee's published minutes, newest meeting first."""
    committee = committee_or_404(slug)
    cache_publicly(response)
    return minutes_of(committee, year)


MEETING = "/committees/{slug}/meetings/{int:year}/{int:sequence}"


@api.get(MEETING, response={200: MeetingOut, 304: None, **REFUSED}, url_name="meeting")
def meeting(
    request,
    response: HttpResponse,
    slug: str = Path(..., description=SLUG_DESCRIPTION),
    year: int = bounded("year", source=Path, description=YEAR_DESCRIPTION),
    sequence: int = bounded("sequence", source=Path, description=SEQUENCE_DESCRIPTION),
):
    """One meeting's published minutes: the overview, decisions and links to the remarks."""
    published = fresh_published(request, response, slug, year, sequence)
    version = published.version
    public = published.public
    address = published.address
    meeting_data = public["meeting"]
    attendance = public["attendance"]
    committee_printed = public["committee"]
    return {
        "committee": {
            "slug": address[0],
            "name": committee_printed["name"],
            "organisation": committee_printed["organisation"],
            "department": committee_printed["department"],
            "url": link(request, "committee", slug=address[0]),
        },
        "year": meeting_data["year"],
        "sequence": meeting_data["sequence"],
        "title": printed_title(
            meeting_data["year"], meeting_data["sequence"], committee_printed["name"]
        ),
        "starts_at": meeting_data["starts_at"],
        "ends_at": meeting_data["ends_at"],
        "when": printed_when(meeting_data),
        "place": meeting_data["place"],
        "document_date": meeting_data["document_date"],
        "document_date_printed": format_document_date(
            datetime.date.fromisoformat(meeting_data["document_date"])
        ),
        "attendance": {
            "present": len(attendance["external"]) + len(attendance["internal"]),
            **attendance,
        },
        "proceedings": public["proceedings"],
        "agenda": published.agenda,
        "decisions": public["decisions"],
        "signature_block": public["signature_block"],
        "remarks_count": len(public["remarks"]),
        "statements_count": sum(len(r["statements"]) for r in public["remarks"]),
        "version": version.number,
        "content_sha256": version.content_sha256,
        "public_content_sha256": published.public_sha256,
        "url": meeting_link(request, "meeting", address),
        "remarks_url": meeting_link(request, "remarks", address),
        "public_page_url": public_link(request, "minutes", address),
        "public_pdf": {
            "url": public_link(request, "pdf", address),
            "sha256": version.public_pdf_sha256,
        },
        "verification_url": (
            request.build_absolute_uri(
                reverse("meetings:verify_code", args=[version.verification_code])
            )
            if version.verification_code
            else None
        ),
    }


@api.get(
    MEETING + "/remarks",
    response={200: list[RemarkOut], 304: None, **REFUSED},
    url_name="remarks",
)
@paginate(Pages)
def remarks(
    request,
    response: HttpResponse,
    slug: str = Path(..., description=SLUG_DESCRIPTION),
    year: int = bounded("year", source=Path, description=YEAR_DESCRIPTION),
    sequence: int = bounded("sequence", source=Path, description=SEQUENCE_DESCRIPTION),
):
    """The remarks (위원 발언내용) as published: speaker blocks in order, each with
    its heading and statements."""
    return fresh_published(request, response, slug, year, sequence).remarks()


@api.get(
    MEETING + "/remarks/{int:block}",
    response={200: RemarkOut, 304: None, **REFUSED},
    url_name="remark",
)
def remark(
    request,
    response: HttpResponse,
    slug: str = Path(..., description=SLUG_DESCRIPTION),
    year: int = bounded("year", source=Path, description=YEAR_DESCRIPTION),
    sequence: int = bounded("sequence", source=Path, description=SEQUENCE_DESCRIPTION),
    block: int = bounded("block", source=Path, description="The speaker block, from 1."),
):
    """One speaker block as published."""
    return fresh_published(request, response, slug, year, sequence).remark(block)


@api.get(
    MEETING + "/remarks/{int:block}/statements/{int:statement}",
    response={200: StatementDetail, 304: None, **REFUSED},
    url_name="statement",
)
def statement(
    request,
    response: HttpResponse,
    slug: str = Path(..., description=SLUG_DESCRIPTION),
    year: int = bounded("year", source=Path, description=YEAR_DESCRIPTION),
    sequence: int = bounded("sequence", source=Path, description=SEQUENCE_DESCRIPTION),
    block: int = bounded("block", source=Path, description="The speaker block, from 1."),
    statement: int = bounded("statement", source=Path, description="The statement, from 1."),
):
    """One statement as published, with its speaker block's heading."""
    published = fresh_published(request, response, slug, year, sequence)
    version = published.version
    remark = published.block(block)
    statements = remark["statements"]
    if not 1 <= statement <= len(statements):
        raise NotFound(
            _("Speaker block %(block)s has no statement %(number)s (it has %(count)s).")
            % {"block": block, "number": statement, "count": len(statements)}
        )
    address = published.address
    return {
        "block": block,
        "number": statement,
        "heading": remark["heading"],
        "text": statements[statement - 1],
        "url": meeting_link(request, "statement", address, block=block, statement=statement),
        "remark_url": meeting_link(request, "remark", address, block=block),
        "meeting_url": meeting_link(request, "meeting", address),
        "version": version.number,
        "content_sha256": version.content_sha256,
    }


@api.get("/{path:rest}", include_in_schema=False, url_name="nowhere")
def nowhere(request, rest: str):
    """Any other address under /api/: a JSON 404 that says where to start."""
    raise NotFound(
        _("There is nothing at this address in the open data API: start at %(url)s.")
        % {"url": link(request, "committees")}
    )
