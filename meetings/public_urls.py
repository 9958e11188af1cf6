"""The public side: published minutes for anyone, without a login (issue 13).

Addresses are readable and say what they show (committee, year, 차수), never
a database id; only published versions appear here, in their public form.
"""

from django.urls import path, register_converter

from . import public, search

app_name = "public"


class YearConverter:
    """Four digits: a year as meetings are dated (1948-2100 is checked by the lookup)."""

    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):04d}"


class SequenceConverter:
    """A meeting's number within its year (1차): at most four digits, never 0-padded."""

    regex = "[1-9][0-9]{0,3}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(int(value))


register_converter(YearConverter, "public_year")
register_converter(SequenceConverter, "public_sequence")

urlpatterns = [
    path("", public.home, name="home"),
    # Pages of the public side that are not a committee's (search, ...) go
    # here, above the committee's addresses, which take any slug.
    path("search/", search.public_search, name="search"),
    path("<slug:committee>/", public.committee_minutes, name="committee"),
    path("<slug:committee>/minutes.csv", public.minutes_csv, name="csv"),
    path(
        "<slug:committee>/<public_year:year>/<public_sequence:sequence>/",
        public.minutes,
        name="minutes",
    ),
    path(
        "<slug:committee>/<public_year:year>/<public_sequence:sequence>/minutes.pdf",
        public.minutes_pdf,
        name="pdf",
    ),
]
