"""What every convention shares: the document pipeline, the block collector,
stage directions, agenda headings and the rule for lines joined across a break.

A convention module only says how its speakers look (``detect``,
``is_speaker``) and how its remark lines become blocks (``read_body``); the
overview, closing lists, page artefacts, resolutions and checks are read
here, the same way for all.
"""

import datetime
import re
from dataclasses import dataclass, field

from .. import parsing as p

# --- Stage directions --------------------------------------------------------


def is_direction(text):
    """A line wholly in parentheses - "(10시 12분)", "(의사봉 3타)", "(“예” 하는
    위원 있음)", "(홍길동 위원장직무대행, 김철수 위원장과 사회교대)" - or a
    reaction in angle brackets: "<‘예’ 하는 위원 있음>"."""
    return p._is_direction(text) or p._is_reaction(text)


_DIRECTION_WORDS = re.compile(
    r"\d|['‘’“”\"「」]|하는|있음|의사봉|개의|개회|산회|폐회|정회|중지|계속|교대|퇴장|입장|박수|착석"
)
# A closing mark with the time: "(15시40분 산회)", "(11시 5분 계속개의)".
_TIME_MARK = re.compile(r"^\(\s*(?P<h>\d{1,2})\s*(?:시\s*(?P<m>\d{1,2})?\s*분?|:(?P<m2>\d{2}))")
_OPENING = ("개의", "개회")
_CLOSING = ("산회", "폐회", "폐의", "종료")


def direction_time(text):
    """(time, "opens" | "closes" | None) of a time mark, else None."""
    norm = p._nfkc(text)
    match = _TIME_MARK.match(norm)
    if not match:
        return None
    hour, minute = int(match["h"]), int(match["m"] or match["m2"] or 0)
    if hour > 23 or minute > 59:
        return None
    word = "opens" if any(w in norm for w in _OPENING) and "계속" not in norm else None
    if any(w in norm for w in _CLOSING):
        word = "closes"
    return datetime.time(hour, minute), word


# --- Agenda headings ---------------------------------------------------------

_HEADING_MARKS = "○◯◎□■◇◆▣●▶"
_NUMBERED_HEADING = re.compile(
    rf"^[{_HEADING_MARKS}]?\s*(?:(?P<n>\d{{1,2}})\s*\.\s*|의사일정\s*제\s*(?P<m>\d+)\s*항\.?\s*"
    r"|(?P<letter>[가-하])\s*\.\s*)(?P<title>\S.*)$"
)
_FREE_SPEECH = re.compile(rf"^[{_HEADING_MARKS}]?\s*(?P<title>\d+\s*분\s*자유\s*발언.*)$")
# The last word of an agenda item's title, before an optional "(…대표발의)".
_AGENDA_NOUN = re.compile(
    r"(?:조례\s*(?:일부)?\s*개정\s*조례안|조례안|[가-힣]안|\(안\)|동의안|결의안|청원|보고|계획"
    r"|건|선출|선임|승인|심사|질문|감사|예산안|결산|심의|자문)"
    r"\s*(?:\([^()]*\)\s*)*$"
)


def _title_key(text):
    text = p._ENUMERATOR.sub("", p._nospace(p._nfkc(text)).lstrip(_HEADING_MARKS))
    return re.sub(r"\([^()]*\)$", "", text)


def heading(line, overview, *, exact_only=False):
    """(title, number) when the line is an agenda heading, else None.

    "1. ○○ 조례안(홍길동 의원 대표발의)", "의사일정 제2항 …", "○5분 자유발언(…)",
    or exactly the title of an item on the cover's agenda list.
    """
    text = line.text
    norm = p._nfkc(text)
    if len(text) > 120 or p._SENTENCE_END.search(norm):
        return None
    key = _title_key(text)
    for _kind, number, title in overview.agenda:
        if key and key == _title_key(title):
            return title, number
    if exact_only:
        return None
    free = _FREE_SPEECH.match(norm)
    if free:
        return p._clean(text.lstrip(_HEADING_MARKS)), None
    match = _NUMBERED_HEADING.match(norm)
    if match and _AGENDA_NOUN.search(match["title"]):
        number = match["n"] or match["m"]
        if match["letter"]:
            number = p._LETTERS.index(match["letter"]) + 1
        return p._clean(match["title"]), int(number) if number else None
    return None


