"""import_minutes: a whole minutes document becomes a draft meeting.

The real reference document must import completely: every speaker block and
statement in order, the overview filled, nothing lost or duplicated, and
its minutes page and PDF then show all of it. Other documents show how the
command reports what it could not place, and that a refused import saves
nothing.
"""

import datetime
import io
import os

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from agenda.importing import ImportRefused, Overrides, import_minutes, preview
from agenda.models import Resolution, SpeakerBlock, Statement
from committees.models import Committee, Member, Person
from meetings.minutes import minutes_content
from meetings.models import Meeting, MeetingCheck
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
def test_the_same_document_imported_twice_gets_the_next_free_number_and_a_check(committee):
    run_import(REFERENCE, "--committee", "bigdata")
    report = run_import(REFERENCE, "--committee", "bigdata")
    assert list(Meeting.objects.order_by("sequence").values_list("year", "sequence")) == [
        (2024, 1),
        (2024, 2),
    ]
    second = Meeting.objects.get(sequence=2)
    [check] = second.checks.filter(topic="sequence")
    assert "2024" in check.message and "2" in check.message
    assert check.message in report


def test_an_unknown_committee_is_named_with_the_known_ones(committee, tmp_path):
    path = tmp_path / "minutes.txt"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(CommandError, match="bigdata"):
        run_import(path, "--committee", "nope")


def test_a_document_without_date_or_place_becomes_a_draft_with_checks(committee, tmp_path):
    path = tmp_path / "minutes.txt"
    path.write_text("# 2024년 2차 「빅데이터심의위원회」 회의록\n\n### <간사>\n- 개회\n", "utf-8")
    report = run_import(path, "--committee", "bigdata")
    meeting = Meeting.objects.get()
    assert (meeting.year, meeting.sequence) == (2024, 2)
    assert meeting.place == "(장소 미상)" or meeting.place == "(place unknown)"
    topics = set(meeting.checks.values_list("topic", flat=True))
    assert {"day", "starts", "ends", "place"} <= topics
    for check in meeting.checks.all():
        assert check.message in report
    assert [s.text for s in Statement.objects.filter(block__meeting=meeting)] == ["개회"]


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


def test_a_transcript_imports_with_its_directions_as_entries_of_their_own(committee, tmp_path):
    path = tmp_path / "transcript.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    report = run_import(path, "--committee", "bigdata")
    meeting = Meeting.objects.get()
    remarks = [
        (b.speaker_kind, b.heading(public=False), [s.text for s in b.statements.all()])
        for b in meeting.speaker_blocks.all()
    ]
    assert remarks[:4] == [
        ("direction", "", ["(10시 00분 개의)"]),
        ("member", "김준호 위원장", ["성원이 되었으므로 개의하겠습니다. 오늘 안건은 하나입니다."]),
        ("member", "김진수 위원", ["질의하겠습니다."]),
        ("direction", "", ["(“예” 하는 위원 있음)"]),
    ]
    # A line that is nobody's: kept, in the record or in the unplaced note.
    kept = meeting.unplaced_text + " ".join(s for _k, _h, texts in remarks for s in texts)
    assert "알 수 없는 줄" in kept
    assert "1 stage direction" in report or "2" in report


# --- Never refused, never a crash: fallbacks and checks --------------------------------

ONE_REMARK = "○위원장 김준호  개의하겠습니다.\n"


def counts():
    return (Meeting.objects.count(), Person.objects.count(), Statement.objects.count())


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param(" \n\t\n\u3000\n" * 50, id="whitespace-only"),
        pytest.param(bytes(range(256)).decode("latin-1") * 40, id="binary-garbage"),
        pytest.param("\x00" * 1000, id="nul-only"),
        pytest.param("%PDF-1.7\n" + "\ufffd\x07\x1b" * 3000, id="undecodable-pdf"),
    ],
)
def test_a_document_without_minutes_is_refused_clearly_and_nothing_saved(committee, text):
    before = counts()
    with pytest.raises(ImportRefused) as refused:
        import_minutes(text, committee)
    assert "Nothing was imported" in str(refused.value) or "가져오지" in str(refused.value)
    assert counts() == before


