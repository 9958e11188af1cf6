"""Reads pasted or imported Korean committee minutes (회의록) into structure.

Pure Python (standard library only): nothing here touches the database. What
the text says is returned as plain data; what could not be placed is returned
too (``unplaced``, with line numbers and a reason code), never dropped
silently. Reason codes are short English snake_case strings for the caller to
translate: ``before_first_speaker``, ``unrecognised_overview_line``,
``page_number``, ``page_header``, ``empty_bullet``.

Two conventions for the remarks are recognised:

*Reference convention* (published summary minutes, like the reference PDF
dump). A speaker heading stands on its own line in angle brackets, after
optional markdown ``#``s: ``### <간사>``, ``<000위원>``, ``＜간사＞``,
``〈위원장〉``. Each bullet line below it (``- ``, ``○``, ``◦``, ``•``, ``·``,
``∘``, ``*``) is one statement. A line without a bullet continues the
statement above it, joined *without* a space: it is a sentence cut by a page
break in the PDF ("질문이 있으" + "시면 ..."). It is chosen as soon as one such
heading appears in the text.

*Transcript convention* (verbatim council transcripts). A speaker line starts
with ``○`` immediately followed by the speaker and the speech:
``○위원장 홍길동  성원이 되었으므로 개의하겠습니다.`` The speaker ends at the
first run of two or more spaces (or a tab); with single spacing a heuristic
takes one or two tokens made of a role word and/or a name. Indented lines
continue the statement above *with* a space; an unindented line starts a new
statement; a blank line ends the statement.

In both, a line that is wholly in parentheses - a stage direction or time mark
such as ``(“예” 하는 위원 있음)``, ``(10시 12분 개의)``, ``(의사봉 3타)`` -
is a statement of its own in the current block: never a speaker, never merged.
Page numbers (``- 2 -``, ``2 / 10``) and running page headers (a repeated line
containing "회의록") are removed and listed in ``Remarks.dropped``.

parse_document() reads a whole minutes document in the reference's layout:
signature table, cover, title, 〈회의개요〉 (date, place, attendees, order of
proceedings, agenda), then the remarks from the line "위원 발언내용" on.
find_resolutions() spots decisions the chair put to the meeting.

Recognition works on an NFKC copy of each line (full-width brackets, digits
and spaces match like ASCII); text that is kept (statements, names, titles)
is kept as written, only NFC-normalised with whitespace runs collapsed.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

# --- Public data -------------------------------------------------------------


@dataclass(frozen=True)
class Speaker:
    label: str  # as written, whitespace-normalised: "000위원", "김준호 위원"
    name: str  # the person's name if written, "" if none or masked
    role: str  # role or title: "위원", "위원장", "간사", "팀장", "" if none
    redacted: bool  # the name was masked (000, ○○○, OOO, ***)


@dataclass
class Block:
    speaker: Speaker
    statements: list[str]
    line: int  # 1-based line number of the speaker heading or line


@dataclass
class Unplaced:
    line: int  # 1-based line number
    text: str
    reason: str  # a code such as "before_first_speaker"


@dataclass
class Remarks:
    convention: str  # "reference" or "transcript"
    blocks: list[Block] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    # Page numbers and running headers removed. From parse_document(): those of
    # the whole document, overview included.
    dropped: list[Unplaced] = field(default_factory=list)


@dataclass
class Person:
    name: str
    position: str = ""


@dataclass
class Overview:
    title: str = ""
    committee: str = ""
    year: int | None = None
    sequence: int | None = None
    day: datetime.date | None = None
    starts: datetime.time | None = None
    ends: datetime.time | None = None
    place: str = ""
    attendee_count: int | None = None
    external: list[Person] = field(default_factory=list)
    internal: list[Person] = field(default_factory=list)
    non_members: list[Person | str] = field(default_factory=list)
    proceedings: list[tuple[int, str]] = field(default_factory=list)  # (depth 0..2, text)
    agenda: list[tuple[str, int, str]] = field(default_factory=list)  # (kind, number, title)
    signatories: list[tuple[str, str, str]] = field(default_factory=list)  # (role, title, name)
    document_date: tuple[int, int] | None = None  # (year, month) on the cover
    organisation: str = ""
    department: str = ""


@dataclass
class Resolution:
    block_index: int  # the chair's block that put the question
    question: str
    method: str  # "no_objection", "show_of_hands" or "ballot"
    outcome: str  # "passed", "passed_as_amended", "rejected" or "deferred"
    item_kind: str | None
    item_number: int | None
    votes: tuple[int, int, int] | None = None  # (for, against, abstentions)


@dataclass
class Document:
    overview: Overview
    remarks: Remarks
    resolutions: list[Resolution] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)  # overview lines not understood


# --- Text helpers ------------------------------------------------------------

_WHITESPACE = re.compile(r"\s+")
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u2060"))


def _clean(text):
    """NFC, invisible characters removed, whitespace runs collapsed, stripped."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return _WHITESPACE.sub(" ", text).strip()


def _nfkc(text):
    return unicodedata.normalize("NFKC", text)


