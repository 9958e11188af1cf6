"""Summary convention (개요식): minutes written as an outline.

    1. 회의개요
      가. 일  시 : 2031. 3. 4.(화) 14:00～15:30
    2. 안건
      가. 2031년 ○○계획(안) 심의
    3. 회의내용
      가. 2031년 ○○계획(안) 심의           ← agenda heading
        ○ 김철수 위원                      ← speaker (a bullet and a label)
          - 질의 내용 …                    ← statements
        ○ 담당과장 : 답변 내용 …            ← speaker and statement
        □ 의결 결과 : 원안 의결              ← result: a direction and a resolution

It is chosen when the outline's sections (회의개요 and 회의내용 or results)
are there. The overview comes from the label lines like every convention's.
"""

import re
import sys

from .. import parsing as p
from . import base
from .transcript import speaker_part_ok

name = "summary"

_SPEAKER = re.compile(r"^[○◦•·∘◎]\s*(?P<label>[^:：]{2,30}?)\s*(?:[:：]\s*(?P<speech>.*))?$")
_RESULT = re.compile(
    r"^[□■◆◇▣]?\s*(?:의\s*결|심\s*의|처\s*리|심\s*사)\s*결\s*과\s*[:：]?\s*(?P<value>.+)$"
)
_OUTLINE = re.compile(r"^(?:\d{1,2}|[IVX]+)\s*[.)]\s*(?:회의\s*개요|회의\s*개최\s*개요)$")


def speaker(line):
    match = _SPEAKER.match(line.text)
    if not match:
        return None
    label = p._clean(match["label"])
    said = p.parse_speaker_label(label)
    if not speaker_part_ok(label) or not (said.name or said.redacted or " " not in label):
        return None
    if not (said.role or said.name):
        return None
    return label, (match["speech"] or "").strip()


def detect(lines):
    outline = results = contents = 0
    for line in lines:
        if not ("개" in line.norm or "내" in line.norm or "결" in line.norm):
            continue
        norm = p._nospace(line.norm)
        if _OUTLINE.match(norm) or norm.endswith("회의개요"):
            outline = 1
        elif base.REMARKS_START.search(line.norm):
            contents = 1
        elif _RESULT.match(line.norm):
            results += 1
    if not outline:
        return 0.0
    return round(min(1.0, 0.5 + 0.3 * contents + 0.1 * min(results, 2)), 3)


def remarks_start(lines):
    return base.remarks_start(lines, lambda line: speaker(line) is not None)


def read_body(lines, context, remarks):
    collector = base.Collector(context)
    for line in lines:
        if not line.text:
            collector.close()
        elif _RESULT.match(line.norm) or base.is_direction(line.text):
            collector.direction(line)
        elif found := base.heading(line, context.overview):
            collector.heading(line, *found)
        elif said := speaker(line):
            collector.speaker(said[0], line)
            if said[1]:
                collector.start(line, said[1])
        elif (bullet := p._bullet_text(line)) is not None and bullet:
            collector.start(line, bullet)
        else:
            collector.continue_with(line, line.text)
    return collector


def find_resolutions(blocks, agenda):
    """A result line (□ 의결 결과 : 원안 의결) decides the item of the heading above it;
    a report received (□ 처리 결과 : 보고 접수) decides nothing."""
    resolutions = []
    for index, block in enumerate(blocks):
        if block.kind != "direction":
            continue
        match = _RESULT.match(p._nfkc(block.statements[0]))
        if not match:
            continue
        value = match["value"]
        outcome = p._outcome(value)
        if "접수" in value or "청취" in value:
            continue  # a report taken note of: nothing was decided
        if "원안" in value:
            outcome = "passed"
        resolution = p.Resolution(
            block_index=index,
            question=block.statements[0],
            method="no_objection",
            outcome=outcome,
            item_kind=None,
            item_number=None,
            votes=p._votes(value),
        )
        resolution.agenda = p._agenda_of(resolution, blocks, agenda)
        resolutions.append(resolution)
    return resolutions


def parse(lines, confidence=None):
    """The whole document read in this convention (overview and closing lists too)."""
    return base.read_document(lines, sys.modules[__name__], confidence)
