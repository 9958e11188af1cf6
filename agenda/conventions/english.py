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
    r"City Manager|City Attorney|Finance Director|Director|Chief|Supervisor|Member|"
    r"Mr\.|Ms\.|Mrs\.|Dr\.)"
)
# A name word, or a mask where public minutes hide the name: "Councilmember ***".
_WORD = r"(?:[A-Z][A-Za-z'\-]+|0{2,}|○{2,}|\*{2,}|X{2,})"
_NAME = rf"{_WORD}(?: {_WORD})?"
_MASK = re.compile(r"^(?:0{2,}|○{2,}|\*{2,}|X{2,})$")
_LABEL = re.compile(rf"^(?P<role>{_TITLES})\s+(?P<name>.+)$")
_SAID = re.compile(rf"^(?P<label>{_TITLES} {_NAME})\s*:\s*(?P<speech>.+)$")
# "Councilmember Ryan moved and Councilmember Vance seconded to …": a motion, not a turn.
_MOVED = re.compile(
    rf"^(?:{_TITLES} {_NAME}|It was) moved\b.*\bseconded\b|^(?:A motion|Motion by)", re.I
)
_REPORTED = re.compile(
    rf"^(?P<label>{_TITLES} {_WORD}) (?:asked|said|stated|noted|moved|requested|"
    r"reported|expressed|thanked|presented|explained|commented|inquired|responded|answered|"
    r"replied|added|suggested|questioned|clarified|indicated|recommended|agreed|urged|"
    r"proposed|raised|reminded|announced|welcomed|summarized|remarked|emphasized)\b"
)
_DIRECTION = re.compile(
    r"^(?:A motion (?:was )?(?:offered|made|moved)|Motion by|RESULT:|MOVER:|SECONDER:|AYES:|"
    r"NAYS:|ABSENT:|ABSTAIN(?:ED)?:|RECUSED:|\(.*\)$)"
    r"|called (?:the meeting )?to order|meeting (?:was )?adjourned|adjourned the meeting"
    r"|(?:recessed|reconvened) (?:the meeting )?at|\bopened the (?:meeting|public hearing)"
    r"|^Motion (?:was )?(?:passed|carried|failed|approved|adopted|defeated|denied|tabled|"
    r"postponed|continued)\b"
    r"|^The Pledge of Allegiance was"
    r"|^No one (?:wished|was present|appeared|came forward|spoke)\b",
    re.IGNORECASE,
)
_ORDER = re.compile(r"called (?:the (?:meeting|session) )?to order", re.IGNORECASE)
# "Motion passed unanimously." / "Motion carried 4-1." after a motion: a decision.
_CARRIED = re.compile(
    r"^Motion (?:was )?(?P<word>passed|carried|failed|approved|adopted|defeated|denied|tabled|"
    r"postponed|continued)\b"
    r"(?P<rest>.*)$",
    re.IGNORECASE,
)
_HEADING = re.compile(
    r"^(?:(?P<number>\d{1,2})|[A-Z])\.\s+(?P<title>(?:[A-Z0-9][A-Z0-9 ,&'\-/():.]+|"
    r"(?:Resolution|Ordinance|Motion|Public Hearing|Consent)\b.*))$"
)
# "CALL TO ORDER" / "ROLL CALL" alone on a line, unnumbered.
_BARE_HEADING = re.compile(
    r"^(?:CALL TO ORDER|ROLL CALL|PLEDGE OF ALLEGIANCE|ADJOURNMENT|INVOCATION)[A-Z0-9 ,&'\-/]*$"
)
_RESULT = re.compile(r"^RESULT:\s*(?P<outcome>[A-Z ]+?)\s*(?:\[(?P<votes>[^\]]*)\])?\s*$", re.I)
_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_DATE = re.compile(
    r"\b(?P<month>" + "|".join(_MONTHS) + r")\s+(?P<day>\d{1,2}),\s*(?P<year>\d{4})",
    re.IGNORECASE,
)
_TIME = re.compile(r"(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<half>[AaPp])\.?\s*[Mm]\.?")
_LIST = re.compile(
    r"^(?P<key>Present|Members Present|Absent|Members Absent|Staff Present|Also Present)\s*:"
    r"\s*(?P<value>.+)$",
    re.IGNORECASE,
)
# Inside roll-call prose: "…, and Dan Ryan. Also present were City Manager …"
_ROLL_KEY = re.compile(
    r"(?:^|(?<=[.;:]) )(?P<key>(?:Members |Council |Staff |Also )?(?:Present|Absent|Excused)"
    r"(?: (?:were|was|and excused))?)\s*:?\s*",
    re.IGNORECASE,
)
_COMMITTEE = re.compile(
    r"\b(?:(?:CITY|TOWN|COUNTY|VILLAGE|PLANNING|SCHOOL|FINANCE)\s+)?"
    r"(?:COUNCIL|COMMISSION|BOARD|COMMITTEE)\b"
)
# Headings of the order of business that name no item to decide.
_PROCEDURAL = re.compile(
    r"^(?:CALL TO ORDER|ROLL CALL|PLEDGE OF ALLEGIANCE|ADJOURNMENT|APPROVAL OF (?:THE )?AGENDA"
    r"|INVOCATION)",
    re.IGNORECASE,
)
_PLACE_WORDS = re.compile(
    r"Chambers?|Hall|Room|Center|Centre|Building|Street|Avenue|Road", re.IGNORECASE
)