def _nospace(text):
    return _WHITESPACE.sub("", text)


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based
    raw: str  # as in the input, without the line ending
    text: str  # cleaned: what is kept
    norm: str  # NFKC copy of text: what is matched

    @property
    def indent(self):
        """Width of the leading whitespace (a tab counts 4, a full-width space 2)."""
        width = 0
        for char in self.raw:
            if not char.isspace():
                break
            width += {"\t": 4, "\u3000": 2}.get(char, 1)
        return width

    @property
    def indented(self):
        return self.raw[:1].isspace()


def _split_lines(text):
    text = text.removeprefix("\ufeff")
    return [
        _Line(number, raw, _clean(raw), _clean(_nfkc(raw)))
        for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1)
    ]


# --- Line shapes shared by both conventions ----------------------------------

# A speaker heading: optional markdown #s, then one label in angle brackets.
_HEADING = re.compile(
    r"^(?:[#＃]{1,6}\s*)?[<〈〈＜]\s*([^<>〈〉〈〉＜＞\s][^<>〈〉〈〉＜＞]*?)\s*[>〉〉＞]$"
)
# A statement bullet and its text ("○서울시의..." needs no space after ○; a
# lone "*" is a bullet but "**bold**" is not; "ㅇ" is a bullet only before a space).
_BULLET = re.compile(r"^(?:[-－]\s+|[○◯◦•·∘]\s*|ㅇ\s+|\*(?!\*)\s*)(?P<text>.*)$")
_LONE_BULLET = re.compile(r"^(?:[-－○◯◦•·∘*ㅇ])$")
_DASHES = "-‐‑‒–—―−~"
_PAGE_NUMBER = re.compile(
    rf"^[{_DASHES}]\s*\d{{1,4}}\s*[{_DASHES}]$"  # - 2 -, -2-, — 2 —
    r"|^\d{1,4}\s*/\s*\d{1,4}$"  # 2 / 10
)
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s*")


# Section headings that share the bracket shape of a speaker heading: "## 〈회의개요〉".
_SECTION_WORDS = tuple("개요 발언내용 회의결과 의결사항 진행순서 상정안건 붙임 참고".split())


def _heading_label(line):
    match = _HEADING.match(line.text)
    if not match or any(word in _nospace(match[1]) for word in _SECTION_WORDS):
        return None
    return match[1]


def _bullet_text(line):
    """The text after a statement bullet, or None when the line has no bullet."""
    if _LONE_BULLET.match(line.text):
        return ""
    match = _BULLET.match(line.text)
    return match["text"].strip() if match else None


def _is_direction(text):
    """A line wholly in one pair of parentheses: "(10시 12분 개의)", "(의사봉 3타)"."""
    text = _nfkc(text).strip()
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    for position, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and position < len(text) - 1:
            return False  # the first parenthesis closes before the end: "(a) b (c)"
    return depth == 0


def _starts_speaker_line(line):
    """○ immediately followed by text: the shape of a transcript speaker line."""
    raw = line.raw.strip()
    return len(raw) > 1 and raw[0] in "○◯" and not raw[1].isspace()


def _header_key(line):
    """How a running page header is compared: markdown and bold marks removed."""
    return _MARKDOWN_HEADING.sub("", line.norm).replace("**", "").strip()


def _is_plain(line):
    """Neither blank nor a heading, bullet, speaker line or stage direction."""
    return bool(
        line.text
        and _heading_label(line) is None
        and _bullet_text(line) is None
        and not _starts_speaker_line(line)
        and not _is_direction(line.text)
    )


def _running_headers(lines, title_key=""):
    """Keys of plain lines repeated in the text that are page headers."""
    counts = {}
    for line in lines:
        if _is_plain(line):
            key = _header_key(line)
            counts[key] = counts.get(key, 0) + 1
    return {
        key
        for key, count in counts.items()
        if count >= 2 and ("회의록" in key or (title_key and key == title_key))
    }


def _artefact(line, headers):
    """The reason code when the line is a page number or running header, else None."""
    if _PAGE_NUMBER.match(line.norm):
        return "page_number"
    if _is_plain(line) and _header_key(line) in headers:
        return "page_header"
    return None


# --- Speaker labels ----------------------------------------------------------

# Roles recognised as whole tokens. Besides these, any Hangul token ending in
# one of _ROLE_ENDINGS counts as a role or title ("기획조정실장", "디지털수석").
_KNOWN_ROLES = frozenset(
    """
    위원장 부위원장 위원 간사 의장 부의장 의원 위원회 직무대리 전문위원 수석전문위원
    민간위원 외부위원 내부위원 당연직위원 위촉위원 자문위원 심의위원 연구위원
    팀장 과장 국장 실장 차장 부장 계장 소장 원장 청장 시장 구청장 군수 본부장 단장
    관장 주무관 주사 사무관 서기관 담당관 정책관 총괄관 수석 비서관 조사관 입법조사관
    전문관 대변인 교수 연구원 회장 부회장 이사 이사장 감사 사무국장 사무처장
    """.split()
)
_ROLE_ENDINGS = ("장", "관", "원", "사", "석")
# Roles that may follow a name without a space: "김준호위원".
_GLUED_ROLES = ("부위원장", "위원장", "부의장", "의장", "위원", "의원", "간사")
# Common surnames: a name candidate must start with one (keeps "담당 팀장" a title).
_SURNAMES = frozenset(
    "김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구"
    "민진지엄채원천방공현함변염여추도소석선설마길연위표명반왕금옥육맹모탁편나라봉태"
)
_COMPOUND_SURNAMES = ("남궁", "황보", "제갈", "선우", "독고", "사공", "서문")
# Masks for a redacted name: 000, ○○○, OOO, ***, ㅇㅇㅇ; or a surname then masks: 김○○.
_MASK_CHARS = "0○◯〇OoＯ*＊×ㅇ\u110b●"
_MASK = rf"(?:[{_MASK_CHARS}]{{2,3}}|[가-힣][{_MASK_CHARS}]{{1,2}})"
_MASKED = re.compile(rf"^(?P<mask>{_MASK})(?P<rest>.*)$")
_HANGUL_WORD = re.compile(r"^[가-힣]+$")


