"""English convention: council minutes with a roll call and recorded votes.

    CITY OF RIVERTON / REGULAR MEETING OF THE CITY COUNCIL / MINUTES
    Tuesday, March 4, 2031 - 7:00 PM
    Council Chambers, 100 Main Street
    1. CALL TO ORDER                                   ← agenda heading
    Mayor Whitfield called the meeting to order at 7:02 PM.   ← direction (start time)
    2. ROLL CALL
    Present: Mayor Dana Whitfield, Councilmembers Lena Ortiz, Sam Blake
    Councilmember Ortiz asked whether the grant covers staffing.   ← speech
    City Manager Reyes: The grant covers two positions.            ← speech
    A motion offered by Councilmember Ortiz, duly seconded by Councilmember Blake, …
    RESULT: ADOPTED [8 TO 0]     MOVER: …     AYES: …              ← directions, a resolution

A turn is a line that starts with a title and a name followed by a colon, or
by a reporting verb ("asked", "said", "moved", …); the lines of the same
paragraph continue it. A paragraph that names nobody is left unplaced
(``no_speaker``) rather than credited to the last speaker. ``RESULT:`` lines
are decisions on the item of the heading above them.
"""

import datetime
import re

from .. import parsing as p
from . import base

name = "english"

_TITLES = (
    r"(?:Deputy Mayor|Vice Mayor|Mayor Pro Tem|Mayor|Council ?[Mm]ember|Councilmembers?|"
    r"Councillor|Alder(?:man|woman|person)|Commissioner|Vice Chair(?:man|woman|person)?|"
    r"Chair(?:man|woman|person)?|Trustee|President|Vice President|City Clerk|Clerk|"
    r"City Manager|City Attorney|Finance Director|Director|Chief|Mr\.|Ms\.|Mrs\.|Dr\.)"
)
_NAME = r"[A-Z][A-Za-z'\-]+(?: [A-Z][A-Za-z'\-]+)?"
_SAID = re.compile(rf"^(?P<label>{_TITLES} {_NAME})\s*:\s*(?P<speech>.+)$")
_REPORTED = re.compile(
    rf"^(?P<label>{_TITLES} [A-Z][A-Za-z'\-]+) (?:asked|said|stated|noted|moved|requested|"
    r"reported|expressed|thanked|presented|explained|commented|inquired|responded|answered|"
    r"replied|added|suggested|questioned|clarified|indicated|recommended|agreed|urged|"
    r"proposed|raised|reminded|announced|welcomed|summarized|remarked|emphasized)\b"
)
_DIRECTION = re.compile(
    r"^(?:A motion (?:was )?(?:offered|made|moved)|Motion by|RESULT:|MOVER:|SECONDER:|AYES:|"
    r"NAYS:|ABSENT:|ABSTAIN(?:ED)?:|RECUSED:|\(.*\)$)"
    r"|called the meeting to order|meeting (?:was )?adjourned|adjourned the meeting"
    r"|(?:recessed|reconvened) (?:the meeting )?at",
    re.IGNORECASE,
)
_HEADING = re.compile(
    r"^(?:(?P<number>\d{1,2})|[A-Z])\.\s+(?P<title>(?:[A-Z0-9][A-Z0-9 ,&'\-/():.]+|"
    r"(?:Resolution|Ordinance|Motion|Public Hearing|Consent)\b.*))$"
)
_RESULT = re.compile(r"^RESULT:\s*(?P<outcome>[A-Z ]+?)\s*(?:\[(?P<votes>[^\]]*)\])?\s*$", re.I)
_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_DATE = re.compile(
    r"(?P<month>" + "|".join(m.capitalize() for m in _MONTHS) + r")\s+(?P<day>\d{1,2}),\s*"
    r"(?P<year>\d{4})"
)
_TIME = re.compile(r"(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<half>[AaPp])\.?\s*[Mm]\.?")
_LIST = re.compile(
    r"^(?P<key>Present|Members Present|Absent|Members Absent|Staff Present|Also Present)\s*:"
    r"\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_COMMITTEE = re.compile(
    r"\b(?:(?:CITY|TOWN|COUNTY|VILLAGE|PLANNING|SCHOOL|FINANCE)\s+)?"
    r"(?:COUNCIL|COMMISSION|BOARD|COMMITTEE)\b"
)
# Headings of the order of business that name no item to decide.
_PROCEDURAL = re.compile(
    r"^(?:CALL TO ORDER|ROLL CALL|PLEDGE OF ALLEGIANCE|ADJOURNMENT|APPROVAL OF (?:THE )?AGENDA)",
    re.IGNORECASE,
)
_PLACE_WORDS = re.compile(r"Chambers?|Hall|Room|Center|Centre|Building|Street|Avenue|Road")


