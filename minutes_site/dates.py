"""One way to write a date in the app's pages and e-mails, in the reference's manner.

    2026. 4. 16.(목)              day()
    2026. 4. 16.(목) 15:00        moment()
    2026. 4. 16.(목) 15:00~17:00  span()

Always in Seoul time (TIME_ZONE), whatever the reader's browser. The minutes
themselves print the year with two digits ('24. 4. 18.(목), see
meetings.minutes); pages and e-mails print it whole, so that a list of
meetings over decades reads unambiguously.

In templates: ``{% load dates %}`` then ``{{ value|day }}``, ``{{ value|moment }}``
and ``{{ start|span:end }}``. Form inputs stay native (<input type="date">).
"""

import datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

register = template.Library()

# One-character weekdays, (목); Django's own abbreviations are longer in Korean.
SHORT_WEEKDAYS = [
    pgettext_lazy("one-character weekday", "Mon"),
    pgettext_lazy("one-character weekday", "Tue"),
    pgettext_lazy("one-character weekday", "Wed"),
    pgettext_lazy("one-character weekday", "Thu"),
    pgettext_lazy("one-character weekday", "Fri"),
    pgettext_lazy("one-character weekday", "Sat"),
    pgettext_lazy("one-character weekday", "Sun"),
]


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def day(value):
    """2026. 4. 16.(목); empty for None."""
    if value in (None, ""):
        return ""
    value = _local(value)
    return _("%(year)s. %(month)s. %(day)s.(%(weekday)s)") % {
        "year": value.year,
        "month": value.month,
        "day": value.day,
        "weekday": SHORT_WEEKDAYS[value.weekday()],
    }


@register.filter
def moment(value):
    """2026. 4. 16.(목) 15:00; a date alone prints as day(); empty for None."""
    if value in (None, ""):
        return ""
    if not isinstance(value, datetime.datetime):
        return day(value)
    value = _local(value)
    return f"{day(value)} {value:%H:%M}"


@register.filter
def span(start, end):
    """2026. 4. 16.(목) 15:00~17:00; the end's day is repeated only when it differs."""
    if start in (None, ""):
        return ""
    if end in (None, ""):
        return moment(start)
    start, end = _local(start), _local(end)
    if start.date() == end.date():
        return f"{moment(start)}~{end:%H:%M}"
    return f"{moment(start)}~{moment(end)}"


@register.filter
def moment_seconds(value):
    """2026. 4. 16.(목) 15:00:31: for evidence (signatures, seals), where seconds matter."""
    if value in (None, ""):
        return ""
    if not isinstance(value, datetime.datetime):
        return day(value)
    value = _local(value)
    return f"{day(value)} {value:%H:%M:%S}"