def _is_mask(token):
    match = _MASKED.match(_nfkc(token))
    return bool(match and not match["rest"])


def _is_role(token):
    return token in _KNOWN_ROLES or bool(
        _HANGUL_WORD.match(token) and len(token) >= 2 and token.endswith(_ROLE_ENDINGS)
    )


def _is_name(token):
    """2-4 Hangul syllables starting with a common surname, and not a known role."""
    if not _HANGUL_WORD.match(token) or token in _KNOWN_ROLES:
        return False
    if token.startswith(_COMPOUND_SURNAMES) and 3 <= len(token) <= 4:
        return True
    if token[0] not in _SURNAMES or not 2 <= len(token) <= 4:
        return False
    return len(token) < 4 or not token.endswith(_ROLE_ENDINGS)  # "정책실장" is a title


def _glued_name_role(token):
    """("김준호", "위원") for "김준호위원" (a three-syllable name), else None."""
    for role in _GLUED_ROLES:
        name = token.removesuffix(role)
        if name != token and _is_name(name) and (len(name) == 3 or name[:2] in _COMPOUND_SURNAMES):
            return name, role
    return None


def parse_speaker_label(label: str) -> Speaker:
    """Split a speaker label into name and role; notice masked names.

    "김준호 위원" → name 김준호, role 위원; "위원장 홍길동" → name 홍길동, role
    위원장; "000팀장" → role 팀장, redacted; a lone unknown word is a role.
    """
    label = _clean(label)
    tokens = label.split(" ")
    if len(tokens) == 1:
        return _single_token_speaker(label)
    first, last = tokens[0], tokens[-1]
    head, tail = " ".join(tokens[:-1]), " ".join(tokens[1:])
    if _is_mask(first):  # "000 위원"
        return Speaker(label, "", tail, True)
    if last in _KNOWN_ROLES and _is_name(first):  # "김지원 위원"
        return Speaker(label, first, tail, False)
    if first in _KNOWN_ROLES or any(_is_role(token) for token in tokens[:-1]):
        if _is_mask(last):  # "위원 ○○○"
            return Speaker(label, "", head, True)
        if _is_name(last):  # "위원장 홍길동", "기획조정실장 박민수"
            return Speaker(label, last, head, False)
    if _is_name(first) and any(_is_role(token) for token in tokens[1:]):  # "김준호 디지털수석"
        return Speaker(label, first, tail, False)
    return Speaker(label, "", label, False)


def _single_token_speaker(label):
    match = _MASKED.match(_nfkc(label))
    if match:  # "000위원", "○○○", "김○○위원"
        return Speaker(label, "", match["rest"].strip(), True)
    if label in _KNOWN_ROLES or not label:
        return Speaker(label, "", label, False)
    glued = _glued_name_role(label)
    if glued:
        return Speaker(label, glued[0], glued[1], False)
    return Speaker(label, "", label, False)


# --- Remarks -----------------------------------------------------------------


class _Collector:
    """Blocks and statements as the lines come; text before any speaker is unplaced."""

    def __init__(self):
        self.blocks = []
        self.unplaced = []
        self.open = False  # the last statement may still be continued

    def speaker(self, label, line):
        self.blocks.append(Block(parse_speaker_label(label), [], line.number))
        self.open = False

    def start(self, line, text, *, can_continue=True):
        """A new statement in the current block."""
        if not self.blocks:
            self.unplaced.append(Unplaced(line.number, line.text, "before_first_speaker"))
            return
        self.blocks[-1].statements.append(text)
        self.open = can_continue

    def continue_with(self, line, text, separator):
        """Text continuing the open statement, or a new one when none is open."""
        if self.open and self.blocks and self.blocks[-1].statements:
            self.blocks[-1].statements[-1] += separator + text
        else:
            self.start(line, text)

    def direction(self, line, text):
        self.start(line, text, can_continue=False)

    def close(self):
        self.open = False


def parse_remarks(text: str) -> Remarks:
    """Speaker blocks and their statements, in either convention."""
    lines = _split_lines(text)
    return _read_remarks(lines, _running_headers(lines))


def _read_remarks(lines, headers):
    remarks = Remarks(convention="transcript")
    kept = []
    for line in lines:
        reason = _artefact(line, headers)
        if reason:
            remarks.dropped.append(Unplaced(line.number, line.text, reason))
        else:
            kept.append(line)
    if any(_heading_label(line) is not None for line in kept):
        remarks.convention = "reference"
        collector = _read_reference_lines(kept, remarks)
    else:
        collector = _read_transcript_lines(kept)
    remarks.blocks, remarks.unplaced = collector.blocks, collector.unplaced
    return remarks