def detect(lines):
    count = 0
    for line in lines:
        text = line.text
        if text.startswith(("RESULT:", "MOVER:", "AYES:", "SECONDER:")):
            count += 1
        elif "duly seconded" in text or "ROLL CALL" in text.upper()[:12]:
            count += 1
    return base.confidence(count, base=0.55)


def remarks_start(lines):
    return 0


def read_body(lines, context, remarks):
    """Only for parse_remarks(): the remarks of a whole document (see parse)."""
    return _Reader(context).read(lines)


def parse(lines, confidence):
    """The whole document: title, date, place and roll call are read here, the
    rest is remarks; a line is consumed, a block's, unplaced or dropped."""
    overview = p.Overview()
    headers = p._running_headers(lines)
    consumed = set()
    head_unplaced = []
    dropped = []
    kept = []
    for line in lines:
        reason = p._artefact(line, headers)
        if reason:
            dropped.append(p.Unplaced(line.number, line.text, reason))
        else:
            kept.append(line)
    first_heading = next((i for i, line in enumerate(kept) if _HEADING.match(line.text)), len(kept))
    _read_head(kept[:first_heading], overview, consumed, head_unplaced)
    context = base.Context(overview, width=base.typical_width(kept))
    reader = _Reader(context, consumed)
    collector = reader.read(kept[first_heading:])
    remarks = p.Remarks(name, collector.blocks, collector.unplaced, dropped)
    base._times_from_directions(overview, remarks.blocks)
    if overview.starts is None or overview.ends is None:
        _times_from_words(overview, remarks.blocks)
    if overview.year is None and overview.day is not None:
        overview.year = overview.day.year
    checks = base._overview_checks(overview) + context.checks
    return p.Document(
        overview=overview,
        remarks=remarks,
        resolutions=find_resolutions(remarks.blocks, overview.agenda),
        unplaced=head_unplaced,
        convention=name,
        confidence=confidence,
        checks=checks,
        consumed=consumed,
    )


def _read_head(lines, overview, consumed, unplaced):
    """Title (the lines down to the one naming the minutes), date, place, roll call."""
    pending = []  # short lines before the title line: "Town of Maple Ridge", "Planning Commission"
    for line in lines:
        if not line.text:
            continue
        text = line.text
        date = _DATE.search(text)
        if "MINUTES" in text.upper() and not overview.title:
            overview.title = " ".join([*(other.text for other in pending), text])
            consumed.update(other.number for other in pending)
            pending = []
            committee = _COMMITTEE.search(overview.title.upper())
            overview.committee = committee[0].title() if committee else ""
        elif not overview.title and len(text) <= 60 and not re.search(r"\d|:", text):
            pending.append(line)
            continue
        elif date and overview.day is None:
            month = _MONTHS.index(date["month"].lower()) + 1
            overview.day = datetime.date(int(date["year"]), month, int(date["day"]))
            times = [_time(match) for match in _TIME.finditer(text, date.end())]
            overview.starts = times[0] if times else None
            overview.ends = times[1] if len(times) > 1 else None
        elif _PLACE_WORDS.search(text) and not overview.place and overview.day is not None:
            overview.place = text
        elif not _list(text, overview):
            unplaced.append(p.Unplaced(line.number, text, "unrecognised_overview_line"))
            continue
        consumed.add(line.number)
    for line in pending:  # no line named the minutes
        unplaced.append(p.Unplaced(line.number, line.text, "unrecognised_overview_line"))


def _time(match):
    hour, minute = int(match["h"]) % 12, int(match["m"] or 0)
    if match["half"].lower() == "p":
        hour += 12
    return datetime.time(hour, minute)


def _people(value):
    value = re.sub(r"\b(?:and|&)\b", ",", value)
    people = []
    for entry in re.split(r"[,;]", value):
        entry = re.sub(rf"^{_TITLES}\s+", "", p._clean(entry))
        entry = re.sub(r"^(?:Council ?[Mm]embers|Commissioners|Trustees)\s+", "", entry)
        if entry and entry.lower() not in ("none", "n/a"):
            people.append(p.Person(entry))
    return people


