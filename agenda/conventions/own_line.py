"""Own-line convention: the speaker alone on a line, the speech on the lines after.

    위원장 홍길동
    성원이 되었으므로 개의하겠습니다.

A speaker line is only a label - a role and a name in either order
(``위원장 홍길동``, ``김철수 위원``, ``위원장직무대행 홍길동``) or a masked name
with its role (``전문위원 김○○``) - with nothing else, and a text line follows
it. The following lines continue the statement (joined by base.join); a blank
line ends it.
"""

import sys

from .. import parsing as p
from . import base
from .transcript import speaker_part_ok

name = "own_line"


def label_of(line):
    """The label when the line is nothing but a speaker label, else None."""
    if len(line.text) > 32 or " " not in line.text:
        return None
    text = p._ITEM_MARKERS.sub("", line.text) if line.text[:1] in "◇◆■□" else line.text
    tokens = text.split(" ")
    if not 2 <= len(tokens) <= 3 or len(text) > 30 or not speaker_part_ok(text):
        return None
    said = p.parse_speaker_label(text)
    if not (said.name or said.redacted) or not said.role:
        return None
    return text


def _speakers(lines):
    """Indexes of speaker lines: a label with a text line after it."""
    found = set()
    for index, line in enumerate(lines):
        if line.text and label_of(line):
            after = next((other for other in lines[index + 1 :] if other.text), None)
            if after is not None and not label_of(after):
                found.add(line.number)
    return found


def detect(lines):
    return base.confidence(len(_speakers(lines)), base=0.4)


def remarks_start(lines):
    speakers = _speakers(lines)
    return base.remarks_start(lines, lambda line: line.number in speakers)


def read_body(lines, context, remarks):
    collector = base.Collector(context)
    speakers = _speakers(lines)
    for line in lines:
        if not line.text:
            collector.close()
        elif line.number in speakers:
            collector.speaker(label_of(line), line)
        else:
            collector.other(line)
    return collector


def parse(lines, confidence=None):
    """The whole document read in this convention (overview and closing lists too)."""
    return base.read_document(lines, sys.modules[__name__], confidence)
