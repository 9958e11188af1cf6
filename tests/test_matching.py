"""Speaker labels from pasted or imported text, matched to the meeting's people.

A label is matched only when exactly one person fits; everything else stays
unidentified with a reason, for the secretary to decide.
"""

import pytest

from agenda.matching import SpeakerMatcher
from committees.models import MemberRole

from .conftest import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def match(world):
    matcher = SpeakerMatcher(world.meeting)
    return matcher.match


def test_offices_are_matched_to_whoever_holds_them_on_the_day(world, match):
    assert match("간사").member == world.secretary
    assert match("위원장").member == world.chair
    assert match("위원장").role_label == "위원장"


def test_a_written_name_is_matched_to_the_roster(world, match):
    found = match("문가람 위원")
    assert (found.speaker_kind, found.member, found.how) == ("member", world.member_a, "name")
    assert found.role_label == "위원"


def test_a_written_name_is_matched_to_a_non_member_attendee(world, match):
    found = match("임채윤 팀장")
    assert (found.speaker_kind, found.attendee, found.role_label) == (
        "attendee",
        world.staff,
        "팀장",
    )


def test_a_redacted_member_is_left_for_the_secretary_with_a_reason(match):
    found = match("000위원")
    assert (found.speaker_kind, found.role_label, found.written_name) == (
        "unidentified",
        "000위원",
        "",
    )
    assert found.note


def test_a_title_shared_by_two_people_present_is_not_guessed(world, match):
    # 임채윤 교통데이터팀장 (attendee) and 오세린 교통정책팀장 (member) are both 팀장.
    found = match("000팀장")
    assert found.speaker_kind == "unidentified"
    assert "팀장" in found.note


def test_a_title_held_by_one_person_present_is_matched_and_says_so(world, match):
    found = match("000국장")  # 서지안 도시계획국장, an internal member present
    assert (found.speaker_kind, found.member, found.how) == ("member", world.internal, "title")
    assert "서지안" in found.note


def test_the_members_together_are_a_collective_speaker(match):
    found = match("위원")
    assert (found.speaker_kind, found.role_label) == ("collective", "위원")


def test_a_name_not_among_the_people_is_kept_as_written_for_masking(match):
    found = match("홍길동 위원")
    assert (found.speaker_kind, found.written_name, found.role_label) == (
        "unidentified",
        "홍길동",
        "위원",
    )


def test_two_chairs_on_the_roster_are_not_guessed(world):
    second = make_member(world.committee, "지소민", role=MemberRole.Role.CHAIR)
    found = SpeakerMatcher(world.meeting).match("위원장")
    # Only the chair who attended counts: the other is not marked present.
    assert found.member == world.chair
    world.meeting.attendances.create(member=second)
    assert SpeakerMatcher(world.meeting).match("위원장").speaker_kind == "unidentified"
