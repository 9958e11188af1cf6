"""Reads pasted or imported Korean committee minutes (회의록) into structure.

Pure Python (standard library only): nothing here touches the database. What
the text says is returned as plain data; what could not be placed is returned
too (``unplaced``, with line numbers and a reason code), never dropped
silently. Reason codes are short English snake_case strings for the caller to
translate; agenda.conventions lists them all.

This module is the entry point and holds what every convention shares: the
data (Document, Overview, Block, Check, ...), speaker labels
(parse_speaker_label), names run together (split_names), the overview and
closing attendance lists (_OverviewReader) and resolutions
(find_resolutions). How the remarks are written - reference headings
``<간사>``, ``○위원장 홍길동`` transcripts, ``(위원장 홍길동)``, a speaker on
its own line, summary (개요식) outlines - is one plug-in module each in
agenda.conventions; parse_document() and parse_remarks() let the one with the
highest detect() confidence read the text.

Stage directions (time marks, recess and resumption marks, reactions, chair
handovers, the gavel) and agenda headings are blocks of their own
(``Block.kind`` "direction" / "heading", no speaker), never part of somebody's
statement. Page numbers (``- 2 -``, ``2 / 10``) and running page headers (a
line naming the minutes, repeated or printed beside a page number, that is
not a sentence) are removed and listed in ``Remarks.dropped``.

Every non-blank line ends up in exactly one of: ``Document.consumed`` (the
overview and closing lists), a block's ``lines``, ``unplaced`` or
``Remarks.dropped``.

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
    speaker: Speaker | None  # None for a stage direction or an agenda heading
    statements: list[str]
    line: int  # 1-based line number of the speaker heading or line
    # "speech" (somebody's words), "direction" (a stage direction, time mark,
    # reaction or chair handover, printed as the source prints it) or "heading"
    # (an agenda heading; ``agenda`` indexes Overview.agenda).
    kind: str = "speech"
    agenda: int | None = None
    lines: list[int] = field(default_factory=list, compare=False)  # every source line used


@dataclass
class Check:
    """Something uncertain or missing, for a person to check (reason codes: conventions)."""

    topic: str  # an Overview field name, or "speaker", "line", "resolution"
    reason: str  # "missing", "uncertain", "names_run_together", "joined_across_break", ...
    line: int | None = None
    text: str = ""


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
    # Members present whose kind (external/internal) the document does not tell,
    # non-member attendees from 출석공무원 / 출석전문위원 lists, members absent.
    attendees: list[Person] = field(default_factory=list)
    officials: list[Person] = field(default_factory=list)
    absent: list[Person] = field(default_factory=list)
    session: int | None = None  # 제312회
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
    agenda: int | None = None  # index into Overview.agenda


@dataclass
class Document:
    overview: Overview
    remarks: Remarks
    resolutions: list[Resolution] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)  # overview lines not understood
    convention: str = "reference"  # the plug-in that read it (agenda.conventions)
    confidence: float = 0.0  # how sure that plug-in was, 0..1
    checks: list[Check] = field(default_factory=list)
    consumed: set[int] = field(default_factory=set)  # lines read into the overview


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


# Private-use characters (U+F000-U+F8FF): bullets of word-processor symbol
# fonts. At the start of a line they are a bullet; elsewhere a lost glyph.
_LEADING_PRIVATE = re.compile(r"^(\s*)[\uf000-\uf8ff]+\s*")
_PRIVATE = re.compile(r"[\uf000-\uf8ff]")


_GLUED_RULE = re.compile(r"^[-─━=_]{3,}(?=○)")


def _split_lines(text):
    text = text.removeprefix("\ufeff")
    lines = []
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        if raw[:3] in ("---", "───", "━━━") and "○" in raw:
            raw = _GLUED_RULE.sub("", raw)  # a rule glued to the speaker line after it
        shown = raw
        if _PRIVATE.search(raw):
            shown = _PRIVATE.sub("", _LEADING_PRIVATE.sub(r"\1• ", raw))
        lines.append(_Line(number, raw, _clean(shown), _clean(_nfkc(shown))))
    return lines


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
    r"|^[Pp]age\s+\d{1,4}(?:\s+of\s+\d{1,4})?$"  # Page 2 of 3
    # 11/13/18 -2- DRAFT: the date, the page number and the draft mark
    rf"|^\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\s+[{_DASHES}]\s*\d{{1,4}}\s*[{_DASHES}](?:\s+DRAFT)?$"
)
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s*")


# Section headings that share the bracket shape of a speaker heading: "## 〈회의개요〉".
_SECTION_WORDS = tuple("개요 발언내용 회의결과 의결사항 진행순서 상정안건 붙임 참고".split())


# A reaction in angle brackets is a stage direction, not a speaker heading:
# <‘예’ 하는 위원 있음>, <“없습니다” 하는 위원 있음>.
_REACTION = re.compile(
    r"^[<〈〈＜《]\s*(?=[^<>〈〉〈〉＜＞《》]*(?:['‘’“”\"「」]|하는|있음|없음|박수|퇴장|입장))"
    r"[^<>〈〉〈〉＜＞《》]+[>〉〉＞》]$"
)


def _is_reaction(text):
    return text[:1] in ("<", "〈", "〈", "＜", "《") and bool(_REACTION.match(text))


def _heading_label(line):
    if line.text[-1:] not in (">", "〉", "〉", "＞"):
        return None  # most lines: no need for the regex
    match = _HEADING.match(line.text)
    if not match:
        return None
    label = _nospace(match[1])
    if any(word in label for word in _SECTION_WORDS):
        return None
    if _is_reaction(_MARKDOWN_HEADING.sub("", line.text)):
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
        and _bullet_text(line) is None
        and not _starts_speaker_line(line)
        and _heading_label(line) is None
        and not _is_direction(line.text)
    )


def _names_minutes(text):
    return "회의록" in text or "會議錄" in text or "minutes" in text.lower()


def _running_headers(lines, title_key=""):
    """Keys of plain lines repeated in the text that are page headers.

    A header names the minutes (회의록) or is the title, and is not a sentence:
    content said twice ("회의록 서명 위원을 선출하겠습니다.") stays content.
    """
    counts = {}
    for line in lines:
        if _names_minutes(line.norm) or (title_key and title_key in line.norm):
            if _is_plain(line):
                key = _header_key(line)
                counts[key] = counts.get(key, 0) + 1
    beside_page_numbers = set()  # a header or footer printed once, next to a page number
    texts = [line for line in lines if line.text]
    for index, line in enumerate(texts):
        if _PAGE_NUMBER.match(line.norm):
            for other in texts[max(0, index - 1) : index + 2]:
                if _names_minutes(other.norm) and _is_plain(other):
                    beside_page_numbers.add(_header_key(other))
    return {
        key
        for key, count in counts.items()
        if (count >= 2 or key in beside_page_numbers)
        and (_names_minutes(key) or (title_key and key == title_key))
        and len(key) <= 80
        and not _SENTENCE_END.search(key.replace("**", ""))
        and not _ENUMERATOR.match(key)  # "3. 회의록 서명의원 선출의 건", listed twice
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
    직무대행 권한대행 변호사 회계사 세무사 노무사 법무사 기자 대표 연구위원
    議長 副議長 委員長 副委員長 委員 議員 書記 幹事 事務局長 事務處長 擔當官 長官 次官
    """.split()
)
# A role acting for another: "위원장직무대행", "의장직무대리".
_ACTING = ("직무대행", "직무대리", "권한대행")
_ROLE_ENDINGS = ("장", "관", "원", "사", "석")
# The same in Chinese characters (older minutes): "議事擔當官", "副議長", "書記".
_HANJA_ROLE_ENDINGS = ("長", "官", "員", "記", "事")
# Roles that may follow a name without a space: "김준호위원".
_GLUED_ROLES = (
    *("부위원장", "위원장", "부의장", "의장", "위원", "의원", "간사"),
    *("副委員長", "委員長", "副議長", "議長", "委員", "議員", "幹事"),
)
# Common surnames: a name candidate must start with one (keeps "담당 팀장" a title).
_SURNAMES = frozenset(
    "김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구"
    "민진지엄채원천방공현함변염여추도소석선설마길연위표명반왕금옥육맹모탁편나라봉태"
)
_COMPOUND_SURNAMES = ("남궁", "황보", "제갈", "선우", "독고", "사공", "서문")
# The same surnames in Chinese characters, for names written in them: "金斗衡".
_HANJA_SURNAMES = frozenset(
    "金李朴崔鄭姜趙尹張林韓吳徐申權黃安宋柳劉全洪高文梁孫裵白許南沈盧河郭成車朱禹具"
    "閔陳池嚴蔡元千方孔玄咸卞廉呂秋都蘇石宣薛馬吉延魏表明潘王琴玉陸孟毛卓片羅奉太"
    "兪庾劉丁曺慎辛琴魚殷奇田周房康卜睦丘陰"
)
_HANJA_COMPOUND_SURNAMES = ("南宮", "皇甫", "諸葛", "鮮于", "獨孤", "司空", "西門")
# Masks for a redacted name: 000, ○○○, OOO, ***, ㅇㅇㅇ; or a surname then masks: 김○○.
_MASK_CHARS = "0○◯〇OoＯ*＊×ㅇ\u110b●"
_MASK = rf"(?:[{_MASK_CHARS}]{{2,3}}|[가-힣][{_MASK_CHARS}]{{1,2}})"
_MASKED = re.compile(rf"^(?P<mask>{_MASK})(?P<rest>.*)$")
_HANGUL_WORD = re.compile(r"^[가-힣]+$")
_HANJA_WORD = re.compile(r"^[\u4e00-\u9fff]+$")  # CJK ideographs: "金斗衡", "議長"