def detect(lines):
    count = 0
    for line in lines:
        text = line.text
        if text.startswith(("RESULT:", "MOVER:", "AYES:", "SECONDER:")):
            count += 1
        elif "duly seconded" in text or "ROLL CALL" in text.upper()[:12]:
            count += 1
        elif _MOVED.search(text) or _CARRIED.match(text) or _ORDER.search(text):
            count += 1
        elif _SAID.match(text) or _REPORTED.match(text):
            count += 0.5
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
    first_heading = next(
        (
            i
            for i, line in enumerate(kept)
            if _HEADING.match(line.text) or _BARE_HEADING.match(line.text)
        ),
        len(kept),
    )
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
        elif (
            overview.title
            and overview.day is None
            and text.isupper()
            and not re.search(r"\d|:", text)
            and (re.match(r"(?:OF|AND|IN|FOR) ", text) or not _PLACE_WORDS.search(text))
        ):  # the title goes on: "OF THE CITY OF BROOKLYN CENTER" / "REGULAR SESSION"
            overview.title += " " + text
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


_GROUP = r"(?:Council ?[Mm]embers|Councilmembers|Commissioners|Trustees|Supervisors|Members)"


def _entries(value):
    """ "Mayor Ann Lee and Councilmembers Bo Kim, Cy Park, and Di Roe" → the four entries.
    "and" splits only between two entries of two words or more, so that "Planner and
    Zoning Administrator Ginny Moss" stays one."""
    entries = []
    for part in re.split(r"[,;]", value):
        part = re.sub(r"^\s*(?:and|&)\s+", "", p._clean(part)).rstrip(".").strip()
        pieces = re.split(r"\s+(?:and|&)\s+", part)
        if len(pieces) > 1 and all(len(piece.split()) >= 2 for piece in pieces):
            entries.extend(pieces)
        else:
            entries.append(part)
    return entries


_NOBODY = ("none", "n/a", "inc", "llc", "ltd", "corp")


_FIRM = re.compile(
    r"\b(?:Services|Secretarial|Company|Associates|Group|Consulting|Partners|Agency)$"
)
_JOB = re.compile(
    r"(?:Director|Chief|Administrator|Manager|Attorney|Clerk|Planner|Engineer|Officer|"
    r"Secretary|Works|Coordinator|Superintendent|Treasurer|Assessor|Inspector|Specialist|"
    r"Analyst|Assistant|Marshal|Auditor|Counsel)$"
)


