"""The real published minutes, rebuilt in our model, print back as published.

The reference (../shared/reference) is a text dump of a published PDF. We
enter its content into the model the way a secretary would, render the public
version, and compare it with the reference section by section: nothing may be
lost or flattened on the way. Names come from the reference at run time.
"""

import datetime
import os
import re

import pytest

from agenda.models import AgendaItem, Resolution, SpeakerBlock
from agenda.services import replace_statements
from committees.models import Committee, Member, MemberRole, Person
from meetings.models import (
    Attendance,
    Meeting,
    NonMemberAttendee,
    ProceedingsItem,
    Signatory,
)

from .conftest import SEOUL
from .html import read_minutes
from .reference import REFERENCE, read_reference

# CI always has ../shared beside the clone: there a missing reference is a failure.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not REFERENCE.exists() and not os.environ.get("CI"),
        reason=f"reference not found at {REFERENCE}",
    ),
]


def squash(text):
    return " ".join(text.replace("\\*", "*").replace("**", "").split())


def items_after(lines, title):
    """The indented list under a '◆ title' line: [(depth, text)]."""
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- ◆ {title}")
    outline = []
    for line in lines[start + 1 :]:
        match = re.match(r"^(?P<indent> +)- (?P<text>.+)$", line)
        if not match:
            break
        outline.append((len(match["indent"]) // 2 - 1, match["text"].strip()))
    return outline


def enter_reference(reference):
    """Enter the reference meeting as a secretary would; return the meeting."""
    lines = reference.lines
    committee = Committee.objects.create(
        name="빅데이터심의위원회",
        slug="bigdata",
        organisation="디지털정책관",
        department="빅데이터담당관",
    )
    term = datetime.date(2024, 1, 1)

    def member(name, kind, position="", role=None):
        person = Person.objects.create(name=name, position=position)
        seat = Member.objects.create(committee=committee, person=person, kind=kind, term_start=term)
        if role:
            seat.roles.create(role=role, since=term)
        return seat

    externals = reference.line_after("- 외부위원").split(" : ")[1].split(", ")
    internals = [
        entry.split(" ", 1)
        for entry in reference.line_after("- 내부위원").split(" : ")[1].split(", ")
    ]
    members = [member(name, "external") for name in externals]
    members += [member(name, "internal", position) for name, position in internals]
    chair = members[2]
    chair.roles.create(role=MemberRole.Role.CHAIR, since=term)
    author_name = re.search(r"성명 (\S+)", reference.line_after("작 성 자"))[1]
    secretary = member(author_name, "internal", role=MemberRole.Role.SECRETARY)

    when = re.search(
        r"'24\. 4\. 18\.\(목\) (\d\d:\d\d)~(\d\d:\d\d)", reference.line_after("- ◆ 일 시")
    )
    day = datetime.date(2024, 4, 18)
    meeting = Meeting.objects.create(
        committee=committee,
        year=2024,
        sequence=1,
        starts_at=datetime.datetime.combine(day, datetime.time.fromisoformat(when[1]), SEOUL),
        ends_at=datetime.datetime.combine(day, datetime.time.fromisoformat(when[2]), SEOUL),
        place=reference.line_after("- ◆ 장 소").split(" : ")[1],
        document_date=datetime.date(2024, 4, 1),
    )
    for seat in [*members, secretary]:
        Attendance.objects.create(meeting=meeting, member=seat)

    attendees = {}
    group = None
    for position, entry in enumerate(
        reference.line_after("- \\* 배석").split(" : ")[1].split(", "), start=1
    ):
        if entry.endswith(" 등"):
            group = NonMemberAttendee.objects.create(
                meeting=meeting, position=position, description=entry
            )
        else:
            name, title = entry.split(" ", 1)
            person = Person.objects.create(name=name, position=title)
            attendees[title] = NonMemberAttendee.objects.create(
                meeting=meeting, position=position, person=person
            )
    # The team leader who speaks is covered by "담당 팀장 등" in the list.
    team_leader = NonMemberAttendee.objects.create(
        meeting=meeting,
        position=9,
        included_in=group,
        person=Person.objects.create(name="가상팀장", position="빅데이터팀장"),
    )

    for position, (depth, text) in enumerate(items_after(lines, "진행순서"), start=1):
        ProceedingsItem.objects.create(meeting=meeting, position=position, depth=depth, text=text)
    kind = None
    for depth, text in items_after(lines, "상정안건"):
        if depth == 0:
            kind = {"심의": "deliberation", "보고(자문)": "report_advisory"}[text.rsplit(" ", 1)[0]]
        else:
            number, title = re.match(r"【(\d+)】 (.+)", text).groups()
            AgendaItem.objects.create(meeting=meeting, kind=kind, number=number, title=title)
    item = meeting.agenda_items.get(kind="deliberation")
    item.outcome = "passed_as_amended"
    item.save()
    Resolution.objects.create(
        meeting=meeting,
        agenda_item=item,
        question="안건1 수정안 의결",
        method="no_objection",
        outcome="passed_as_amended",
    )

    external_speakers = iter(members[3:9] * 10)
    for position, (label, statements) in enumerate(reference.remarks, start=1):
        block = SpeakerBlock(meeting=meeting, position=position)
        if label == "간사":
            block.member = secretary
        elif label == "위원장":
            block.member = chair
        elif label == "위원":
            block.speaker_kind, block.role_label = "collective", "위원"
        elif label in ("000팀장", "000수석"):
            block.speaker_kind, block.role_label = "attendee", label[3:]
            block.attendee = team_leader if label == "000팀장" else attendees["디지털수석"]
        else:
            block.member, block.role_label = next(external_speakers), label[3:]
        block.full_clean()
        block.save()
        replace_statements(block, statements)

    signers = re.findall(r"성명 (\S+)", "\n".join(lines[:12]))
    for position, name in enumerate(signers[:2], start=1):
        Signatory.objects.create(
            meeting=meeting, role="signer", position=position, person=Person.objects.get(name=name)
        )
    Signatory.objects.create(
        meeting=meeting, role="confirmer", person=Person.objects.get(name=signers[2])
    )
    Signatory.objects.create(
        meeting=meeting, role="author", person=secretary.person, printed_title="빅데이터담당관"
    )
    return meeting


@pytest.fixture
def reference():
    return read_reference()


@pytest.fixture
def published(reference, admin_client):
    meeting = enter_reference(reference)
    return read_minutes(admin_client.get(meeting.get_absolute_url(), {"version": "public"}))


def test_the_reference_has_57_speaker_blocks_with_70_statements(reference):
    assert len(reference.remarks) == 57
    assert sum(len(statements) for _, statements in reference.remarks) == 70


def test_public_remarks_print_exactly_as_published(reference, published):
    remarks, _ = published
    assert remarks == [(f"<{label}>", statements) for label, statements in reference.remarks]


def test_overview_prints_exactly_as_published(reference, published):
    _, texts = published
    for element, prefix in [
        ("overview-when", "- ◆ 일 시"),
        ("overview-place", "- ◆ 장 소"),
        ("overview-external", "- 외부위원"),
        ("overview-internal", "- 내부위원"),
        ("overview-attendees", "- \\* 배석"),
    ]:
        assert texts[element] == squash(reference.line_after(prefix))[2:], element
    assert texts["overview-members"].startswith(squash(reference.line_after("- ◆ 참석위원"))[2:])
    outline = " ".join(text for _, text in items_after(reference.lines, "진행순서"))
    assert texts["overview-proceedings"] == f"◆ 진행순서 {outline}"
    agenda = " ".join(text for _, text in items_after(reference.lines, "상정안건"))
    assert texts["overview-agenda"] == f"◆ 상정안건 {agenda}"


def test_signature_block_and_cover_print_as_published(reference, published):
    _, texts = published
    block_lines = reference.lines[reference.lines.index("구 분\t\t\t") :][:5]
    assert texts["signature-block"] == squash(" ".join(block_lines))
    assert (
        texts["cover"]
        == "2024년 1차 빅데이터심의위원회 회의록 2024. 4. 디지털정책관 (빅데이터담당관)"
    )


def test_internal_version_names_who_really_spoke(reference, admin_client):
    meeting = enter_reference(reference)

    remarks, _ = read_minutes(admin_client.get(meeting.get_absolute_url()))

    headings = {heading for heading, _ in remarks}
    assert "<가상팀장 팀장>" in headings
    assert not any(heading.startswith("<000") for heading in headings)
    assert [statements for _, statements in remarks] == [s for _, s in reference.remarks]