def _is_mask(token):
    match = _MASKED.match(_nfkc(token))
    return bool(match and not match["rest"])


_ROLE_WORD = re.compile(r"^[가-힣][가-힣0-9]*$")  # "기획재정부제2차관"


def _is_role(token):
    if token in _KNOWN_ROLES:
        return True
    if _HANJA_WORD.match(token):  # "議事擔當官", "事務局長"; not a name ("金斗衡")
        return len(token) >= 2 and token.endswith(_HANJA_ROLE_ENDINGS) and not _is_name(token)
    return bool(
        _ROLE_WORD.match(token)
        and len(token) >= 2
        and (token.endswith(_ROLE_ENDINGS) or token.endswith(_ACTING))
    )


def _is_name(token):
    """2-4 Hangul syllables (or Chinese characters) starting with a common
    surname, and not a known role."""
    if token in _KNOWN_ROLES:
        return False
    if _HANJA_WORD.match(token):
        if token.startswith(_HANJA_COMPOUND_SURNAMES) and 3 <= len(token) <= 4:
            return True
        return (
            token[0] in _HANJA_SURNAMES
            and 2 <= len(token) <= 4
            and not any(token.endswith(role) for role in _KNOWN_ROLES)  # "金議員"
        )
    if not _HANGUL_WORD.match(token):
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


