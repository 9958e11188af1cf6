# The same style in English ("D" prints Thu), as minutes_site.dates does.
from minutes_site.formats.ko.formats import *  # noqa: F403