def agenda_index(overview, title, number):
    """Index of the item the heading names in overview.agenda, appended if new."""
    key = _title_key(title)
    for index, (_kind, _number, listed) in enumerate(overview.agenda):
        listed_key = _title_key(listed)
        if key == listed_key or (len(key) >= 6 and (key in listed_key or listed_key in key)):
            return index
    kind = "report" if ("자유" in title or title.endswith("보고")) else "deliberation"
    used = {n for k, n, _t in overview.agenda if k == kind}
    if number is None or number in used:
        number = max(used, default=0) + 1
    overview.agenda.append((kind, number, title))
    return len(overview.agenda) - 1


# --- Joining lines across a line or page break -------------------------------

# The first word of a line that continues the word before the break: a
# particle or a verb ending cannot start a word.
_CONTINUATIONS = frozenset(
    """
    은 는 이 가 을 를 에 의 도 로 와 과 고 며 면 서 다 요 니다 습니다 니까 습니까 에서 으로 로서
    로써 까지 부터 에게 께서 께 만 하고 하여 해서 하며 하면 시면 면서 지만 는데 은데 었다 였다 했다
    함 음 임 됨 합니다 입니다 됩니다 했습니다 겠습니다 었습니다 였습니다 이며 이고 이다 인 일 적 들
    """.split()
)
# A short first word ending like a verb is the end of a word cut by the
# break: "커" + "집니다." (three syllables at most: "갑니다" alone is rare).
_VERB_ENDINGS = ("니다", "니까")
_CLAUSE_END = re.compile(r"[.,?!:;]$")
_BRACKET_END = re.compile(r"[)」』\]]$")
_HANGUL = re.compile(r"[가-힣]")


def typical_width(lines):
    """The width of a full line when the text was wrapped to a margin, else None.

    Wrapped text has many lines close to the widest; a dump with one
    paragraph per line (the reference) has not, and then no width is known.
    """
    widths = sorted(len(line.text) for line in lines if line.text)
    if len(widths) < 20:
        return None
    full = widths[int(len(widths) * 0.9) - 1]
    near = sum(1 for width in widths if width >= full * 0.85)
    if not 25 <= full <= 120 or near < len(widths) * 0.3:
        return None
    return full


def join(before, after, *, width, default):
    """(separator, uncertain) for text continued on the next line.

    The rule, in order:
    1. the text before the break ends a clause (. , ? ! : ;) → a space;
    2. the next line starts with a particle or verb ending (은/는/이/가/을/를/
       에/의/도/로/와/과/고/며/면/서/다/요/니다/습니다/시면 …), or with a word of
       at most three syllables ending in 니다/니까 ("집니다.") → no space: it
       continues the word (after a closing bracket too: "계획(안)" + "을");
       otherwise after a closing bracket → a space;
    3. in wrapped text, a line ending well short (< 75 %) of the full width
       ended a word → a space;
    4. otherwise the convention's default: "" for the reference (a dump with
       one paragraph per line, cut only by page breaks, inside words as often
       as not: "질문이 있으" + "시면"), " " for the others, and then the join
       is uncertain when Hangul meets Hangul (a Check "joined_across_break").
    """
    if _CLAUSE_END.search(before):
        return " ", False
    first = re.split(r"[\s.,?!]", after, maxsplit=1)[0]
    if first in _CONTINUATIONS or (len(first) <= 3 and first.endswith(_VERB_ENDINGS)):
        return "", False  # also after a bracket: "계획(안)" + "을 심의"
    if _BRACKET_END.search(before):
        return " ", False
    if width and len(before) < width * 0.75:
        return " ", False
    if default == "":
        return "", False
    both_hangul = bool(_HANGUL.match(before[-1:]) and _HANGUL.match(after[:1]))
    return " ", both_hangul


# --- Collecting blocks -------------------------------------------------------


@dataclass
class Context:
    """What a convention's reader may use besides its lines."""

    overview: p.Overview
    width: int | None = None
    known: list[str] = field(default_factory=list)  # speaker labels written clearly
    checks: list[p.Check] = field(default_factory=list)
    join_default: str = " "