_ROLE_BRACKETED_NAME = re.compile(r"^(?P<role>[^\s()]+)[(（](?P<name>[^\s()（）]+)[)）]$")


def _role_bracketed_name(token):
    """("議長", "金奎植") for "議長(金奎植)" - a role, its holder in brackets - else None."""
    match = _ROLE_BRACKETED_NAME.match(token)
    if match and _is_role(match["role"]) and _is_name(match["name"]):
        return match["role"], match["name"]
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
    if len(tokens) == 3 and (_is_name(tokens[1]) or _is_mask(tokens[1])) and _is_role(last):
        # "의사팀 이은정 주무관": office, name, rank
        masked = _is_mask(tokens[1])
        return Speaker(label, "" if masked else tokens[1], f"{first} {last}", masked)
    if len(tokens) == 2 and _is_office(first) and (_is_name(last) or _is_mask(last)):
        masked = _is_mask(last)  # "의회사무국 엄기소": the office speaking through its clerk
        return Speaker(label, "" if masked else last, first, masked)
    return Speaker(label, "", label, False)


# The last syllables of an office that speaks through a clerk: "의회사무국", "예산과".
_SPEAKING_OFFICES = ("국", "과", "실", "팀", "처", "청", "단", "원", "소", "부", "위원회")


def _is_office(token):
    """An office ("의회사무국", "예산담당과"), not a role or title."""
    return bool(
        _HANGUL_WORD.match(token)
        and len(token) >= 3
        and token.endswith(_SPEAKING_OFFICES)
        and token not in _KNOWN_ROLES
    )


def _single_token_speaker(label):
    match = _MASKED.match(_nfkc(label))
    if match:  # "000위원", "○○○", "김○○위원"
        return Speaker(label, "", match["rest"].strip(), True)
    if label in _KNOWN_ROLES or not label:
        return Speaker(label, "", label, False)
    glued = _glued_name_role(label)
    if glued:
        return Speaker(label, glued[0], glued[1], False)
    bracketed = _role_bracketed_name(label)
    if bracketed:  # "議長(金奎植)"
        return Speaker(label, bracketed[1], bracketed[0], False)
    return Speaker(label, "", label, False)


# --- Remarks -----------------------------------------------------------------


def parse_remarks(text: str) -> Remarks:
    """Speaker blocks, stage directions and headings, in the convention that fits best."""
    from . import conventions  # the plug-ins import this module

    return conventions.read_remarks(_split_lines(text))


def parse_document(text: str) -> Document:
    """A whole minutes document: overview, remarks, resolutions, closing lists.

    The convention plug-in with the highest detect() confidence reads it
    (agenda.conventions); ``document.convention`` and ``confidence`` say which.
    """
    from . import conventions

    return conventions.read_document(_split_lines(text))


# --- Overview: title and cover

_TITLE_YEAR = re.compile(r"(\d{4})\s*[년年]")
_TITLE_SEQUENCE = re.compile(r"(?:[제第]\s*)?(\d+)\s*[차次]")
_TITLE_ISSUE = re.compile(r"[제第]\s*(\d+)\s*[호號]")  # 제3호: the meeting's number when no 차
# 제312회, 제154회의회(임시회), 第23回
_TITLE_SESSION = re.compile(r"[제第]\s*(\d+)\s*(?:회(?!의록|계)|回)")
_TITLE_COMMITTEE = re.compile(r"「\s*(.+?)\s*」")
_TITLE_COMMITTEE_PLAIN = re.compile(r"\d+\s*[차호]\s+(.+?)\s*회의록")
_TITLE_COMMITTEE_WORD = re.compile(r"(\S+(?:위원회|심의회|협의회|자문단))")
# A sentence, not a title or header: it ends like speech.
_SENTENCE_END = re.compile(r"(?:[다요까음함]\s*[.?!]?|[.?!])$")


def _demark(text):
    """Markdown decorations removed: heading #s, one list dash, escaped stars."""
    text = _MARKDOWN_HEADING.sub("", text)
    text = re.sub(r"^[-－]\s+", "", text)
    return text.replace("\\*", "*").strip()


_HANJA_ENUMERATOR = re.compile(r"^[一二三四五六七八九十]+\s*[,.、]")


def _is_title_like(line):
    text = _demark(line.norm)
    return (
        ("회의록" in text or "會議錄" in text)
        and len(text) <= 80
        and not _HANJA_ENUMERATOR.match(text)  # "四, 第三十八次 會議錄 通過": an agenda item
        and ":" not in text
        and "\t" not in line.raw
        and not _SENTENCE_END.search(text.replace("**", ""))
    )