def test_a_megabyte_on_one_line_is_refused_or_kept_whole_never_a_crash(committee):
    line = "가나다라마바사 " * 130_000  # over 1 MB of UTF-8, no line break
    try:
        report = import_minutes(line, committee)
    except ImportRefused:
        assert counts() == (0, 0, 0)
        return
    meeting = report.meeting
    kept = meeting.unplaced_text + "".join(
        Statement.objects.filter(block__meeting=meeting).values_list("text", flat=True)
    )
    assert len(kept.replace(" ", "")) >= len(line.replace(" ", ""))


def test_one_remark_and_nothing_else_becomes_a_draft_with_a_check_per_fallback(committee):
    report = import_minutes(ONE_REMARK, committee)
    meeting = report.meeting
    today = timezone.localdate()
    assert meeting.status == "draft"
    assert (meeting.year, meeting.sequence) == (today.year, 1)
    assert timezone.localtime(meeting.starts_at).date() == today
    topics = sorted(meeting.checks.values_list("topic", flat=True))
    assert {"day", "sequence", "starts", "ends", "place"} <= set(topics)
    assert len(report.checks) == meeting.checks.count()
    assert report.blocks == 1 and report.statements == 1
    # The checks stop the draft from going to review until somebody looks.
    from meetings.services import review_problems

    assert any("확인" in p or "check" in p for p in map(str, review_problems(meeting)))


def test_a_number_already_taken_moves_to_the_next_free_one(committee):
    first = import_minutes("2030년 3차 회의록\n" + ONE_REMARK, committee).meeting
    second = import_minutes("2030년 3차 회의록\n" + ONE_REMARK, committee).meeting
    assert (first.year, first.sequence) == (2030, 3)
    assert (second.year, second.sequence) == (2030, 4)
    assert second.checks.filter(topic="sequence").exists()
    assert not first.checks.filter(topic="sequence").exists()


def test_overrides_win_over_the_document(committee):
    overrides = Overrides(
        year=2031,
        sequence=7,
        day=datetime.date(2031, 3, 4),
        starts=datetime.time(14, 5),
        ends=datetime.time(15, 40),
        place="본관 3층 회의실",
    )
    report = import_minutes(TRANSCRIPT, committee, overrides=overrides)
    meeting = report.meeting
    assert (meeting.year, meeting.sequence, meeting.place) == (2031, 7, "본관 3층 회의실")
    assert timezone.localtime(meeting.starts_at).isoformat() == "2031-03-04T14:05:00+09:00"
    assert timezone.localtime(meeting.ends_at).isoformat() == "2031-03-04T15:40:00+09:00"
    assert not meeting.checks.filter(topic__in=["day", "starts", "ends", "place"]).exists()


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param(Overrides(year=2029, day=datetime.date(2031, 3, 4)), id="year-not-the-dates"),
        pytest.param(
            Overrides(starts=datetime.time(15), ends=datetime.time(14)), id="ends-before-start"
        ),
    ],
)
def test_impossible_overrides_are_refused_in_words(committee, overrides):
    with pytest.raises(ImportRefused):
        import_minutes(TRANSCRIPT, committee, overrides=overrides)
    assert counts() == (0, 0, 0)


def test_an_override_number_already_taken_is_refused(committee):
    import_minutes(TRANSCRIPT, committee)
    with pytest.raises(ImportRefused, match="2025"):
        import_minutes(TRANSCRIPT, committee, overrides=Overrides(sequence=3))
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize(
    "when",
    [
        "0001. 6. 5.(목) 10:00~11:30",
        "1947. 6. 5.(목) 10:00~11:30",
        "2025. 6. 5.(목) 11:30~10:00",
    ],
)
def test_an_impossible_date_in_the_document_becomes_a_check(committee, when):
    text = TRANSCRIPT.replace("2025. 6. 5.(목) 10:00~11:30", when)
    meeting = import_minutes(text, committee).meeting
    assert meeting.checks.filter(topic__in=["day", "ends", "year"]).exists()
    assert meeting.ends_at > meeting.starts_at


