"""Django's date formats, set to the app's one date style (minutes_site.dates).

FORMAT_MODULE_PATH points here, so that whatever Django prints by itself (the
admin's lists and read-only fields, a bare ``{{ datetime }}`` in a template)
reads 2026. 4. 16.(목) 15:00 like every page, never Django's stock Korean
"2026년 4월 16일 3:00 오후". Only output formats are set: input formats (what
a form accepts) stay Django's.
"""

from django.utils.translation import gettext_noop

# Django's "D" (abbreviated weekday) reads its catalog's "Thu", which Django's
# own Korean translates as 목요일; ours translates it as 목 (project catalogs
# come first), so the admin prints (목) like minutes_site.dates. Marked here so
# that makemessages keeps them in our catalog.
ABBREVIATED_WEEKDAYS = [
    gettext_noop("Mon"),
    gettext_noop("Tue"),
    gettext_noop("Wed"),
    gettext_noop("Thu"),
    gettext_noop("Fri"),
    gettext_noop("Sat"),
    gettext_noop("Sun"),
]