def _title_fields(text):
    """(year, sequence, committee) of a title such as 2024년 1차 「…」 회의록."""
    text = _nfkc(text)
    year = _TITLE_YEAR.search(text)
    sequence = _TITLE_SEQUENCE.search(text) or _TITLE_ISSUE.search(text)
    committee = (
        _TITLE_COMMITTEE.search(text)
        or _TITLE_COMMITTEE_PLAIN.search(text)
        or _TITLE_COMMITTEE_WORD.search(text)
    )
    return (
        int(year[1]) if year else None,
        int(sequence[1]) if sequence else None,
        _clean(committee[1]) if committee else "",
    )


def _choose_title(lines):
    """Index of the title among the lines naming 회의록 before the remarks.

    The first with 「committee」; else the first that numbers the meeting
    (2024년 1차, 제312회, 제3호); else the last candidate. The cover repeats the
    title before it; the other candidates are left unplaced, never dropped.
    """
    candidates = [index for index, line in enumerate(lines) if _is_title_like(line)]
    marked = [index for index in candidates if "「" in lines[index].norm]
    if marked:
        return marked[0]
    numbered = [
        index
        for index in candidates
        if re.search(r"\d\s*[차회호]", " ".join(lines[i].norm for i in _title_parts(lines, index)))
    ]
    if numbered:
        return numbered[0]
    return candidates[-1] if candidates else None


_SESSION_LINE = re.compile(r"^[제第]\s*\d+\s*(?:회(?!의록)|回).{0,40}$")
_ISSUE_LINE = re.compile(r"^(?:[제第]\s*\d+\s*[호차號次]|\d+\s*[차次])(?:\s*회의)?$")


def _title_parts(lines, title_at):
    """Indexes of the title's lines: a council's cover prints it over three,
    "제287회 가온시의회(임시회)" / "기획행정위원회 회의록" / "제2호"."""
    if title_at is None:
        return []
    parts = [title_at]
    around = [i for i in range(max(0, title_at - 3), title_at) if lines[i].text]
    if around and _SESSION_LINE.match(_nfkc(_demark(lines[around[-1]].text))):
        if not _names_minutes(lines[around[-1]].norm):
            parts.insert(0, around[-1])
    after = [i for i in range(title_at + 1, min(len(lines), title_at + 4)) if lines[i].text]
    if after and _ISSUE_LINE.match(_nfkc(_demark(lines[after[0]].text))):
        parts.append(after[0])
    return parts


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

_ITEM_MARKERS = re.compile(r"^(?:[◆◇■□●○◎◦•·∘▶▷►※*▣]+\s*|[-－]\s+)+")
# "1." or "가." before an item key: "1. 회의개요", "가. 일 시 : …".
_ENUMERATOR = re.compile(r"^(?:\d{1,2}|[가-하]|[IVX]{1,4}|[Ⅰ-Ⅻ])\s*[.)]\s*")
_ITEM = re.compile(
    r"^(?P<key>[가-힣\u4e00-\u9fff][가-힣\u4e00-\u9fff ]*?)"
    r"\s*(?:\((?P<count>[^()]*)\))?\s*[:：]\s*(?P<value>.*)$"
)
_ITEM_KEYS = {
    "일시": "when",
    "日時": "when",
    "場所": "place",
    "회의일시": "when",
    "일자": "when",
    "장소": "place",
    "회의장소": "place",
    "참석위원": "attendees",
    "참석자": "attendees",
    "참석": "attendees",
    "출석위원": "attendees",
    "출석의원": "attendees",
    "참석의원": "attendees",
    "외부위원": "external",
    "위촉위원": "external",
    "민간위원": "external",
    "내부위원": "internal",
    "당연직위원": "internal",
    "배석": "non_members",
    "배석자": "non_members",
    "출석공무원": "officials",
    "출석전문위원": "officials",
    "출석관계공무원": "officials",
    "관계공무원": "officials",
    "참석공무원": "officials",
    "불출석위원": "absent",
    "결석위원": "absent",
    "불출석의원": "absent",
    "결석의원": "absent",
    "청가위원": "absent",
    "청가의원": "absent",
    "진행순서": "proceedings",
    "회의순서": "proceedings",
    "상정안건": "agenda",
    "회의안건": "agenda",
    "안건": "agenda",
    "의사일정": "agenda",
    "심사된안건": "agenda",
    "부의된안건": "agenda",
    "심사안건": "agenda",
    "심의안건": "agenda",
    "상정된안건": "agenda",
}
_LIST_KEYS = ("proceedings", "agenda", "attendees", "officials", "absent")
_PEOPLE_KEYS = ("attendees", "officials", "absent")
_DATE = re.compile(
    r"(?<!\d)(?:(?P<y4>\d{4})|['‘’`´]?(?P<y2>\d{2}))\s*[./년年-]\s*"
    r"(?P<m>\d{1,2})\s*[./월月-]\s*(?P<d>\d{1,2})(?!\d)"
)
_TIME = re.compile(
    r"(?P<half>오전|오후|午前|午後)?\s*(?P<h>\d{1,2})\s*"
    r"(?::\s*(?P<m>\d{2})|[시時](?:\s*(?P<m2>\d{1,2})\s*[분分])?)"
)
# A date line without a label: nothing but a date, weekday and times.
_BARE_WHEN = re.compile(r"^[\d\s./년월일()\[\],~:시분오전후'‘’월화수목금토일요\-]+$")
# An unlabelled place right after the date: a room.
_PLACE_WORDS = ("회의실", "회의장", "세미나실", "강당", "청사", "센터", "홀", "위원회실")
_COUNT = re.compile(r"(\d+)\s*(?:명|인)")
_DOCUMENT_DATE = re.compile(r"^(\d{4})\s*[.년]\s*(\d{1,2})\s*[.월]?$")
# A group of agenda items: "심의 1건", "보고(자문) 3건", "심의안건" (spaces removed).
_AGENDA_GROUP = re.compile(r"^(?P<kind>[심의결보고자문()·및,안건]+?)(?:\d+건)?$")
_AGENDA_ITEM = re.compile(
    r"^(?:【\s*(?P<a>\d+)\s*】|\[\s*(?P<b>\d+)\s*\]|\(\s*(?P<c>\d+)\s*\)|(?P<d>\d+)\s*[.)]"
    r"|(?P<circled>[①-⑳])|(?P<letter>[가-하])\s*[.)]|제\s*(?P<f>\d+)\s*항\.?)\s*(?P<title>.+)$"
)
_LETTERS = "가나다라마바사아자차카타파하"
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
        if match["half"] in ("오후", "午後") and hour < 12:
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


