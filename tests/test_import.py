"""import_minutes: a whole minutes document becomes a draft meeting.

The real reference document must import completely: every speaker block and
statement in order, the overview filled, nothing lost or duplicated, and
its minutes page and PDF then show all of it. Other documents show how the
command reports what it could not place, and that a refused import saves
nothing.
"""

import io
import os

import pytest
from django.core.management import CommandError, call_command

from agenda.models import Resolution, SpeakerBlock, Statement
from committees.models import Committee, Member, Person
from meetings.minutes import minutes_content
from meetings.models import Meeting
from meetings.pdf import render_minutes_pdf

from .html import read_minutes
from .reference import REFERENCE, read_reference
from .test_pdf import body_text, squashed

pytestmark = pytest.mark.django_db

needs_reference = pytest.mark.skipif(
    not REFERENCE.exists() and not os.environ.get("CI"),
    reason=f"reference not found at {REFERENCE}",
)


@pytest.fixture
def committee():
    return Committee.objects.create(
        name="빅데이터심의위원회",
        slug="bigdata",
        organisation="디지털정책관",
        department="빅데이터담당관",
    )


def run_import(path, *args):
    out = io.StringIO()
    call_command("import_minutes", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def imported(committee):
    report = run_import(REFERENCE, "--committee", "bigdata")
    return Meeting.objects.with_minutes().get(), report


@needs_reference
def test_the_reference_imports_all_57_blocks_and_70_statements_in_order(imported):
    meeting, report = imported
    reference = read_reference()
    assert meeting.speaker_blocks.count() == 57
    assert Statement.objects.filter(block__meeting=meeting).count() == 70
    stored = [
        (block.heading(public=True), [s.text for s in block.statements.all()])
        for block in meeting.speaker_blocks.all()
    ]
    assert stored == reference.remarks
    assert "57" in report and "70" in report


@needs_reference
def test_the_reference_overview_is_filled(imported):
    meeting, _ = imported
    content = minutes_content(meeting)
    assert (meeting.year, meeting.sequence, meeting.place) == (
        2024,
        1,
        "서울특별시 본청 영상회의실(6층)",
    )
    assert content["meeting"]["starts_at"] == "2024-04-18T15:00:00+09:00"
    assert content["meeting"]["ends_at"] == "2024-04-18T17:00:00+09:00"
    assert content["meeting"]["document_date"] == "2024-04-01"
    attendance = content["attendance"]
    assert attendance["external"] == [
        "김준호",
        "김진수",
        "안한희",
        "이경전",
        "이영섭",
        "정지영",
        "진혜진",
        "최은정",
        "최진혁",
    ]
    assert attendance["internal"] == [
        {"name": "김기현", "position": "안전총괄관"},
        {"name": "박진영", "position": "디지털정책관"},
        {"name": "송호재", "position": "노동공정상생정책관"},
    ]
    assert attendance["non_members"] == [
        "이상용 디지털수석",
        "윤충식 빅데이터담당관",
        "담당 팀장 등",
    ]
    assert Member.objects.filter(committee=meeting.committee).count() == 12
    assert list(meeting.proceedings.values_list("depth", flat=True)) == [0, 0, 1, 0]
    assert [(a["kind"], a["number"]) for a in content["agenda"]] == [
        ("deliberation", 1),
        ("report_advisory", 1),
        ("report_advisory", 2),
        ("report_advisory", 3),
    ]
    assert content["agenda"][0]["outcome"] == "passed_as_amended"
    assert [(s["role"], s["name"]) for s in content["signature_block"]] == [
        ("signer", "김준호"),
        ("signer", "김진수"),
        ("confirmer", "윤충식"),
        ("author", "박창현"),
    ]
    assert meeting.unplaced_text == ""


@needs_reference
def test_the_chairs_question_becomes_the_resolution_of_item_1(imported):
    meeting, _ = imported
    resolution = Resolution.objects.get(meeting=meeting)
    assert resolution.question == "안건1 수정안에 대한 의결에 이의가 있으십니까?"
    assert (resolution.method, resolution.outcome) == ("no_objection", "passed_as_amended")
    assert (resolution.agenda_item.kind, resolution.agenda_item.number) == ("deliberation", 1)


@needs_reference
def test_redacted_speakers_are_flagged_not_guessed(imported):
    meeting, report = imported
    kinds = SpeakerBlock.objects.filter(meeting=meeting).values_list("speaker_kind", flat=True)
    assert set(kinds) == {"unidentified", "collective", "attendee"}
    # <000수석> is the one 배석 with that title: matched, and the report says so.
    suhsuk = meeting.speaker_blocks.filter(speaker_kind="attendee").first()
    assert suhsuk.attendee.person.name == "이상용"
    assert "이상용" in report
    assert "<000위원>" in report and "<간사>" in report  # to check


@needs_reference
def test_the_imported_minutes_page_and_pdf_show_all_70_statements(imported, admin_client):
    meeting, _ = imported
    reference = read_reference()
    page, _ = read_minutes(admin_client.get(meeting.get_absolute_url(), {"version": "public"}))
    assert page == [(f"<{label}>", statements) for label, statements in reference.remarks]

    text = squashed(body_text(render_minutes_pdf(minutes_content(meeting), public=True)))
    position = text.index(squashed("□ 위원 발언내용"))
    for label, statements in reference.remarks:
        position = text.index(squashed(f"<{label}>"), position)
        for statement in statements:
            found = text.find(squashed(f"○ {statement}"), position)
            assert found >= position, f"missing from the PDF: {statement[:30]}"
            position = found


@needs_reference
def test_a_dry_run_reports_and_saves_nothing(committee):
    report = run_import(REFERENCE, "--committee", "bigdata", "--dry-run")
    assert "57" in report
    assert "저장하지 않았습니다" in report
    assert not Meeting.objects.exists()
    assert not Person.objects.exists()


@needs_reference
def test_the_same_meeting_cannot_be_imported_twice(committee):
    run_import(REFERENCE, "--committee", "bigdata")
    with pytest.raises(CommandError, match="이미"):
        run_import(REFERENCE, "--committee", "bigdata")
    assert Meeting.objects.count() == 1


def test_an_unknown_committee_is_named_with_the_known_ones(committee, tmp_path):
    path = tmp_path / "minutes.txt"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(CommandError, match="bigdata"):
        run_import(path, "--committee", "nope")


def test_a_file_that_is_not_utf8_is_refused_clearly(committee, tmp_path):
    path = tmp_path / "minutes.txt"
    path.write_bytes("회의록".encode("euc-kr"))
    with pytest.raises(CommandError, match="UTF-8"):
        run_import(path, "--committee", "bigdata")


def test_a_document_without_date_or_place_is_refused_and_nothing_saved(committee, tmp_path):
    path = tmp_path / "minutes.txt"
    path.write_text("# 2024년 2차 「빅데이터심의위원회」 회의록\n\n### <간사>\n- 개회\n", "utf-8")
    with pytest.raises(CommandError) as refused:
        run_import(path, "--committee", "bigdata")
    assert "일 시" in str(refused.value) and "장 소" in str(refused.value)
    assert not Meeting.objects.exists()


TRANSCRIPT = """\
2025년 3차 「빅데이터심의위원회」 회의록

◆ 일 시 : 2025. 6. 5.(목) 10:00~11:30
◆ 장 소 : 본청 대회의실
◆ 참석위원 : 2명
  - 외부위원(2명) : 김준호, 김진수

□ 위원 발언내용

(10시 00분 개의)
○위원장 김준호  성원이 되었으므로 개의하겠습니다.
    오늘 안건은 하나입니다.
○김진수 위원  질의하겠습니다.
(“예” 하는 위원 있음)
알 수 없는 줄
- 3 -
"""


def test_a_transcript_imports_with_its_directions_and_unplaced_lines_kept(committee, tmp_path):
    path = tmp_path / "transcript.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    report = run_import(path, "--committee", "bigdata")
    meeting = Meeting.objects.get()
    remarks = [
        (b.speaker_kind, b.heading(public=False), [s.text for s in b.statements.all()])
        for b in meeting.speaker_blocks.all()
    ]
    assert remarks[0][2] == ["성원이 되었으므로 개의하겠습니다. 오늘 안건은 하나입니다."]
    assert remarks[1][1] == "김진수 위원"
    assert "(“예” 하는 위원 있음)" in remarks[1][2]
    # Before the first speaker: not a remark, not lost either.
    assert "(10시 00분 개의)" in meeting.unplaced_text
    assert "(10시 00분 개의)" in report
