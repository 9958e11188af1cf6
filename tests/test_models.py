"""Rules the model enforces whatever the entry point: form, admin, service or ORM."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agenda.models import AgendaItem, Resolution, SpeakerBlock
from meetings.minutes import build_outline, format_meeting_time
from meetings.models import Attendance, Meeting, NonMemberAttendee, ProceedingsItem, Signatory

from .conftest import SEOUL, make_committee, make_member


def messages(exc_info):
    return " ".join(m for ms in exc_info.value.message_dict.values() for m in ms)


def test_a_meeting_ending_before_it_starts_is_refused(world):
    world.meeting.ends_at = world.meeting.starts_at - datetime.timedelta(hours=1)
    with pytest.raises(ValidationError) as exc_info:
        world.meeting.full_clean()
    assert "회의 종료 시각은 시작 시각보다 뒤여야 합니다." in messages(exc_info)
    with pytest.raises(IntegrityError), transaction.atomic():
        world.meeting.save()


def test_a_meeting_number_is_used_once_per_committee_and_year(world):
    duplicate = Meeting(
        committee=world.committee,
        year=2024,
        sequence=1,
        starts_at=world.meeting.starts_at,
        ends_at=world.meeting.ends_at,
        place="x",
        document_date=world.meeting.document_date,
    )
    with pytest.raises(ValidationError) as exc_info:
        duplicate.full_clean()
    assert "그해 같은 차수의 회의가 이미 있습니다" in messages(exc_info)


def test_an_agenda_number_is_used_once_per_kind(world):
    duplicate = AgendaItem(meeting=world.meeting, kind="deliberation", number=1, title="다른 안건")
    with pytest.raises(ValidationError) as exc_info:
        duplicate.full_clean()
    assert "같은 구분의 다른 안건이 이미 이 번호를 쓰고 있습니다." in messages(exc_info)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    # The same number in another kind is another item: 보고(자문) 【1】.
    AgendaItem(meeting=world.meeting, kind="report_advisory", number=1, title="보고").full_clean()


def test_a_member_of_another_committee_cannot_attend_as_a_member(world):
    stranger = make_member(make_committee("환경위원회", "environment"), "노을빛")
    with pytest.raises(ValidationError) as exc_info:
        Attendance(meeting=world.meeting, member=stranger).full_clean()
    assert "노을빛 님은 교통정책위원회 위원 명단에 없습니다." in messages(exc_info)


def test_a_speaker_must_match_its_kind(world):
    block = SpeakerBlock(meeting=world.meeting, position=1, speaker_kind="member")
    with pytest.raises(ValidationError) as exc_info:
        block.full_clean()
    assert "발언한 위원을 골라 주세요." in messages(exc_info)
    block = SpeakerBlock(
        meeting=world.meeting,
        position=1,
        speaker_kind="collective",
        member=world.chair,
        role_label="위원",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        block.save()


def test_a_members_label_defaults_to_their_role_on_the_day(world):
    block = SpeakerBlock(meeting=world.meeting, position=1, member=world.chair)
    block.full_clean()
    assert block.role_label == "위원장"


def test_speakers_from_another_meeting_are_refused(world):
    other_meeting = Meeting.objects.create(
        committee=world.committee,
        year=2024,
        sequence=2,
        starts_at=world.meeting.starts_at,
        ends_at=world.meeting.ends_at,
        place="x",
        document_date=world.meeting.document_date,
    )
    block = SpeakerBlock(
        meeting=other_meeting,
        position=1,
        speaker_kind="attendee",
        attendee=world.staff,
        role_label="팀장",
        agenda_item=world.item,
    )
    with pytest.raises(ValidationError) as exc_info:
        block.full_clean()
    assert "다른 회의에 기록된" in messages(exc_info)
    assert "다른 회의의 안건" in messages(exc_info)


def test_a_signer_who_did_not_attend_is_refused(world):
    signer = Signatory(meeting=world.meeting, role="signer", person=world.member_b.person)
    with pytest.raises(ValidationError) as exc_info:
        signer.validate_attended(world.meeting.present_member_ids())
    assert "배하늘 님은 이 회의에 위원으로 참석하지 않아" in messages(exc_info)
    # The confirmer and the author are staff: attendance does not apply.
    Signatory(
        meeting=world.meeting, role="confirmer", person=world.member_b.person
    ).validate_attended(set())


def test_one_confirmer_per_meeting(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Signatory.objects.create(meeting=world.meeting, role="confirmer", person=world.chair.person)


def test_vote_counts_go_with_the_method(world):
    by_consensus = Resolution(
        meeting=world.meeting,
        question="q",
        method="no_objection",
        votes_for=3,
        votes_against=0,
        outcome="passed",
    )
    with pytest.raises(ValidationError) as exc_info:
        by_consensus.full_clean()
    assert "이의 없음으로 의결한 경우 찬반 수를 적지 않습니다." in messages(exc_info)

    too_many = Resolution(
        meeting=world.meeting,
        question="q",
        method="show_of_hands",
        votes_for=3,
        votes_against=1,
        abstentions=0,
        outcome="passed",
    )
    with pytest.raises(ValidationError) as exc_info:
        too_many.full_clean()
    assert "찬반·기권이 모두 4표인데 참석 위원은 3명뿐입니다." in messages(exc_info)

    counted = Resolution(
        meeting=world.meeting,
        question="q",
        method="show_of_hands",
        votes_for=2,
        votes_against=1,
        outcome="passed",
    )
    counted.full_clean()
    assert counted.tally == "찬성 2, 반대 1, 기권 0"

    with pytest.raises(IntegrityError), transaction.atomic():
        Resolution.objects.create(
            meeting=world.meeting, question="q", method="ballot", outcome="passed"
        )


def test_a_non_member_attendee_needs_a_person_or_text(world):
    with pytest.raises(ValidationError) as exc_info:
        NonMemberAttendee(meeting=world.meeting, position=3).full_clean()
    assert "인물을 고르거나 내용을 직접 입력해 주세요." in messages(exc_info)


def test_a_group_entry_must_be_free_text(world):
    entry = NonMemberAttendee(
        meeting=world.meeting, position=3, description="x", included_in=world.staff
    )
    with pytest.raises(ValidationError) as exc_info:
        entry.full_clean()
    assert "담당 팀장 등" in messages(exc_info)


def test_outline_rules():
    assert ProceedingsItem.outline_errors([0, 1, 2, 1, 0]) == []
    assert ProceedingsItem.outline_errors([1]) != []
    assert ProceedingsItem.outline_errors([0, 2]) != []
    items = [ProceedingsItem(depth=d, text=t) for d, t in [(0, "a"), (1, "b"), (2, "c"), (0, "d")]]
    tree = build_outline(items)
    assert [n.text for n in tree] == ["a", "d"]
    assert tree[0].children[0].children[0].text == "c"


@pytest.mark.parametrize(
    "start, end, printed",
    [
        ((2024, 4, 18, 15, 0), (2024, 4, 18, 17, 0), "'24. 4. 18.(목) 15:00~17:00"),
        ((2026, 1, 5, 9, 30), (2026, 1, 5, 12, 0), "'26. 1. 5.(월) 09:30~12:00"),
        ((2025, 12, 31, 22, 0), (2026, 1, 1, 1, 0), "'25. 12. 31.(수) 22:00~'26. 1. 1.(목) 01:00"),
    ],
)
def test_meeting_time_reads_like_the_reference(start, end, printed):
    assert (
        format_meeting_time(
            datetime.datetime(*start, tzinfo=SEOUL), datetime.datetime(*end, tzinfo=SEOUL)
        )
        == printed
    )


def test_meeting_time_is_shown_in_seoul_time_whatever_the_stored_zone():
    utc = datetime.UTC
    assert (
        format_meeting_time(
            datetime.datetime(2024, 4, 18, 6, 0, tzinfo=utc),
            datetime.datetime(2024, 4, 18, 8, 0, tzinfo=utc),
        )
        == "'24. 4. 18.(목) 15:00~17:00"
    )