# --- Overview: people in attendance lists

# Separators inside an entry of a list of people: the middle dots of "김철수․이영희", spaces.
_PEOPLE_SEPARATORS = re.compile(r"[․·ㆍ‧/]|\s+")
_PEOPLE_NOISE = re.compile(r"[(（]?\s*\d+\s*[명인]\s*[)）]?|외\s*\d*\s*[명인]?(?=\s|$)|등$")
# Words of an office, not a name: "기획조정실", "행정자치위원회", "예산담당관".
_OFFICE_ENDINGS = (
    *("실", "과", "국", "청", "단", "위원회", "본부", "센터", "부", "처", "팀", "소", "교", "원"),
    *("회", "사", "청", "군", "구", "시", "도"),
)


_RUN = re.compile(rf"^(?:[가-힣]|[{_MASK_CHARS}])+$")  # "홍길동김철수", "봉세진김○○"


def _people_tokens(value):
    """[("role", word) | ("name", name) | ("run", letters)] or None if not a list of people."""
    value = _PEOPLE_NOISE.sub(" ", _clean(value))
    tokens = []
    if not value:
        return []
    for token in _PEOPLE_SEPARATORS.split(value):
        token = token.strip("()（）[]「」")
        if not token:
            continue
        if token in _KNOWN_ROLES or (len(token) >= 4 and _is_role(token)):
            tokens.append(("role", token))
        elif _is_mask(token) or _is_name(token):
            tokens.append(("name", token))
        elif _is_role(token) or (_HANGUL_WORD.match(token) and token.endswith(_OFFICE_ENDINGS)):
            tokens.append(("role", token))
        elif _RUN.match(token) and len(token) >= 5:
            tokens.append(("run", token))
        else:
            return None
    return tokens


def _people(text):
    """[(name or ("run", letters), role)] from a list of people, or None.

    A role applies to the names after it ("위원 김철수․이영희"); an entry of a
    name then a role ("홍길동 위원장") is that person with that role.
    """
    entries, position = [], []
    for group in re.split(r"[,，、;]", text):
        tokens = _people_tokens(group)
        if tokens is None:
            return None
        kinds = [kind for kind, _token in tokens]
        if kinds == ["name", "role"]:
            entries.append((tokens[0][1], tokens[1][1]))
            continue
        words = [token for _kind, token in tokens]
        if len(words) >= 3 and kinds[:2] == ["role", "name"] and _is_affiliation(words[-1]):
            # A row of a flattened table: 위원 | 노지안 | 바람연구원 연구위원
            entries.append((words[1], words[0]))
            position = [words[0]]
            continue
        last = None
        for kind, token in tokens:
            if kind == "role":
                position = [*position, token] if last == "role" else [token]
            else:
                entries.append((token if kind == "name" else ("run", token), " ".join(position)))
            last = kind
    return entries


def _is_affiliation(word):
    """The last cell of an attendee table row: a title or an office, not a name."""
    return (
        word in _KNOWN_ROLES
        or (_is_role(word) and not _is_name(word))
        or (len(word) >= 4 and (_is_role(word) or word.endswith(_OFFICE_ENDINGS)))
    )


def split_names(run: str, known) -> list[str] | None:
    """Names written together without separators, split by names already known.

    ``known`` are the names of the document's speakers or of the roster. The
    run must be cut into known names, except that between (or around) known
    names a gap of two or three syllables is one unknown name - four or more
    could be two names, so that is uncertain. Exactly one such split must
    exist; otherwise None: the caller keeps the run and asks a person.
    """
    run = _nospace(_clean(run))
    names = {name for name in known if name and len(name) >= 2}
    solutions = []

    def walk(start, found, unknown_before):
        if len(solutions) > 1:
            return
        if start == len(run):
            solutions.append(found)
            return
        for name in names:
            if run.startswith(name, start):
                walk(start + len(name), [*found, name], False)
        if not unknown_before:  # an unknown name only between known ones or at an end
            for size in (2, 3):
                piece = run[start : start + size]
                if len(piece) < size or piece in names:
                    continue
                if _is_name(piece) or (size == 3 and _is_mask(piece)):
                    walk(start + size, [*found, piece], True)

    walk(0, [], False)
    if len(solutions) != 1 or not any(name in names for name in solutions[0]):
        return None
    return solutions[0]