class Collector:
    """Blocks as the lines come; text that nobody can have said is unplaced.

    Words after a stage direction are the same speaker's, in a new block (the
    direction stands between); words after an agenda heading need a speaker.
    """

    def __init__(self, context):
        self.context = context
        self.blocks = []
        self.unplaced = []
        self.open = False  # the last statement may still be continued
        self.speaking = None  # whose words a plain line is

    @property
    def current(self):
        return self.blocks[-1] if self.blocks else None

    def speaker(self, label, line):
        """``label`` as written, or a Speaker the convention already split."""
        speaker = label if isinstance(label, p.Speaker) else p.parse_speaker_label(label)
        self.blocks.append(p.Block(speaker, [], line.number, lines=[line.number]))
        self.speaking = speaker
        self.open = False

    def start(self, line, text, *, can_continue=True, reason="before_first_speaker"):
        """A new statement of the current speaker."""
        current = self.current
        if current is None or current.kind != "speech":
            if self.speaking is None:
                self.unplaced.append(p.Unplaced(line.number, line.text, reason))
                self.open = False
                return
            current = p.Block(self.speaking, [], line.number)
            self.blocks.append(current)
        current.statements.append(text)
        if line.number not in current.lines:
            current.lines.append(line.number)
        self.open = can_continue

    def continue_with(self, line, text, *, before=None):
        """Text continuing the open statement (joined by the rule), or a new one."""
        current = self.current
        if not (self.open and current and current.kind == "speech" and current.statements):
            self.start(line, text)
            return
        separator, uncertain = join(
            before if before is not None else current.statements[-1],
            text,
            width=self.context.width,
            default=self.context.join_default,
        )
        if uncertain:
            self.context.checks.append(
                p.Check("line", "joined_across_break", line.number, line.text)
            )
        current.statements[-1] += separator + text
        current.lines.append(line.number)

    def direction(self, line, text=None):
        text = text or line.text
        if not self.blocks and not _DIRECTION_WORDS.search(text):
            # Before anything is said only what is surely a direction: "(10시 개의)"
            # is; "(빅데이터담당관)" on a cover is not.
            self.unplaced.append(p.Unplaced(line.number, line.text, "before_first_speaker"))
            return
        self.blocks.append(p.Block(None, [text], line.number, "direction", lines=[line.number]))
        self.open = False

    def heading(self, line, title, number, *, item=True):
        """An agenda heading; ``item=False`` for a procedural one (CALL TO ORDER)."""
        index = agenda_index(self.context.overview, title, number) if item else None
        self.blocks.append(
            p.Block(None, [line.text], line.number, "heading", index, lines=[line.number])
        )
        self.speaking = None
        self.open = False

    def close(self):
        self.open = False

    def other(self, line, *, exact_headings=False):
        """A line that opens no speaker block: a stage direction, an agenda
        heading of the overview's agenda, or words of the open statement."""
        if is_direction(line.text):
            self.direction(line)
        elif found := heading(line, self.context.overview, exact_only=exact_headings):
            self.heading(line, *found)
        else:
            self.continue_with(line, line.text)


# --- The document ------------------------------------------------------------

# The heading of the remarks: "## □ 위원 발언내용", "2. 위원 발언내용", "3. 회의내용".
REMARKS_START = re.compile(
    r"^[^가-힣]*(?:위원\s*발언\s*내용|회\s*의\s*내\s*용|주요\s*발언\s*내용|심의\s*내용|논의\s*내용)"
    r"[^가-힣]*$"
)


_CLOSING_HINT = re.compile(r"출\s*석|참\s*석|배\s*석|결\s*석|청\s*가|공\s*무\s*원")


def closing_key(line):
    """The key of a closing attendance list line: ○출석위원 (5인), 출석공무원 …"""
    if not _CLOSING_HINT.search(line.norm):
        return None
    text = p._ITEM_MARKERS.sub("", p._demark(line.text))
    found = p._key_value(text)
    return found[0] if found and found[0] in p._PEOPLE_KEYS else None


def remarks_start(lines, is_speaker):
    """Index of the remarks heading, else of the first speaker (with the time
    marks and blank lines just before it)."""
    for index, line in enumerate(lines):
        if REMARKS_START.search(line.norm):
            return index
    start = next((i for i, line in enumerate(lines) if is_speaker(line)), len(lines))
    while start and (not lines[start - 1].text or is_direction(lines[start - 1].text)):
        start -= 1
    return start


