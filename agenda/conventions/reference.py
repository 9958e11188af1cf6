"""Reference convention: published summary minutes like the reference PDF dump.

A speaker heading stands on its own line in angle brackets, after optional
markdown #s: ``### <간사>``, ``<000위원>``, ``＜간사＞``, ``〈위원장〉`` (a
reaction such as ``<‘예’ 하는 위원 있음>`` is a stage direction, not a
heading). Each bullet line below it (``- ``, ``○``, ``◦``, ``•``, ``·``,
``∘``, ``*``) is one statement. A line without a bullet continues the
statement above it, joined *without* a space unless the joining rule says
otherwise (base.join): the dump has one paragraph per line, so a plain line
is a sentence cut by a page break ("질문이 있으" + "시면 ...").
"""

import sys

from .. import parsing as p
from . import base

name = "reference"


def is_speaker(line):
    return p._heading_label(line) is not None


def detect(lines):
    return base.confidence(sum(1 for line in lines if line.text and is_speaker(line)))


def remarks_start(lines):
    return base.remarks_start(lines, is_speaker)


def read_body(lines, context, remarks):
    context.join_default = ""
    collector = base.Collector(context)
    for line in lines:
        if not line.text:
            continue  # blank lines also fall inside statements cut by a page break
        label = p._heading_label(line)
        if label is not None:
            collector.speaker(label, line)
            continue
        bullet = p._bullet_text(line)
        if bullet == "":
            collector.close()
            remarks.dropped.append(p.Unplaced(line.number, line.text, "empty_bullet"))
        elif bullet is not None:
            collector.start(line, bullet, can_continue=not base.is_direction(bullet))
        else:
            collector.other(line, exact_headings=True)
    return collector


def parse(lines, confidence=None):
    """The whole document read in this convention (overview and closing lists too)."""
    return base.read_document(lines, sys.modules[__name__], confidence)