def _read_reference_lines(lines, remarks):
    collector = _Collector()
    for line in lines:
        if not line.text:
            continue  # blank lines also fall inside statements cut by a page break
        label = _heading_label(line)
        bullet = _bullet_text(line)
        if label is not None:
            collector.speaker(label, line)
        elif bullet == "":
            collector.close()
            remarks.dropped.append(Unplaced(line.number, line.text, "empty_bullet"))
        elif bullet is not None:
            collector.start(line, bullet, can_continue=not _is_direction(bullet))
        elif _is_direction(line.text):
            collector.direction(line, line.text)
        else:
            collector.continue_with(line, line.text, "")
    return collector


def _read_transcript_lines(lines):
    collector = _Collector()
    known = _known_transcript_speakers(lines)
    for line in lines:
        if not line.text:
            collector.close()
            continue
        if _is_direction(line.text):
            collector.direction(line, line.text)
            continue
        speaker = _transcript_speaker(line, known)
        if speaker is not None:
            label, speech = speaker
            collector.speaker(label, line)
            if _is_direction(speech):
                collector.direction(line, speech)
            elif speech:
                collector.start(line, speech)
        elif line.indented:
            collector.continue_with(line, line.text, " ")
        else:
            collector.start(line, line.text)
    return collector


# The speaker part of a transcript line ends at two or more spaces or a tab.
_SPEAKER_GAP = re.compile(r"\t|\s{2,}")
# A token that looks like a name but is the speech's first word: ends in a particle.
_PARTICLE_ENDINGS = tuple("이가은는을를에의도와과로께서만요다고며면게지니데까분")


def _names_someone(token):
    """A role, a name, a mask ("000위원" too) or a glued name and role."""
    return bool(
        _is_role(token) or _is_name(token) or _MASKED.match(_nfkc(token)) or _glued_name_role(token)
    )


def _speaker_part_ok(label):
    """A speaker part is short and names someone: "위원장 홍길동", not "의사일정 제1항"."""
    tokens = label.split(" ")
    return len(tokens) <= 4 and len(label) <= 30 and any(map(_names_someone, tokens))


def _gap_split(line):
    """(speaker, speech) from "○speaker  speech" when a gap separates them."""
    body = line.raw.strip()[1:]
    gap = _SPEAKER_GAP.search(body)
    if gap:
        label = _clean(body[: gap.start()])
        if _speaker_part_ok(label):
            return label, _clean(body[gap.end() :])
    return None


def _known_transcript_speakers(lines):
    """Speaker labels written with a clear gap: they settle single-spaced lines."""
    known = set()
    for line in lines:
        if _starts_speaker_line(line):
            split = _gap_split(line)
            if split:
                known.add(split[0])
    return sorted(known, key=len, reverse=True)


def _transcript_speaker(line, known):
    """(label, speech) when the line is a transcript speaker line, else None."""
    if not _starts_speaker_line(line):
        return None
    split = _gap_split(line)
    if split:
        return split
    body = _clean(line.raw.strip()[1:])
    for label in known:
        if body == label or body.startswith(label + " "):
            return label, body[len(label) :].strip()
    return _guess_speaker(body)


def _guess_speaker(body):
    """Single spacing: one or two leading tokens made of a role and/or a name."""
    tokens = body.split(" ")
    first = tokens[0]
    second = tokens[1] if len(tokens) > 1 else ""

    def speaker_name(token):
        """A name after a role: three syllables (two-syllable words are too often speech)."""
        if not _is_name(token) or (len(token) < 3 and len(tokens) > 2):
            return False
        return len(tokens) == 2 or not token.endswith(_PARTICLE_ENDINGS)

    if first in _KNOWN_ROLES or (_is_role(first) and not _is_name(first)):
        count = 2 if second and speaker_name(second) and not _is_role(second) else 1
    elif _is_name(first) and second and _is_role(second):  # "김영희 위원"
        count = 2
    elif _MASKED.match(_nfkc(first)) or _glued_name_role(first):  # "000위원", "김준호위원"
        count = 1
    else:
        return None
    return " ".join(tokens[:count]), " ".join(tokens[count:])


# --- Whole documents ---------------------------------------------------------

# The heading of the remarks: "## □ 위원 발언내용", "2. 위원 발언내용", "〈위원 발언내용〉".
_REMARKS_START = re.compile(r"^[^가-힣]*위원\s*발언\s*내용[^가-힣]*$")


def parse_document(text: str) -> Document:
    """A whole minutes document: overview, remarks and the resolutions in them."""
    lines = _split_lines(text)
    start = _remarks_start(lines)
    overview_lines, remark_lines = lines[:start], lines[start:]
    if remark_lines and _REMARKS_START.search(remark_lines[0].norm):
        remark_lines = remark_lines[1:]  # the section heading itself
    title_at = _choose_title(overview_lines)
    title_key = _header_key(lines[title_at]) if title_at is not None else ""
    headers = _running_headers(lines, title_key)
    reader = _OverviewReader(title_at, overview_lines, headers)
    reader.read(overview_lines)
    remarks = _read_remarks(remark_lines, headers)
    remarks.dropped = sorted(reader.dropped + remarks.dropped, key=lambda entry: entry.line)
    return Document(
        overview=reader.overview,
        remarks=remarks,
        resolutions=find_resolutions(remarks.blocks),
        unplaced=reader.unplaced,
    )


