"""Transcript convention: verbatim council transcripts, ``○`` before each speaker.

(Also the National Assembly's records, which print the same lines without the
``○``: ``소위원장 박광온  성원이 되었으므로 …`` - a role and a name at the
margin, then a gap of two spaces or a tab.)

``○위원장 홍길동  성원이 되었으므로 개의하겠습니다.`` The speaker ends at the
first run of two or more spaces (or a tab); with single spacing
(``○위원장 홍길동 의석을 정돈해 주시기 바랍니다.``) the labels written with a
clear gap elsewhere settle it, else a heuristic takes one or two tokens made of
a role word (also acting roles: ``○위원장직무대행 홍길동``) and/or a name or a
masked name (``○전문위원 김○○``). Indented lines continue the statement above
(joined by base.join); so does an unindented line after a full-width line that
does not end a sentence (a page or line break inside it); another unindented
line starts a new statement; a blank line ends the statement.
"""

import re
import sys

from .. import parsing as p
from . import base

name = "transcript"

# The speaker part of a transcript line ends at two or more spaces or a tab.
_SPEAKER_GAP = re.compile(r"\t|\s{2,}")
# A token that looks like a name but is the speech's first word: ends in a particle.
_PARTICLE_ENDINGS = tuple("이가은는을를에의도와과로께서만요다고며면게지니데까분")


def _names_someone(token):
    """A role, a name, a mask ("000위원" too) or a glued name and role."""
    return bool(
        p._is_role(token)
        or p._is_name(token)
        or p._MASKED.match(p._nfkc(token))
        or p._glued_name_role(token)
        or p._role_bracketed_name(token)
    )


def speaker_part_ok(label):
    """A speaker part is short and names someone: "위원장 홍길동", not "의사일정 제1항"."""
    tokens = label.split(" ")
    if p._ITEM_KEYS.get(p._nospace(label).split("(")[0]):
        return False  # "출석위원 (5인)": a list, not a speaker
    return len(tokens) <= 4 and len(label) <= 30 and any(map(_names_someone, tokens))


def starts_speaker_line(line):
    return p._starts_speaker_line(line)


def _gap_split(line):
    """(speaker, speech) from "○speaker  speech" when a gap separates them."""
    body = line.raw.strip()[1:]
    gap = _SPEAKER_GAP.search(body)
    if gap:
        label = p._clean(body[: gap.start()])
        if speaker_part_ok(label):
            return label, p._clean(body[gap.end() :])
    return None


# A word ending in one of these is the speech's first word, even when it recurs.
_STRONG_PARTICLES = tuple("은는을를에의가서고면다요")


def known_speakers(lines, names=()):
    """Speaker labels written with a clear gap: they settle single-spaced lines.

    With single spacing, a role then a word that looks like a name ending like
    a particle ("○임시의장 이승만 지금은 …": 만) is still a role and a name when
    the pair recurs after the same role in another turn (three or four
    syllables) or the word is a name of ``names`` (the attendance lists).
    """
    known = set()
    pairs = {}
    for line in lines:
        if p._starts_speaker_line(line):
            split = _gap_split(line)
            if split:
                known.add(split[0])
                continue
            tokens = p._clean(line.raw.strip()[1:]).split(" ")
            if len(tokens) > 2 and p._is_role(tokens[0]) and p._is_name(tokens[1]):
                pair = f"{tokens[0]} {tokens[1]}"
                pairs[pair] = pairs.get(pair, 0) + 1
    for pair, count in pairs.items():
        word = pair.split(" ")[1]
        recurs = count >= 2 and len(word) >= 3 and not word.endswith(_STRONG_PARTICLES)
        if recurs or word in names:
            known.add(pair)
    return sorted(known, key=len, reverse=True)


def _bare_split(line):
    """(speaker, speech) of a line without the ○, as the National Assembly's
    records print them: "소위원장 박광온  성원이 되었으므로 …" - a role and a
    name at the margin, then a gap."""
    if line.indented or not line.text or line.text[0] in "○◯(（<〈":
        return None
    body = line.raw.strip()
    gap = _SPEAKER_GAP.search(body)
    if not gap or gap.start() > 30:
        return None
    label = p._clean(body[: gap.start()])
    if not 2 <= len(label.split(" ")) <= 3 or not speaker_part_ok(label):
        return None
    said = p.parse_speaker_label(label)
    if not ((said.name or said.redacted) and said.role) or ":" in label:
        return None
    return label, p._clean(body[gap.end() :])


def speaker(line, known):
    """(label, speech) when the line is a transcript speaker line, else None."""
    if not p._starts_speaker_line(line):
        return _bare_split(line)
    split = _gap_split(line)
    if split:
        return split
    body = p._clean(line.raw.strip()[1:])
    for label in known:
        if body == label or body.startswith(label + " "):
            return label, body[len(label) :].strip()
    return guess_speaker(body)


# The office before a name and a rank: "의사팀 이은정 주무관", "예산과 김민수 팀장".
_OFFICES = ("팀", "과", "실", "국", "단", "본부", "센터", "사업소", "담당")