def _list(text, overview):
    match = _LIST.match(text)
    if not match:
        return False
    key = match["key"].lower()
    target = overview.attendees
    if "absent" in key:
        target = overview.absent
    elif "staff" in key or "also" in key:
        target = overview.officials
    target.extend(_people(match["value"]))
    return True


class _Reader:
    def __init__(self, context, consumed=None):
        self.context = context
        self.consumed = consumed if consumed is not None else set()

    def read(self, lines):
        collector = base.Collector(self.context)
        overview = self.context.overview
        paragraph_open = False  # a plain line continues the turn of its paragraph
        motion_open = False  # … or the motion it is part of
        for line in lines:
            text = line.text
            if not text:
                collector.close()
                paragraph_open = motion_open = False
                continue
            heading = _HEADING.match(text)
            said = _SAID.match(text)
            reported = _REPORTED.match(text)
            if heading:
                number = int(heading["number"]) if heading["number"] else None
                title = p._clean(heading["title"])
                collector.heading(line, title, number, item=not _PROCEDURAL.match(title))
                paragraph_open = False
                motion_open = False
            elif _LIST.match(text) and _list(text, overview):
                self.consumed.add(line.number)
                paragraph_open = False
            elif _DIRECTION.search(text):
                collector.direction(line)
                paragraph_open = False
                motion_open = bool(re.match(r"^(?:A motion|Motion by)", text, re.IGNORECASE))
            elif motion_open and not (said or reported):
                motion = collector.blocks[
                    -1
                ]  # the motion goes on: "…to adopt" / "Resolution No. 14."
                motion.statements[0] += " " + text
                motion.lines.append(line.number)
            elif said:
                collector.speaker(said["label"], line)
                collector.start(line, said["speech"])
                paragraph_open = True
            elif reported:
                collector.speaker(reported["label"], line)
                collector.start(line, text)
                paragraph_open = True
            elif paragraph_open:
                collector.continue_with(line, text)
            else:
                collector.unplaced.append(p.Unplaced(line.number, text, "no_speaker"))
        return collector


def _times_from_words(overview, blocks):
    """ "called the meeting to order at 7:02 PM", "adjourned at 8:45 PM"."""
    for block in blocks:
        if block.kind != "direction":
            continue
        text = block.statements[0]
        match = _TIME.search(text)
        if not match:
            continue
        if "order" in text and overview.starts is None:
            overview.starts = _time(match)
        elif "adjourn" in text:
            overview.ends = _time(match)


_OUTCOMES = (
    ("AMENDED", "passed_as_amended"),
    ("FAILED", "rejected"),
    ("DEFEATED", "rejected"),
    ("DENIED", "rejected"),
    ("TABLED", "deferred"),
    ("CONTINUED", "deferred"),
    ("POSTPONED", "deferred"),
    ("ADOPTED", "passed"),
    ("APPROVED", "passed"),
    ("PASSED", "passed"),
    ("CARRIED", "passed"),
)


def find_resolutions(blocks, agenda):
    """RESULT: ADOPTED [8 TO 0] - a decision on the item of the heading above it."""
    resolutions = []
    motion = ""
    for index, block in enumerate(blocks):
        if block.kind == "heading":
            motion = ""
        if block.kind != "direction":
            continue
        text = block.statements[0]
        if re.match(r"^(?:A motion|Motion by)", text, re.IGNORECASE):
            motion = text
        match = _RESULT.match(text)
        if not match:
            continue
        outcome = next(
            (value for word, value in _OUTCOMES if word in match["outcome"].upper()), None
        )
        if outcome is None:
            continue
        votes = None
        counted = re.match(r"^\s*(\d+)\s*TO\s*(\d+)", match["votes"] or "", re.IGNORECASE)
        if counted:
            votes = (int(counted[1]), int(counted[2]), 0)
        resolution = p.Resolution(
            block_index=index,
            question=motion or text,
            method="show_of_hands" if votes else "no_objection",
            outcome=outcome,
            item_kind=None,
            item_number=None,
            votes=votes,
        )
        resolution.agenda = p._agenda_of(resolution, blocks, agenda)
        resolutions.append(resolution)
    return resolutions