def _remarks_start(lines):
    """Index of the "위원 발언내용" line; failing that of the first speaker.

    A transcript's time mark just before its first speaker, "(10시 12분 개의)",
    goes with the remarks.
    """
    for index, line in enumerate(lines):
        if _REMARKS_START.search(line.norm):
            return index
    for index, line in enumerate(lines):
        if _heading_label(line) is not None:
            return index
    known = _known_transcript_speakers(lines)
    start = next(
        (index for index, line in enumerate(lines) if _transcript_speaker(line, known)),
        len(lines),
    )
    while start and (not lines[start - 1].text or _is_direction(lines[start - 1].text)):
        start -= 1
    return start


# --- Overview: title and cover

_TITLE_YEAR = re.compile(r"(\d{4})\s*년")
_TITLE_SEQUENCE = re.compile(r"(?:제\s*)?(\d+)\s*차")
_TITLE_COMMITTEE = re.compile(r"「\s*(.+?)\s*」")
_TITLE_COMMITTEE_PLAIN = re.compile(r"\d+\s*차\s+(.+?)\s*회의록")


def _demark(text):
    """Markdown decorations removed: heading #s, one list dash, escaped stars."""
    text = _MARKDOWN_HEADING.sub("", text)
    text = re.sub(r"^[-－]\s+", "", text)
    return text.replace("\\*", "*").strip()


def _is_title_like(line):
    text = _demark(line.norm)
    return "회의록" in text and len(text) <= 80 and ":" not in text and "\t" not in line.raw


def _title_fields(text):
    """(year, sequence, committee) of a title such as 2024년 1차 「…」 회의록."""
    text = _nfkc(text)
    year = _TITLE_YEAR.search(text)
    sequence = _TITLE_SEQUENCE.search(text)
    committee = _TITLE_COMMITTEE.search(text) or _TITLE_COMMITTEE_PLAIN.search(text)
    return (
        int(year[1]) if year else None,
        int(sequence[1]) if sequence else None,
        _clean(committee[1]) if committee else "",
    )


def _choose_title(lines):
    """Index of the title: the first with 「committee」, else the last candidate.

    The cover repeats the title (often without the 「」), before it.
    """
    candidates = [index for index, line in enumerate(lines) if _is_title_like(line)]
    marked = [index for index in candidates if "「" in lines[index].norm]
    if marked:
        return marked[0]
    return candidates[-1] if candidates else None


# --- Overview: signature table

_SIGNER_ROLES = (("서명", "signer"), ("확인", "confirmer"), ("작성", "author"))
_SIGNATURE_ROW = re.compile(
    r"^(?P<role>(?:열\s*람\s*[·・ㆍ.‧]?\s*)?서\s*명\s*자|확\s*인\s*자|작\s*성\s*자)?"
    r"\s*(?P<title>.*?)\s*성\s*명\s*[:：]?\s*(?P<name>[^\s(]+)(?P<rest>.*)$"
)


def _signature_role(cell):
    cell = _nospace(cell)
    return next((role for word, role in _SIGNER_ROLES if word in cell), None)


# --- Overview: items (◆ 일 시 : …)

_ITEM_MARKERS = re.compile(r"^(?:[◆◇■□●○◦•·∘▶▷►※*]+\s*|[-－]\s+)+")
_ITEM = re.compile(
    r"^(?P<key>[가-힣][가-힣 ]*?)\s*(?:\((?P<count>[^()]*)\))?\s*[:：]\s*(?P<value>.*)$"
)
_ITEM_KEYS = {
    "일시": "when",
    "회의일시": "when",
    "일자": "when",
    "장소": "place",
    "회의장소": "place",
    "참석위원": "attendees",
    "참석자": "attendees",
    "참석": "attendees",
    "출석위원": "attendees",
    "외부위원": "external",
    "위촉위원": "external",
    "민간위원": "external",
    "내부위원": "internal",
    "당연직위원": "internal",
    "배석": "non_members",
    "배석자": "non_members",
    "진행순서": "proceedings",
    "회의순서": "proceedings",
    "상정안건": "agenda",
    "회의안건": "agenda",
    "안건": "agenda",
}
_LIST_KEYS = ("proceedings", "agenda")
_DATE = re.compile(
    r"(?<!\d)(?:(?P<y4>\d{4})|['‘’`´]?(?P<y2>\d{2}))\s*[./년-]\s*"
    r"(?P<m>\d{1,2})\s*[./월-]\s*(?P<d>\d{1,2})(?!\d)"
)
_TIME = re.compile(
    r"(?P<half>오전|오후)?\s*(?P<h>\d{1,2})\s*(?::\s*(?P<m>\d{2})|시(?:\s*(?P<m2>\d{1,2})\s*분)?)"
)
_COUNT = re.compile(r"(\d+)\s*(?:명|인)")
_DOCUMENT_DATE = re.compile(r"^(\d{4})\s*[.년]\s*(\d{1,2})\s*[.월]?$")
# A group of agenda items: "심의 1건", "보고(자문) 3건", "심의안건" (spaces removed).
_AGENDA_GROUP = re.compile(r"^(?P<kind>[심의결보고자문()·및,안건]+?)(?:\d+건)?$")
_AGENDA_ITEM = re.compile(
    r"^(?:【\s*(?P<a>\d+)\s*】|\[\s*(?P<b>\d+)\s*\]|\(\s*(?P<c>\d+)\s*\)|(?P<d>\d+)\s*[.)]"
    r"|(?P<circled>[①-⑳]))\s*(?P<title>.+)$"
)
_LIST_MARKER = re.compile(r"^[-－·•○◦∘▪*ㅇ]\s*")


