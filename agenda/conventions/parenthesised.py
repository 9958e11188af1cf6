"""Parenthesised convention: ``(위원장 홍길동) 말씀드리겠습니다.``

The speaker stands in parentheses at the start of the line, the speech after
it (or on the following lines). A line wholly in parentheses that does not
name a speaker - "(10시 12분)", "(“예” 하는 위원 있음)" - is a stage direction.
Following lines continue the statement (joined by base.join); a blank line
ends it.
"""

import re
import sys

from .. import parsing as p
from . import base
from .transcript import speaker_part_ok

name = "parenthesised"

_SPEAKER = re.compile(r"^[(（]\s*(?P<label>[^()（）\d]{2,30}?)\s*[)）]\s*(?P<speech>.*)$")
_NOT_A_SPEAKER = re.compile(r"하는|있음|없음|교대|대행,|타\b|퇴장|입장|박수|[‘’“”\"'「」]")


def speaker(line):
    """(label, speech) when the line opens with a speaker in parentheses."""
    match = _SPEAKER.match(line.text)
    if not match or _NOT_A_SPEAKER.search(match["label"]):
        return None
    label = p._clean(match["label"])
    said = p.parse_speaker_label(label)
    if not speaker_part_ok(label) or not (said.name or said.redacted or " " not in label):
        return None
    return label, match["speech"].strip()


def detect(lines):
    count = sum(1 for line in lines if line.text[:1] in ("(", "（") and speaker(line))
    return base.confidence(count, base=0.45)


def remarks_start(lines):
    return base.remarks_start(lines, lambda line: speaker(line) is not None)


def read_body(lines, context, remarks):
    collector = base.Collector(context)
    for line in lines:
        if not line.text:
            collector.close()
            continue
        said = speaker(line)
        if said:
            collector.speaker(said[0], line)
            if said[1]:
                collector.start(line, said[1])
        else:
            collector.other(line)
    return collector


def parse(lines, confidence=None):
    """The whole document read in this convention (overview and closing lists too)."""
    return base.read_document(lines, sys.modules[__name__], confidence)
