"""One boundary for what comes from outside: texts, numbers, dates, JSON bodies.

Every text that reaches the database passes ``clean_text`` (or, in forms and
the admin, the ``validate_text`` validator that applies the same rule):

- NUL and the other control characters are refused with a message naming the
  character and where it is (tab, line feed and carriage return are text);
- lone surrogates (a broken ``"\\ud800"`` in JSON) are refused;
- the text is normalised to NFC, so that 한글 typed on a Mac (decomposed
  jamo) and on Windows compare and print alike;
- a text longer than its column is a field error naming the limit: nothing is
  ever cut silently.

Pasted and imported documents are not refused for a stray control character
(a PDF's form feed, a word processor's field mark): ``strip_control`` removes
them and says how many it removed.

JSON bodies are read by ``read_json`` with a size and a nesting limit, before
anything is parsed; a bad body is a ``BadInput`` the view answers with 400 or
413 and the message.
"""

import datetime
import json
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.formsets import TOTAL_FORM_COUNT
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Control characters that are part of ordinary text.
TEXT_CONTROLS = frozenset("\t\n\r")
# Meetings are dated within this span: the Republic's first committees to the
# end of the century. A year outside it is a typing error (or an attack: a
# year 1 date is stored by PostgreSQL as 1 BC and breaks every later read).
FIRST_YEAR, LAST_YEAR = 1948, 2100
# Column limits of PositiveSmallIntegerField (PostgreSQL smallint).
SMALLINT_MAX = 32767
JSON_MAX_DEPTH = 20


class BadInput(Exception):
    """A request body that cannot be taken; ``status`` is the HTTP answer."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


def _forbidden(char):
    category = unicodedata.category(char)
    return (category == "Cc" and char not in TEXT_CONTROLS) or category == "Cs"


def text_problem(value):
    """Why ``value`` cannot be stored as text, or None if it can."""
    for index, char in enumerate(value):
        if _forbidden(char):
            if unicodedata.category(char) == "Cs":
                return _(
                    "The text contains a broken character (U+%(code)04X, at character "
                    "%(position)s): type that part again."
                ) % {"code": ord(char), "position": index + 1}
            return _(
                "The text contains an invisible control character (U+%(code)04X, at "
                "character %(position)s): remove it."
            ) % {"code": ord(char), "position": index + 1}
    return None


@deconstructible(path="minutes_site.inputs.TextValidator")
class TextValidator:
    """The text rule as a field validator (forms, the admin, full_clean)."""

    code = "invalid_characters"

    def __call__(self, value):
        if isinstance(value, str):
            problem = text_problem(value)
            if problem:
                raise ValidationError(problem, code=self.code)

    def __eq__(self, other):
        return isinstance(other, TextValidator)

    def __hash__(self):
        return hash(self.code)


validate_text = TextValidator()


class BoundedFormSetMixin:
    """A formset refusing a forged TOTAL_FORMS above its absolute_max at once.

    Django refuses it too, but only after building absolute_max forms (seconds
    for a long inline); here no form is built and the formset's error says why.
    """

    def total_form_count(self):
        if self.is_bound and self.management_form.is_valid():
            if self.management_form.cleaned_data[TOTAL_FORM_COUNT] > self.absolute_max:
                return 0
        return super().total_form_count()


def too_long(limit, length):
    return _("At most %(limit)s characters are allowed here (this text has %(length)s).") % {
        "limit": limit,
        "length": length,
    }


def normalise_text(value):
    """Text in one Unicode form (NFC) and one newline (LF), however it was typed."""
    return unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))


def clean_text(value, *, limit=None, single_line=False):
    """``value`` as stored: NFC, line ends as \\n; ValidationError if it cannot be.

    ``single_line`` collapses every run of white space to one space (headings,
    labels); otherwise line breaks are kept. The limit is checked after that,
    on what would be stored.
    """
    if not isinstance(value, str):
        raise ValidationError(_("Enter text."), code="invalid")
    problem = text_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_characters")
    value = normalise_text(value)
    value = " ".join(value.split()) if single_line else value.strip()
    if limit is not None and len(value) > limit:
        raise ValidationError(too_long(limit, len(value)), code="max_length")
    return value


# Control characters that a pasted PDF or word-processor text uses as breaks.
BREAK_CONTROLS = frozenset("\x0b\x0c\x1c\x1d\x1e\x85")


def strip_control(value):
    """Pasted or imported text without its control characters, and how many went.

    Page and section breaks become line breaks; other control characters and
    broken surrogates are dropped and counted, for the caller to report.
    """
    kept, removed = [], 0
    for char in value:
        if char in BREAK_CONTROLS:
            kept.append("\n")
        elif _forbidden(char):
            removed += 1
        else:
            kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept)), removed


def small_count(value, *, maximum=SMALLINT_MAX):
    """A non-negative whole number within the column, or ValidationError."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(_("Enter a whole number."), code="invalid")
    if not 0 <= value <= maximum:
        raise ValidationError(
            _("Enter a number from 0 to %(maximum)s.") % {"maximum": maximum}, code="range"
        )
    return value


def validate_meeting_day(value):
    """Meetings are dated 1948 to 2100."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(
            _("Enter a date between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            code="date_range",
        )


def _depth_exceeded(text, limit):
    """Whether JSON ``text`` nests arrays/objects deeper than ``limit``.

    Scans the text without recursion (strings skipped), so that a body of
    thousands of brackets is refused before the parser recurses into it.
    """
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def declared_length(request):
    """The body's size as the client declares it (Content-Length), before reading it.

    An unreadable header counts as too large: the body is never read.
    """
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return float("inf")


def read_json(request, *, max_bytes=None, max_depth=JSON_MAX_DEPTH):
    """The request's JSON body, or BadInput (400, or 413 when too large).

    The size is checked from Content-Length before the body is read (Django
    then reads no more than that), and never above DATA_UPLOAD_MAX_MEMORY_SIZE,
    Django's own limit on a body and the default.
    """
    limits = [max_bytes, settings.DATA_UPLOAD_MAX_MEMORY_SIZE, settings.MAX_REQUEST_BYTES]
    max_bytes = min(limit for limit in limits if limit is not None)
    if declared_length(request) > max_bytes:
        raise BadInput(too_large(max_bytes), status=413)
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput(_("The request is not valid UTF-8 text.")) from None
    if _depth_exceeded(text, max_depth):
        raise BadInput(_("The request is nested too deeply to be read."))
    try:
        return json.loads(text, parse_constant=_no_constant)
    except (json.JSONDecodeError, ValueError, RecursionError):
        raise BadInput(_("The request is not valid JSON.")) from None


def _no_constant(name):
    raise ValueError(name)  # NaN, Infinity: not numbers we store


def too_large(max_bytes):
    return _("The request is too large (at most %(size)s).") % {"size": human_size(max_bytes)}


def human_size(size):
    if size >= 1024 * 1024:
        return gettext_lazy("%(n)s MB") % {"n": f"{size / (1024 * 1024):.3g}"}
    return gettext_lazy("%(n)s KB") % {"n": max(1, round(size / 1024))}