def _parse_when(value):
    """(date, start, end) from "'24. 4. 18.(목) 15:00~17:00" and its variants."""
    value = _nfkc(value)
    date = _DATE.search(value)
    if not date:
        return None
    year = int(date["y4"]) if date["y4"] else 2000 + int(date["y2"])
    try:
        day = datetime.date(year, int(date["m"]), int(date["d"]))
    except ValueError:
        return None
    times = []
    for match in _TIME.finditer(value, date.end()):
        hour, minute = int(match["h"]), int(match["m"] or match["m2"] or 0)
        if match["half"] == "오후" and hour < 12:
            hour += 12
        if hour < 24 and minute < 60:
            times.append(datetime.time(hour, minute))
    times += [None, None]
    return day, times[0], times[1]


def _split_list(value):
    return [_clean(entry) for entry in re.split(r"[,，、]", value) if _clean(entry)]


def _person(entry):
    """Person("김기현", "안전총괄관") from "김기현 안전총괄관" or "김기현(안전총괄관)"."""
    bracketed = re.match(r"^(?P<name>[^()]+?)\s*\((?P<position>[^()]+)\)$", entry)
    if bracketed and _is_name(bracketed["name"]):
        return Person(bracketed["name"], bracketed["position"].strip())
    tokens = entry.split(" ")
    if len(tokens) > 1 and _is_name(tokens[0]):
        return Person(tokens[0], " ".join(tokens[1:]))
    if len(tokens) > 1 and _is_name(tokens[-1]):
        return Person(tokens[-1], " ".join(tokens[:-1]))
    return Person(entry)


def parse_non_member(entry):
    """A Person for "이상용 디지털수석"; the text itself for "담당 팀장 등"."""
    tokens = entry.split(" ")
    if len(tokens) > 1 and _is_name(tokens[0]) and not entry.endswith("등"):
        return Person(tokens[0], " ".join(tokens[1:]))
    return entry


def _agenda_kind(group):
    """The kind named by a group line such as "심의 1건" or "보고(자문) 3건"."""
    group = _nospace(group).replace("안건", "")
    if "심의" in group or "의결" in group:
        return "deliberation"
    if "보고" in group and "자문" in group:
        return "report_advisory"
    if "보고" in group:
        return "report"
    if "자문" in group:
        return "advisory"
    return None