# Words of a stage direction, never of a department: "(國旗에 向하야 敬禮, 默念)".
_STAGE_WORDS = re.compile(
    r"[,，]|하는|있음|의사봉|국기|경례|묵념|개의|개회|산회|敬禮|默念|開議|開會"
)


class _OverviewReader:
    """Reads the lines before the remarks (and the closing lists after them).

    Every non-blank line is recognised (its number goes to ``consumed``),
    dropped as a page artefact, or left in ``unplaced``. Lists (진행순서,
    상정안건/의사일정, 출석위원, 출석공무원) take the lines after their key line
    while those are indented deeper, start with a list marker, or are items
    (agenda) or people (attendance lists) themselves.
    """

    def __init__(self, title_at, lines, headers):
        self.overview = Overview()
        self.title_at = title_at
        self.title_parts = _title_parts(lines, title_at)
        title = " ".join(_demark(lines[i].text) for i in self.title_parts)
        self.title_fields = _title_fields(title)
        self.headers = headers
        self.unplaced = []
        self.dropped = []
        self.consumed = set()
        self.runs = []  # (line, run, role, target list) to split once the speakers are known
        self.list_key = None  # "proceedings", "agenda", "attendees", … while reading a list
        self.list_indent = 0
        self.proceedings = []  # (indent, text) until depths are known
        self.agenda_kind = None
        self.signer_role = None
        self.items_started = False
        self.closing = False

    def read(self, lines, *, closing=False):
        self.closing = closing
        reason_unread = "unrecognised_closing_line" if closing else "unrecognised_overview_line"
        index = 0
        while index < len(lines):
            line = lines[index]
            index += 1
            if not line.text:
                continue
            if not closing and index - 1 == self.title_at:
                self._title(" ".join(_demark(lines[i].text) for i in self.title_parts))
            elif not closing and index - 1 in self.title_parts:
                pass  # "제287회 …(임시회)" above the title or "제2호" below it
            elif reason := _artefact(line, self.headers):
                self.dropped.append(Unplaced(line.number, line.text, reason))
                continue
            elif joined := self._split_label(lines, index - 1):
                self.consumed.update((line.number, joined.number))
                index = lines.index(joined) + 1
                continue
            elif not self._recognise(index - 1, line):
                self.unplaced.append(Unplaced(line.number, line.text, reason_unread))
                continue
            self.consumed.add(line.number)
        self._settle_proceedings()

    def _split_label(self, lines, index):
        """A letter-spaced label cut by PDF extraction: " 일" then "시 : 2031. 3. 4.…"."""
        if len(lines[index].text) > 8:
            return None
        head = _nospace(_ITEM_MARKERS.sub("", _demark(lines[index].norm)))
        if not (1 <= len(head) <= 2 and _HANGUL_WORD.match(head)):
            return None
        following = next((line for line in lines[index + 1 :] if line.text), None)
        if following is None:
            return None
        joined = _Line(following.number, following.raw, f"{head}{following.text}", "")
        text = _demark(joined.text)
        if _ITEM_KEYS.get(_nospace(re.split(r"[:：(]", text)[0])) is None:
            return None
        return following if self._item(index, joined, text) else None

    def _recognise(self, index, line):
        text = _demark(line.text)
        if self.list_key and self._list_line(line, text):
            return True
        self.list_key = None
        readers = (self._skip, self._item)
        if not self.closing:
            readers = (self._skip, self._signature, self._cover, self._item, self._bare)
        return any(reader(index, line, text) for reader in readers)

    def _title(self, text):
        overview = self.overview
        overview.title = _clean(text.replace("**", ""))
        overview.year, overview.sequence, overview.committee = _title_fields(overview.title)
        session = _TITLE_SESSION.search(_nfkc(overview.title))
        overview.session = int(session[1]) if session else None
        self.list_key = None

    def _skip(self, index, line, text):
        """Lines with no content: the table's header row, section headings, rules."""
        bare = re.sub(r"[〈〉<>\[\]【】「」□■◆◇()]", "", _nospace(_nfkc(text)))
        bare = _ENUMERATOR.sub("", bare)
        return (
            bare.startswith("구분")
            or bare in ("회의개요", "개요", "회의개최개요")
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
        secretariat = ("사무국", "사무처", "사무과")
        if text.endswith(secretariat) and len(text) <= 30 and not overview.organisation:
            overview.organisation = text  # a council's secretariat under the title
            return True
        before_title = self.title_at is None or index < self.title_at
        if self.items_started or not before_title:
            return False
        department = re.fullmatch(r"[(（]([^\d]+)[)）]", text)  # not a time mark "(10시)"
        if department and not overview.department and not _STAGE_WORDS.search(department[1]):
            overview.department = _clean(department[1])
            return True
        in_cover = overview.document_date is not None
        if in_cover and not overview.organisation and len(text) <= 40 and ":" not in text:
            overview.organisation = text  # plain text: the office under the date
            return True
        return False

    def _bare(self, index, line, text):
        """A date line without a label, and the room written under it."""
        text = _ITEM_MARKERS.sub("", text)
        overview = self.overview
        if overview.day is None and _BARE_WHEN.match(_nfkc(text)):
            return self._when(text)
        if (
            overview.day is not None
            and not overview.place
            and len(text) <= 40
            and ":" not in text
            and _nfkc(text).rstrip(")").split("(")[0].strip().endswith(_PLACE_WORDS)
        ):
            overview.place = text
            return True
        return False

    def _item(self, index, line, text):
        """A key item: "◆ 일 시 : …", "외부위원(9명) : …", "◆ 진행순서", "일 시 2031년…"."""
        text = _ITEM_MARKERS.sub("", text)
        found = _key_value(text) or _key_value(_ENUMERATOR.sub("", text))
        if found is None:
            return False
        key, value, count = found
        if key in _LIST_KEYS:
            self.items_started = True
            self.list_key, self.list_indent = key, line.indent
            if key in _PEOPLE_KEYS:
                return self._people_item(key, value, count, line)
            return not value or self._list_entry(value, line)
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

    def _people_item(self, key, value, count, line):
        """출석위원 : 12명 / 출석위원 (5인) / 출석위원 : 위원장 홍길동, 위원 김철수․이영희."""
        counted = _COUNT.search(_nfkc(f"{count or ''} {value}"))
        if key == "attendees" and counted and self.overview.attendee_count is None:
            self.overview.attendee_count = int(counted[1])
        rest = _PEOPLE_NOISE.sub(" ", value).strip()
        if not rest:
            return True
        return self._people_line(key, rest, line)

    def _people_line(self, key, text, line):
        entries = _people(text)
        if entries is None:
            return False
        target = getattr(self.overview, key)
        for entry, role in entries:
            if isinstance(entry, tuple):  # names run together: split when speakers are known
                self.runs.append((line, entry[1], role, target, len(target)))
            else:
                target.append(Person(entry, role))
        return True

    def _list_line(self, line, text):
        """A line of the list being read, if it belongs to it."""
        if self.list_key == "agenda" and _AGENDA_GROUP.match(_nospace(_nfkc(text))):
            if self._agenda_line(_clean(text)):  # "심의안건 2건" inside 상정안건
                return True
        if _key_value(_ITEM_MARKERS.sub("", text)) or _key_value(_ENUMERATOR.sub("", text)):
            return False  # the next key item
        if self.list_key in _PEOPLE_KEYS:
            if self._skip(0, line, text):
                return True  # the header row of a table: 구분 성명 소속
            return self._people_line(self.list_key, _LIST_MARKER.sub("", text), line)
        deeper = line.indent > self.list_indent
        agenda_item = self.list_key == "agenda" and _AGENDA_ITEM.match(_nfkc(text))
        if not deeper and not _LIST_MARKER.match(text) and not agenda_item:
            return False
        if not self._list_entry(_LIST_MARKER.sub("", text), line):
            self.unplaced.append(Unplaced(line.number, line.text, "unrecognised_overview_line"))
        return True

    def _list_entry(self, text, line):
        text = _clean(text)
        if self.list_key == "proceedings":
            self.proceedings.append((line.indent, text))
            return True
        return self._agenda_line(text)

    def _agenda_line(self, text):
        item = _AGENDA_ITEM.match(text)
        if item:
            if item["circled"]:
                number = ord(item["circled"]) - ord("①") + 1
            elif item["letter"]:
                number = _LETTERS.index(item["letter"]) + 1
            else:
                number = int(_nfkc(item["a"] or item["b"] or item["c"] or item["d"] or item["f"]))
            kind = self.agenda_kind or "deliberation"
            title = _clean(item["title"])
            key = _agenda_key(title)
            for _kind, listed_number, listed in self.overview.agenda:
                if listed_number == number and _agenda_key(listed) == key:
                    return True  # 심사된 안건 repeating 의사일정
            self.overview.agenda.append((kind, number, title))
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

    def settle_runs(self, known, checks):
        """Names run together ("홍길동김철수이영희"), split by the names known by now."""
        for line, run, role, target, at in reversed(self.runs):  # reversed: indexes hold
            names = split_names(run, known)
            if names is None:
                target.insert(at, Person(run, role))
                checks.append(Check("attendees", "names_run_together", line.number, run))
            else:
                target[at:at] = [Person(name, role) for name in names]
        self.runs = []


def _agenda_key(title):
    """A title compared without spaces and without its trailing "(… 대표발의)"."""
    return re.sub(r"\([^()]*\)$", "", _nospace(_nfkc(title)))


def _key_value(text):
    """(key, value, count) of an item line, with or without a colon; else None.

    Without a colon the key must be followed by a gap or a value of its own
    shape, so that a sentence starting with "장소" or "안건" is not a key.
    """
    match = _ITEM.match(text)
    if match:
        key = _ITEM_KEYS.get(_nospace(match["key"]))
        if key:
            return key, match["value"].strip(), match["count"]
    prefix = re.match(r"^[가-힣 ]{1,16}", text)
    if not prefix:
        return None
    for end in range(len(prefix[0]), 1, -1):
        if end < len(text) and text[end] not in " (\t":
            continue
        key = _ITEM_KEYS.get(_nospace(text[:end]))
        if key is None:
            continue
        rest = text[end:]
        count = re.match(r"^\s*\(([^()]*)\)", rest)
        value = (rest[count.end() :] if count else rest).strip()
        spaced = " " in text[:end].strip() or re.match(r"^(?:\s{2,}|\t)", rest)
        if key == "when" and _parse_when(value) is None:
            return None
        if key in _LIST_KEYS and value and key not in _PEOPLE_KEYS:
            return None
        if key in _PEOPLE_KEYS and value and _people(value) is None and not _COUNT.search(value):
            return None
        if key not in _LIST_KEYS and key != "when" and not spaced:
            return None
        return key, value, count[1] if count else None
    return None


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


def find_resolutions(blocks: list[Block], agenda=()) -> list[Resolution]:
    """Decisions on an item declared by the chair, found by wording (a heuristic).

    A chair's question ("…이의가 있으십니까?") answered within the next two
    speakers - or by a stage direction - with "없음", then the chair's
    declaration of a result (가결, 부결, 수정가결, 원안가결, 채택, 통과, 보류)
    is a decision without objection; vote counts (찬성 n, 반대 n) make it a
    vote. Procedural consents ("질의 없습니까?", "선임 방법에 이의
    없으십니까?") are declared with no result word and stay statements.
    ``agenda`` (Overview.agenda) links each decision to its item: by the
    question's "의사일정 제N항" / "안건N", else by the agenda heading above it.
    """
    said = [
        (block_index, text)
        for block_index, block in enumerate(blocks)
        if block.kind != "heading"
        for text in block.statements
    ]
    resolutions = []
    position = 0
    while position < len(said):
        block_index, text = said[position]
        if _chair_says(blocks[block_index]) and _puts_question(text):
            found = _settle(blocks, said, position)
            if found:
                resolution, position = found
                resolution.agenda = _agenda_of(resolution, blocks, agenda)
                resolutions.append(resolution)
                continue
        elif _chair_says(blocks[block_index]) and _declares(text) and _votes(text):
            # A vote declared without a question: "찬성 4인, 반대 1인으로 … 가결되었음을 …"
            kind, number = _item_reference(text)
            votes = _votes(text)
            resolution = Resolution(
                block_index, text, "show_of_hands", _outcome(text, votes), kind, number, votes
            )
            resolution.agenda = _agenda_of(resolution, blocks, agenda)
            resolutions.append(resolution)
        position += 1
    return resolutions


def _chair_says(block):
    return block.kind == "speech" and block.speaker is not None and _is_chair(block.speaker)


def _answers(block):
    """Whose words may answer the chair: other speakers, and stage directions."""
    return block.kind == "direction" or (block.kind == "speech" and not _is_chair(block.speaker))


def _agenda_of(resolution, blocks, agenda):
    """Index into ``agenda`` of the item decided, or None."""
    if resolution.item_number is not None:
        numbered = [i for i, item in enumerate(agenda) if item[1] == resolution.item_number]
        typed = [i for i in numbered if agenda[i][0] == resolution.item_kind]
        if typed or len(numbered) == 1:
            return (typed or numbered)[0]
    for block in reversed(blocks[: resolution.block_index + 1]):
        if block.kind == "heading" and block.agenda is not None:
            return block.agenda
    return None


def _settle(blocks, said, asked):
    """(Resolution, next position) for the question at ``asked``, or None."""
    block_index, question = said[asked]
    window = []  # what follows, up to three speakers on, until the next question
    speakers = 0
    last_index = block_index
    for position in range(asked + 1, len(said)):
        index, text = said[position]
        if index != last_index and blocks[index].kind == "speech":
            speakers += 1
        last_index = index
        chair = _chair_says(blocks[index])
        if speakers > 3 or (chair and _puts_question(text)):
            break
        answers = _answers(blocks[index]) or _is_direction(text)  # "(“예” 하는 위원 있음)"
        window.append((position, speakers, chair, answers, text))

    answer = next(
        (
            position
            for position, distance, _chair, answers, text in window
            if distance <= 2 and answers and _is_no_objection(text, question)
        ),
        None,
    )
    chair_words = [
        (p, t)
        for p, _d, chair, _a, t in window
        if chair or blocks[said[p][0]].kind == "direction" or _is_direction(t)
    ]
    votes = _votes(" ".join(t for _p, t in chair_words))
    if answer is None and votes is None:
        return None
    after = answer if answer is not None else asked
    decision = next(
        (
            (p, t)
            for p, t in chair_words
            if p > after
            and blocks[said[p][0]].kind == "speech"
            and not _is_direction(t)
            and _declares(t)
        ),
        None,
    )
    if decision is None and votes is None:
        return None  # a procedural consent: nothing was decided on an item
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


_DECLARATIONS = ("가결", "부결", "채택", "통과", "승인", "보류", "연기", "의결되", "의결하였")


def _declares(text):
    """The chair declares a result: "가결되었음을 선포합니다", "통과하는 것으로 하겠음"."""
    return any(word in text for word in _DECLARATIONS)


def _votes(text):
    """(for, against, abstentions) when 찬성 and 반대 are counted, else None."""
    text = _nfkc(text)
    counts = {word: pattern.search(text) for word, pattern in _VOTE_COUNTS.items()}
    if not (counts["찬성"] and counts["반대"]):
        return None
    return tuple(int(match[1]) if match else 0 for match in counts.values())
