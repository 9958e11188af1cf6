"""Minutes conventions as plug-ins: one module per way of writing minutes.

Each module has ``name``, ``detect(lines) -> float`` (confidence 0..1 that the
document is written its way), ``parse(lines, confidence=None) -> Document``
(the whole document), ``remarks_start(lines)`` and ``read_body(lines, context,
remarks)`` (its remark lines into blocks through base.Collector). The registry runs
every detector and the highest confidence reads the document (ties go to the
earlier in CONVENTIONS). What all share - overview, closing attendance lists,
page artefacts, stage directions, agenda headings, joining lines, resolutions,
checks - lives in base.

Conventions:
- ``reference``: ``### <간사>`` headings, bullet statements (the published reference PDF).
- ``transcript``: ``○위원장 홍길동  발언`` (two spaces, tab or single space; acting roles).
- ``parenthesised``: ``(위원장 홍길동) 발언``.
- ``own_line``: ``위원장 홍길동`` alone on a line, the speech on the lines after.
- ``summary``: 개요식 outline: ``1. 회의개요``, ``가.`` items, ``○ 김철수 위원`` / ``- …``,
  ``□ 의결 결과 : 원안 의결``.
- ``english``: English council minutes: roll call, ``Councilmember Ortiz asked …`` /
  ``City Manager Reyes: …`` turns, ``A motion offered by X, duly seconded by Y``,
  ``RESULT: ADOPTED [8 TO 0]``, ``MOVER:`` / ``AYES:`` lines.

Every non-blank line ends up in exactly one of: ``Document.consumed`` (read
into the overview or the closing lists), a block's ``lines``, ``unplaced``
(Document.unplaced or Remarks.unplaced) or ``Remarks.dropped``.

Reason codes of ``Unplaced`` (line not placed):
- ``before_first_speaker``: text in the remarks before anybody speaks, or after an
  agenda heading before the next speaker.
- ``no_speaker`` (english): a paragraph of the remarks that names nobody.
- ``unrecognised_overview_line``: a line before the remarks that is no overview field.
- ``unrecognised_closing_line``: a line after the remarks that is no attendance list.
- ``page_number`` (dropped): a page number such as ``- 2 -``.
- ``page_header`` (dropped): a running header repeated on every page.
- ``empty_bullet`` (dropped): a bullet with no text.

Reason codes of ``Check`` (for a person to check):
- ``missing``: the document does not give this overview field (topic names it).
- ``names_run_together``: names written without separators that could not be split
  with certainty (topic "attendees"); the text is the run.
- ``joined_across_break``: a line joined to the one before with a space where the
  break gave no sign whether there was one (topic "line").
"""

from . import base, english, own_line, parenthesised, reference, summary, transcript

CONVENTIONS = (reference, summary, transcript, parenthesised, own_line, english)


def choose(lines):
    """(convention module, confidence) that fits the lines best."""
    best, best_score = reference, 0.0
    for convention in CONVENTIONS:
        score = convention.detect(lines)
        if score > best_score:
            best, best_score = convention, score
    return best, best_score


def read_document(lines):
    convention, confidence = choose(lines)
    return convention.parse(lines, confidence)


def read_remarks(lines):
    convention, _confidence = choose(lines)
    remarks, _checks = base.read_remarks_checked(lines, convention)
    return remarks