def _people(value):
    """People of a roll call with their titles; "Councilmembers Bo Kim, Cy Park" gives both
    the title; "Mary Roe, Acme Secretarial, Inc." reads the firm as Mary Roe's position."""
    people = []
    group = ""  # the title of "Councilmembers …", for the names after it
    for entry in _entries(value):
        grouped = re.match(rf"^(?P<group>{_GROUP})\s+(?P<rest>.+)$", entry)
        if grouped:
            group = re.sub(r"s$", "", grouped["group"])
            entry = grouped["rest"]
        title = re.match(rf"^(?P<title>{_TITLES})\s+(?P<rest>.+)$", entry)
        if title:
            group = "" if not grouped else group
        position, rest = (title["title"], title["rest"]) if title else (group, entry)
        words = rest.split()
        if len(words) > 3:  # "Director of Public Works Jo Cote", "Police Chief Al Roe"
            if not title and not _JOB.search(words[-3]) and people:  # the firm of the one before
                people[-1].position = ", ".join(filter(None, [people[-1].position, rest]))
                continue
            position = " ".join([position, *words[:-2]]).strip()
            rest = " ".join(words[-2:])
        elif len(words) == 3 and not title and people and _FIRM.search(rest):
            people[-1].position = ", ".join(filter(None, [people[-1].position, rest]))
            continue
        if not rest or rest.lower() in _NOBODY:
            continue
        people.append(p.Person(rest, position))
    return people


def _target(key, overview):
    key = key.lower()
    if "absent" in key or "excused" in key:
        return overview.absent
    if "staff" in key or "also" in key:
        return overview.officials
    return overview.attendees


def _add(people, target):
    known = {person.name for person in target}
    target.extend(person for person in people if person.name not in known)


def _list(text, overview):
    match = _LIST.match(text)
    if not match:
        return False
    _roll_call(text, overview)
    return True


def _roll_call(text, overview):
    """ "Present: …" lines or the prose of a roll call: "Mayor Ann Lee and Councilmembers
    Bo Kim, … Also present were City Manager Al Roe, …"; the first part are those present."""
    key, at = "present", 0
    for match in _ROLL_KEY.finditer(text):
        _add(_people(text[at : match.start()]), _target(key, overview))
        key, at = match["key"], match.end()
    _add(_people(text[at:]), _target(key, overview))


def _speaker(label):
    """ "Councilmember Ryan" → role Councilmember, name Ryan; a masked name is redacted."""
    label = p._clean(label)
    match = _LABEL.match(label)
    if not match:
        return p.Speaker(label, "", label, False)
    masked = bool(_MASK.match(match["name"]))
    return p.Speaker(label, "" if masked else match["name"], match["role"], masked)


def _ends_sentence(text):
    return bool(re.search(r"[.!?:;)\]]$", text))


def _joined(before, after):
    """Text wrapped onto the next line: "Lawrence-" + "Anderson" keeps the hyphen."""
    return before + after if before.endswith("-") else f"{before} {after}"