def read_document(lines, convention, confidence=None):
    """The pipeline every convention but the English one shares: overview,
    remarks in ``convention``, closing lists, names, times, checks."""
    if confidence is None:
        confidence = convention.detect(lines)
    start = convention.remarks_start(lines)
    head, rest = lines[:start], lines[start:]
    consumed = set()
    if rest and REMARKS_START.search(rest[0].norm):
        consumed.add(rest[0].number)  # the section heading itself
        rest = rest[1:]
    end = next(
        (i for i, line in enumerate(rest) if line.text and closing_key(line)),
        len(rest),
    )
    body, tail = rest[:end], rest[end:]

    title_at = p._choose_title(head)
    title_key = p._header_key(lines[title_at]) if title_at is not None else ""
    headers = p._running_headers(lines, title_key)
    reader = p._OverviewReader(title_at, head, headers)
    reader.read(head)
    overview = reader.overview

    remarks, checks = read_remarks_checked(body, convention, overview, headers)
    reader.read(tail, closing=True)
    known = set()
    for block in remarks.blocks:
        if block.speaker and block.speaker.name:
            known.add(block.speaker.name)
        elif block.speaker and block.speaker.redacted:  # "김○○ 위원": the mask stands for a name
            known.update(token for token in block.speaker.label.split(" ") if p._is_mask(token))
    known |= {person.name for person in [*overview.attendees, *overview.external]}
    known |= {person.name for person in [*overview.internal, *overview.officials]}
    reader.settle_runs(known, checks)
    _times_from_directions(overview, remarks.blocks)
    if overview.year is None and overview.day is not None:
        overview.year = overview.day.year
    checks[:0] = _overview_checks(overview)

    remarks.dropped = sorted(reader.dropped + remarks.dropped, key=lambda entry: entry.line)
    find_resolutions = getattr(convention, "find_resolutions", p.find_resolutions)
    return p.Document(
        overview=overview,
        remarks=remarks,
        resolutions=find_resolutions(remarks.blocks, overview.agenda),
        unplaced=reader.unplaced,
        convention=convention.name,
        confidence=confidence,
        checks=checks,
        consumed=consumed | reader.consumed,
    )


def read_remarks_checked(lines, convention, overview=None, headers=None):
    """(Remarks, checks) of ``lines`` in ``convention``: page artefacts out, then its reader."""
    overview = overview if overview is not None else p.Overview()
    if headers is None:
        headers = p._running_headers(lines)
    remarks = p.Remarks(convention=convention.name)
    kept = []
    after_artefact = False
    for line in lines:
        reason = p._artefact(line, headers)
        if reason:
            remarks.dropped.append(p.Unplaced(line.number, line.text, reason))
            while kept and not kept[-1].text:
                kept.pop()  # the blank lines around a page break end nothing
            after_artefact = True
        elif not (after_artefact and not line.text):
            kept.append(line)
            after_artefact = False
    context = Context(overview, width=typical_width(kept))
    collector = convention.read_body(kept, context, remarks)
    remarks.blocks, remarks.unplaced = collector.blocks, collector.unplaced
    return remarks, context.checks


def _times_from_directions(overview, blocks):
    """The start and end time from "(10시 12분 개의)" / "(15시40분 산회)" when the
    overview has none."""
    opens = closes = None
    for block in blocks:
        if block.kind == "direction":
            found = direction_time(block.statements[0])
            if found and found[1] == "opens" and opens is None:
                opens = found[0]
            elif found and found[1] == "closes":
                closes = found[0]
    if overview.starts is None and opens is not None:
        overview.starts = opens
    if overview.ends is None and closes is not None:
        overview.ends = closes


def _overview_checks(overview):
    """A Check for each overview field the document does not give."""
    checks = []
    for topic, value in (
        ("title", overview.title),
        ("year", overview.year),
        ("sequence", overview.sequence),
        ("day", overview.day),
        ("starts", overview.starts),
        ("ends", overview.ends),
        ("place", overview.place),
    ):
        if not value:
            checks.append(p.Check(topic, "missing"))
    if not (overview.attendees or overview.external or overview.internal):
        checks.append(p.Check("attendees", "missing"))
    return checks


def confidence(count, *, base=0.5, full=4):
    """A detector's confidence from how many lines have its shape."""
    if count <= 0:
        return 0.0
    return round(min(1.0, base + (1 - base) * min(count, full) / full), 3)
