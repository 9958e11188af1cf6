"""Reads the published reference minutes (a text dump of the PDF) in ../shared.

Only what the tests need to rebuild the document in our model and compare:
the signature block, the overview lines and the remarks. The text dump breaks
some statements across lines (a PDF artefact); continuation lines are joined.
"""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

REFERENCE = Path(
    os.environ.get(
        "MINUTES_REFERENCE",
        Path(__file__).resolve().parents[2] / "shared" / "reference" / "000_a3ae109f18e1b2f2.txt",
    )
)

HEADING = re.compile(r"^#{3,4} <(?P<label>[^>]+)>\s*$")
BULLET = re.compile(r"^\s*(?:- |○\s*)(?P<text>.*)$")


@dataclass
class Reference:
    lines: list
    remarks: list = field(default_factory=list)  # [(heading, [statements])]

    def line_after(self, prefix):
        return next(line.strip() for line in self.lines if line.strip().startswith(prefix))


def read_reference():
    lines = REFERENCE.read_text(encoding="utf-8").splitlines()
    reference = Reference(lines)
    start = next(i for i, line in enumerate(lines) if "위원 발언내용" in line)
    for line in lines[start + 1 :]:
        if not line.strip():
            continue
        heading = HEADING.match(line)
        if heading:
            reference.remarks.append((heading["label"], []))
            continue
        bullet = BULLET.match(line)
        statements = reference.remarks[-1][1]
        if bullet:
            statements.append(bullet["text"].strip())
        else:
            statements[-1] += line.strip()
    return reference