class _Reader:
    def __init__(self, context, consumed=None):
        self.context = context
        self.consumed = consumed if consumed is not None else set()

    def read(self, lines):
        collector = base.Collector(self.context)
        overview = self.context.overview
        paragraph_open = False  # a plain line continues the turn of its paragraph
        motion_open = False  # … or the motion it is part of
        direction_open = False  # … or a direction cut short: "called to order by Mayor Tim"
        roll_call = False  # after a ROLL CALL heading the paragraph names those present
        roll = []  # the roll-call lines read so far, until the paragraph ends

        def finish_roll():
            if roll:
                text = roll[0]
                for more in roll[1:]:
                    text = _joined(text, more)
                _roll_call(text, overview)
                roll.clear()

        for line in lines:
            text = line.text
            if not text:
                collector.close()
                paragraph_open = motion_open = direction_open = False
                finish_roll()
                continue
            heading = _HEADING.match(text)
            bare = _BARE_HEADING.match(text)
            said = _SAID.match(text)
            reported = _REPORTED.match(text)
            listed = _LIST.match(text)
            if roll and not (heading or bare or said or reported or listed):
                if _DIRECTION.search(text) or _MOVED.search(text):
                    finish_roll()
                else:
                    roll.append(text)
                    self.consumed.add(line.number)
                    continue
            finish_roll()
            if heading or bare:
                number = int(heading["number"]) if heading and heading["number"] else None
                title = p._clean(heading["title"] if heading else text)
                collector.heading(
                    line, title, number, item=bool(heading) and not _PROCEDURAL.match(title)
                )
                paragraph_open = motion_open = direction_open = False
                roll_call = title.upper().startswith("ROLL CALL")
                continue
            if listed or (roll_call and not (said or reported or _DIRECTION.search(text))):
                roll.append(listed["key"] + ": " + listed["value"] if listed else text)
                self.consumed.add(line.number)
                paragraph_open = motion_open = direction_open = roll_call = False
                continue
            roll_call = False
            if _DIRECTION.search(text) or _MOVED.search(text):
                _direction(collector, line, text)
                paragraph_open = False
                motion_open = bool(_MOVED.search(text))
                direction_open = not _ends_sentence(text)
            elif (motion_open or direction_open) and not (said or reported):
                block = collector.blocks[-1]  # "…to adopt" / "Resolution No. 14."
                block.statements[0] = _joined(block.statements[0], text)
                block.lines.append(line.number)
                direction_open = not _ends_sentence(text)
            elif said:
                collector.speaker(_speaker(said["label"]), line)
                collector.start(line, said["speech"])
                paragraph_open = True
            elif reported:
                collector.speaker(_speaker(reported["label"]), line)
                collector.start(line, text)
                paragraph_open = True
            elif paragraph_open:
                collector.continue_with(line, text)
            else:
                collector.unplaced.append(p.Unplaced(line.number, text, "no_speaker"))
        finish_roll()
        return collector


def _direction(collector, line, text):
    """A direction block, also before anything else is said (unlike base's Collector)."""
    collector.blocks.append(p.Block(None, [text], line.number, "direction", lines=[line.number]))
    collector.open = False


def _times_from_words(overview, blocks):
    """ "called the meeting to order at 7:02 PM", "adjourned at 8:45 PM"; under the
    ADJOURNMENT heading the time of any direction is the end."""
    adjourning = False
    for block in blocks:
        if block.kind == "heading":
            adjourning = "ADJOURN" in block.statements[0].upper()
            continue
        if block.kind != "direction":
            continue
        text = block.statements[0]
        match = _TIME.search(text)
        if not match:
            continue
        if "order" in text and overview.starts is None:
            overview.starts = _time(match)
        elif "adjourn" in text.lower() or adjourning:
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
        if _MOVED.search(text):
            motion = text
        carried = _CARRIED.match(text)
        if carried and motion:
            resolutions.append(_carried(index, motion, carried, blocks, agenda))
            motion = ""
            continue
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


def _carried(index, motion, carried, blocks, agenda):
    """ "Motion passed unanimously." / "Motion carried 4-1." on the motion before it."""
    outcome = next(value for word, value in _OUTCOMES if word in carried["word"].upper())
    counted = re.search(r"\b(\d+)\s*(?:-|to)\s*(\d+)\b", carried["rest"], re.IGNORECASE)
    votes = (int(counted[1]), int(counted[2]), 0) if counted else None
    resolution = p.Resolution(
        block_index=index,
        question=motion,
        method="show_of_hands" if votes else "no_objection",  # unanimous: nobody against
        outcome=outcome,
        item_kind=None,
        item_number=None,
        votes=votes,
    )
    resolution.agenda = _item_of(index, blocks)
    return resolution


def _item_of(index, blocks):
    """The item of the numbered heading above: None under "4. ADJOURNMENT" (procedural)."""
    for block in reversed(blocks[:index]):
        if block.kind == "heading" and _HEADING.match(block.statements[0]):
            return block.agenda
    return None