def test_preview_reports_what_import_would_do_and_saves_nothing(committee):
    report = preview(TRANSCRIPT, committee)
    assert counts() == (0, 0, 0)
    assert not MeetingCheck.objects.exists()
    assert report.meeting.pk is None
    assert (report.meeting.year, report.meeting.sequence) == (2025, 3)
    assert (report.blocks, report.directions, report.convention) == (3, 2, "transcript")
    assert report.document.overview.place == "본청 대회의실"
    imported = import_minutes(TRANSCRIPT, committee)
    assert (imported.blocks, imported.statements, imported.checks) == (
        report.blocks,
        report.statements,
        report.checks,
    )


def test_the_report_lines_show_convention_counts_and_checks(committee):
    report = import_minutes(ONE_REMARK, committee)
    text = "\n".join(report.lines())
    assert str(round(report.confidence * 100)) in text
    for _line, message in report.checks:
        assert message in text


def test_new_members_are_listed_as_new_people(committee):
    report = import_minutes(TRANSCRIPT, committee)
    assert len(report.new_people) == 2
    assert any("김준호" in line for line in report.new_people)
    assert report.attendees == 2


RUN_TOGETHER = """\
2030년 2차 빅데이터심의위원회 회의록
일 시 : 2030. 5. 7.(화) 10:00~11:00
장 소 : 3층 회의실
출석위원 : 위원장 홍길동, 위원 김철수이영희박민수

○위원장 홍길동  개의하겠습니다.
○김철수 위원  질의하겠습니다.
"""


def test_names_run_together_are_split_by_the_roster(committee):
    for name in ("김철수", "이영희"):
        Member.objects.create(
            committee=committee,
            person=Person.objects.create(name=name),
            kind=Member.Kind.INTERNAL,
            term_start=datetime.date(2030, 1, 1),
        )
    report = import_minutes(RUN_TOGETHER, committee)
    meeting = report.meeting
    present = set(
        meeting.attendances.filter(status="present").values_list("member__person__name", flat=True)
    )
    assert present == {"홍길동", "김철수", "이영희", "박민수"}
    assert not meeting.checks.filter(source_text__contains="이영희박민수").exists()
    # The roster decides the kind of those it knows; the new ones are offered.
    assert Member.objects.get(person__name="이영희").kind == Member.Kind.INTERNAL
    assert sorted(line.split(" ")[0] for line in report.new_people) == ["박민수", "홍길동"]


def test_names_nobody_can_split_stay_a_check_not_a_person(committee):
    report = import_minutes(RUN_TOGETHER, committee)
    meeting = report.meeting
    assert not Person.objects.filter(name__contains="이영희박민수").exists()
    [check] = meeting.checks.filter(source_text__contains="이영희박민수")
    assert check.topic == "attendees" and check.source_line == 4


def test_overlong_overview_texts_are_quoted_whole_in_a_check_not_cut_silently(committee):
    place, title = "가" * 250, "조례안 " * 90
    text = TRANSCRIPT.replace("본청 대회의실", place).replace(
        "◆ 참석위원", f"◆ 의사일정\n1. {title.strip()}\n◆ 참석위원"
    )
    meeting = import_minutes(text, committee).meeting
    assert meeting.place in ("(장소 미상)", "(place unknown)")
    assert meeting.checks.get(topic="place").source_text == place
    [item] = meeting.agenda_items.all()
    assert len(item.title) == 300
    assert meeting.checks.get(topic="agenda").source_text == title.strip()