class _OverviewReader:
    """Reads the lines before the remarks, one at a time, into an Overview.

    Every non-blank line is recognised, dropped as a page artefact, or left in
    ``unplaced``. Lists (진행순서, 상정안건) take the lines after their key
    line while those are indented deeper or start with a list marker.
    """

    def __init__(self, title_at, lines, headers):
        self.overview = Overview()
        self.title_at = title_at
        title = _demark(lines[title_at].text) if title_at is not None else ""
        self.title_fields = _title_fields(title)
        self.headers = headers
        self.unplaced = []
        self.dropped = []
        self.list_key = None  # "proceedings" or "agenda" while reading a list
        self.list_indent = 0
        self.proceedings = []  # (indent, text) until depths are known
        self.agenda_kind = None
        self.signer_role = None
        self.items_started = False

    def read(self, lines):
        for index, line in enumerate(lines):
            if not line.text:
                continue
            if index == self.title_at:
                self._title(line)
            elif reason := _artefact(line, self.headers):
                self.dropped.append(Unplaced(line.number, line.text, reason))
            elif not self._recognise(index, line):
                self.unplaced.append(Unplaced(line.number, line.text, "unrecognised_overview_line"))
        self._settle_proceedings()

    def _recognise(self, index, line):
        text = _demark(line.text)
        if self.list_key and self._list_line(line, text):
            return True
        self.list_key = None
        readers = (self._skip, self._signature, self._cover, self._item)
        return any(reader(index, line, text) for reader in readers)

    def _title(self, line):
        overview = self.overview
        overview.title = _demark(line.text).replace("**", "").strip()
        overview.year, overview.sequence, overview.committee = _title_fields(overview.title)
        self.list_key = None

    def _skip(self, index, line, text):
        """Lines with no content: the table's header row, section headings, rules."""
        bare = re.sub(r"[〈〉<>\[\]【】「」□■◆◇()]", "", _nospace(_nfkc(text)))
        return (
            bare.startswith("구분")
            or bare in ("회의개요", "개요")
            or bool(re.fullmatch(r"[-*_=]{3,}", bare))
        )

    def _signature(self, index, line, text):
        """A row of the signature table: 확 인 자 | 빅데이터담당관 | 성명 윤충식."""
        match = _SIGNATURE_ROW.match(text)
        if not match:
            return False
        role = _signature_role(match["role"]) if match["role"] else self.signer_role
        if role is None:
            return False
        self.signer_role = role
        title = _clean(match["title"])
        self.overview.signatories.append((role, title, match["name"]))
        return True

    def _cover(self, index, line, text):
        """The cover: a copy of the title, "2024. 4.", the office and (department)."""
        overview = self.overview
        if _is_title_like(line):  # the cover's copy of the title
            return self.title_at is not None and _title_fields(text) == self.title_fields
        date = _DOCUMENT_DATE.match(_nfkc(text))
        if date and overview.document_date is None:
            overview.document_date = (int(date[1]), int(date[2]))
            return True
        bold = re.fullmatch(r"\*\*(.+?)\*\*", text)
        if bold and not overview.organisation:
            overview.organisation = _clean(bold[1])
            return True
        before_title = self.title_at is None or index < self.title_at
        if self.items_started or not before_title:
            return False
        department = re.fullmatch(r"[(（]([^\d]+)[)）]", text)  # not a time mark "(10시)"
        if department and not overview.department:
            overview.department = _clean(department[1])
            return True
        in_cover = overview.document_date is not None
        if in_cover and not overview.organisation and len(text) <= 40 and ":" not in text:
            overview.organisation = text  # plain text: the office under the date
            return True
        return False

    def _item(self, index, line, text):
        """A key item: "◆ 일 시 : …", "외부위원(9명) : …", "◆ 진행순서"."""
        text = _ITEM_MARKERS.sub("", text)
        match = _ITEM.match(text)
        key = _ITEM_KEYS.get(_nospace(match["key"] if match else text))
        if key is None:
            return False
        value = match["value"].strip() if match else ""
        if key in _LIST_KEYS:
            self.items_started = True
            self.list_key, self.list_indent = key, line.indent
            return not value or self._list_entry(value, line.indent)
        understood = getattr(self, f"_{key}")(value)
        self.items_started = True
        return understood

    # Each field is taken once: a second 일시 or 장소 line is left unplaced.

    def _when(self, value):
        when = _parse_when(value)
        if when is None or self.overview.day is not None:
            return False
        self.overview.day, self.overview.starts, self.overview.ends = when
        return True

    def _place(self, value):
        if not value or self.overview.place:
            return False
        self.overview.place = value
        return True

    def _attendees(self, value):
        count = _COUNT.search(_nfkc(value))
        if not count or self.overview.attendee_count is not None:
            return False
        self.overview.attendee_count = int(count[1])
        return True

    def _external(self, value):
        entries = _split_list(value)
        self.overview.external.extend(map(_person, entries))
        return bool(entries)

    def _internal(self, value):
        entries = _split_list(value)
        self.overview.internal.extend(map(_person, entries))
        return bool(entries)

    def _non_members(self, value):
        entries = _split_list(value)
        self.overview.non_members.extend(map(parse_non_member, entries))
        return bool(entries)

    def _list_line(self, line, text):
        """A line of the list being read, if it belongs to it."""
        if _ITEM_KEYS.get(_nospace(_ITEM_MARKERS.sub("", text).split(":")[0].split("(")[0])):
            return False  # the next key item
        deeper = line.indent > self.list_indent
        if not deeper and not _LIST_MARKER.match(text):
            return False
        if not self._list_entry(_LIST_MARKER.sub("", text), line.indent):
            self.unplaced.append(Unplaced(line.number, line.text, "unrecognised_overview_line"))
        return True

    def _list_entry(self, text, indent):
        text = _clean(text)
        if self.list_key == "proceedings":
            self.proceedings.append((indent, text))
            return True
        return self._agenda_line(text)

    def _agenda_line(self, text):
        item = _AGENDA_ITEM.match(text)
        if item:
            if self.agenda_kind is None:
                return False
            if item["circled"]:
                number = ord(item["circled"]) - ord("①") + 1
            else:
                number = int(_nfkc(item["a"] or item["b"] or item["c"] or item["d"]))
            self.overview.agenda.append((self.agenda_kind, number, _clean(item["title"])))
            return True
        group = _AGENDA_GROUP.match(_nospace(_nfkc(text)))
        kind = _agenda_kind(group["kind"]) if group else None
        if kind:
            self.agenda_kind = kind
        return kind is not None

    def _settle_proceedings(self):
        """Depths from indentation: the distinct indents in order, capped at 2."""
        levels = sorted({indent for indent, _text in self.proceedings})
        self.overview.proceedings = [
            (min(levels.index(indent), 2), text) for indent, text in self.proceedings
        ]


# --- Resolutions -------------------------------------------------------------