def guess_speaker(body):
    """Single spacing: one or two leading tokens made of a role and/or a name."""
    tokens = body.split(" ")
    first = tokens[0]
    second = tokens[1] if len(tokens) > 1 else ""
    if p._ITEM_KEYS.get(p._nospace(first).split("(")[0]):
        return None

    def speaker_name(token):
        """A name after a role: three syllables (two-syllable words are too often speech)."""
        if p._is_mask(token):
            return True
        if not p._is_name(token) or (len(token) < 3 and len(tokens) > 2):
            return False
        return len(tokens) == 2 or not token.endswith(_PARTICLE_ENDINGS)

    third = tokens[2] if len(tokens) > 2 else ""
    if (
        first.endswith(_OFFICES)
        and not p._is_name(first)
        and speaker_name(second)
        and third
        and p._is_role(third)
        and not p._is_name(third)
    ):  # "의사팀 이은정 주무관": office, name, rank
        count = 3
    elif p._is_office(first) and len(second) == 3 and speaker_name(second):
        count = 2  # "의회사무국 엄기소": an office and its clerk
    elif first in p._KNOWN_ROLES or (p._is_role(first) and not p._is_name(first)):
        count = 2 if second and speaker_name(second) and not p._is_role(second) else 1
    elif p._is_name(first) and second and p._is_role(second):  # "김영희 위원"
        count = 2
    elif (
        p._MASKED.match(p._nfkc(first))
        or p._glued_name_role(first)
        or p._role_bracketed_name(first)
    ):  # "000위원", "김준호위원", "議長(金奎植)"
        count = 1
    else:
        return None
    return " ".join(tokens[:count]), " ".join(tokens[count:])


_CHAIR_ROLES = ("위원장", "의장", "소위원장", "委員長", "議長")


def marked_speakers(lines, known):
    """(name, role) of every ``○`` speaker line that names someone."""
    pairs = set()
    for line in lines:
        if p._starts_speaker_line(line) and (said := speaker(line, known)):
            parsed = p.parse_speaker_label(said[0])
            if parsed.name and parsed.role:
                pairs.add((parsed.name, parsed.role))
    return pairs


def unmarked_turn(line, previous, marked):
    """(label, speech) of a first turn printed without the ``○``, single-spaced.

    Before the first ``○`` line, "최경자 위원장 성원이 되었으므로 …" (a name and
    a role, or a role and a name, then the speech) starts a turn when a later
    ``○`` line names the same person in the same role, or when it is the chair
    right after the opening time mark "(10시01분 개의)".
    """
    if line.indented or not line.text or line.text[0] in "○◯(（<〈":
        return None
    tokens = line.text.split(" ")
    if len(tokens) < 3:
        return None
    label = " ".join(tokens[:2])
    said = p.parse_speaker_label(label)
    if not (said.name and said.role):
        return None
    after_opening = previous is not None and (base.direction_time(previous.text) or (0, 0))[1]
    if (said.name, said.role) in marked or (after_opening == "opens" and said.role in _CHAIR_ROLES):
        return label, " ".join(tokens[2:])
    return None


def detect(lines):
    known = known_speakers(lines)
    count = sum(1 for line in lines if p._starts_speaker_line(line) and speaker(line, known))
    bare = sum(1 for line in lines if _bare_split(line)) if count < 4 else 0
    return base.confidence(count + bare, base=0.45)


def remarks_start(lines):
    known = known_speakers(lines)
    marked = marked_speakers(lines, known)
    previous = None  # the last text line before the one looked at

    def starts_turn(line):
        nonlocal previous
        found = speaker(line, known) or unmarked_turn(line, previous, marked)
        previous = line if line.text else previous
        return found is not None

    return base.remarks_start(lines, starts_turn)


def read_body(lines, context, remarks):
    collector = base.Collector(context)
    overview = context.overview
    listed = [*overview.attendees, *overview.external, *overview.internal, *overview.officials]
    known = known_speakers(lines, {person.name for person in listed})
    marked = marked_speakers(lines, known)
    previous = None  # the last text line, for page cuts
    for line in lines:
        if not line.text:
            collector.close()
            continue
        if base.is_direction(line.text):
            collector.direction(line)
        elif not line.indented and (found := base.heading(line, overview)):
            collector.heading(line, *found)
        elif said := speaker(line, known) or (
            not any(block.kind == "speech" for block in collector.blocks)
            and unmarked_turn(line, previous, marked)
        ):
            label, speech = said
            collector.speaker(label, line)
            if base.is_direction(speech):
                collector.direction(line, speech)
            elif speech:
                collector.start(line, speech)
        elif line.indented or _cut(previous, context.width):
            collector.continue_with(line, line.text)
        else:
            collector.start(line, line.text)
        previous = line
    return collector


def _cut(previous, width):
    """The line before ran to the margin without ending a sentence."""
    if previous is None or not width:
        return False
    text = previous.text
    return len(text) >= width * 0.9 and not p._SENTENCE_END.search(text)


def parse(lines, confidence=None):
    """The whole document read in this convention (overview and closing lists too)."""
    return base.read_document(lines, sys.modules[__name__], confidence)