_CHAIRS = ("위원장", "의장")
_ORDINALS = {"첫": 1, "두": 2, "세": 3, "네": 4, "다섯": 5}
_ITEM_REFERENCES = (
    # "안건1", "안건 1", "심의안건 1", "안건 제1호" - not "보고 안건 3건"
    re.compile(r"안건\s*(?:제\s*)?(\d+)(?!\s*\d|\s*건)"),
    re.compile(r"제\s*(\d+)\s*(?:호\s*)?(?:심의\s*)?안건"),  # "제1안건", "제1호 안건"
    re.compile(r"(\d+)\s*번\s*(?:심의\s*)?안건"),  # "1번 안건"
    re.compile(r"의사일정\s*제\s*(\d+)\s*항"),  # transcripts: "의사일정 제1항"
)
_ORDINAL_REFERENCE = re.compile(r"(첫|두|세|네|다섯)\s*번\s*째\s*(?:심의\s*)?안건")
_VOTE_COUNTS = {
    word: re.compile(rf"{word}\s*(\d+)\s*(?:명|인|표)?") for word in ("찬성", "반대", "기권")
}
_OUTCOME_WORDS = ("부결", "보류", "연기", "수정", "가결", "통과", "의결", "선포", "채택", "승인")
_ANSWER_YES = re.compile(r"(?:^|[\s\"“”「」'‘’(])(?:예|네)(?:$|[\s\"“”「」'‘’).!])")
_MAX_ANSWER = 40  # an answer is short: "(다같이) 없음", "(“없습니다” 하는 위원 있음)"


def _is_chair(speaker):
    return any(chair in speaker.role for chair in _CHAIRS)


def _puts_question(text):
    """A question for decision: "…이의가 있으십니까?", "…의결하고자 하는데 …?"."""
    text = _nfkc(text).rstrip(" .")
    if "이의" in text and (text.endswith("?") or text.endswith("까")):
        return True
    return "의결" in text and "?" in text


def _is_no_objection(text, question):
    """An answer meaning no objection: "없음", "없습니다", or "예" to "이의 없으십니까?"."""
    text = _nfkc(text)
    if len(text) > _MAX_ANSWER:
        return False
    if "없" in text:
        return True
    return "없" in question and bool(_ANSWER_YES.search(text))


def _item_reference(text):
    text = _nfkc(text)
    ordinal = _ORDINAL_REFERENCE.search(text)
    for pattern in _ITEM_REFERENCES:
        match = pattern.search(text)
        if match and (not ordinal or match.start() < ordinal.start()):
            return "deliberation", int(match[1])
    if ordinal:
        return "deliberation", _ORDINALS[ordinal[1]]
    return None, None


def _outcome(text, votes=None):
    if "부결" in text:
        return "rejected"
    if "보류" in text or "연기" in text:
        return "deferred"
    if votes and not any(word in text for word in ("가결", "통과", "의결", "채택", "승인")):
        return "passed" if votes[0] > votes[1] else "rejected"
    if "수정" in text:
        return "passed_as_amended"
    return "passed"


def find_resolutions(blocks: list[Block]) -> list[Resolution]:
    """Decisions the chair put to the meeting, found by wording (a heuristic).

    A chair's question ("…이의가 있으십니까?") answered within the next two
    blocks - or by a stage direction in the chair's own block - with "없음"
    is a decision without objection; vote counts (찬성 n, 반대 n) make it a
    vote. The outcome comes from the question and the chair's next words.
    """
    said = [
        (block_index, text) for block_index, block in enumerate(blocks) for text in block.statements
    ]
    resolutions = []
    position = 0
    while position < len(said):
        block_index, text = said[position]
        if _is_chair(blocks[block_index].speaker) and _puts_question(text):
            found = _settle(blocks, said, position)
            if found:
                resolution, position = found
                resolutions.append(resolution)
                continue
        position += 1
    return resolutions


def _settle(blocks, said, asked):
    """(Resolution, next position) for the question at ``asked``, or None."""
    block_index, question = said[asked]
    window = []  # what follows, up to three blocks on, until the next question
    for position in range(asked + 1, len(said)):
        index, text = said[position]
        chair = _is_chair(blocks[index].speaker)
        if index > block_index + 3 or (chair and _puts_question(text)):
            break
        window.append((position, index, chair, text))

    answer = next(
        (
            position
            for position, index, chair, text in window
            if index <= block_index + 2
            and (not chair or _is_direction(text))
            and _is_no_objection(text, question)
        ),
        None,
    )
    chair_words = [(p, t) for p, _i, chair, t in window if chair or _is_direction(t)]
    votes = _votes(" ".join(t for _p, t in chair_words))
    if answer is None and votes is None:
        return None
    after = answer if answer is not None else asked
    decision = next(
        ((p, t) for p, t in chair_words if p > after and any(w in t for w in _OUTCOME_WORDS)),
        None,
    )
    said_after = question + " " + (decision[1] if decision else "")
    kind, number = _item_reference(question)
    if number is None and decision:
        kind, number = _item_reference(decision[1])
    if votes:
        ballot = any("투표" in t for _p, t in chair_words)
        method = "ballot" if ballot else "show_of_hands"
    else:
        method = "no_objection"
    resolution = Resolution(
        block_index=block_index,
        question=question,
        method=method,
        outcome=_outcome(said_after, votes),
        item_kind=kind,
        item_number=number,
        votes=votes,
    )
    end = max(p for p in (asked, answer, decision and decision[0]) if p is not None)
    return resolution, end + 1


def _votes(text):
    """(for, against, abstentions) when 찬성 and 반대 are counted, else None."""
    text = _nfkc(text)
    counts = {word: pattern.search(text) for word, pattern in _VOTE_COUNTS.items()}
    if not (counts["찬성"] and counts["반대"]):
        return None
    return tuple(int(match[1]) if match else 0 for match in counts.values())
