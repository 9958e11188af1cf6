"""The records rules: what the minutes must state, checked on a draft before review
and on a signed version before it is published (meetings.completeness)."""

import datetime
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone, translation

from agenda.models import AgendaItem, Outcome, Resolution, SpeakerBlock
from meetings.completeness import (
    REQUIREMENTS,
    Requirement,
    missing_in_version,
    missing_items,
    requirement,
)
from meetings.minutes import minutes_content
from meetings.models import Attendance, Meeting, MeetingCheck
from meetings.services import (
    WorkflowError,
    confirm,
    publish,
    review_problems,
    send_for_review,
    sign,
)

from .conftest import signature_png

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The messages are read in English here; test_checks_panel.py reads them in Korean."""
    with translation.override("en"):
        yield


def content_of(meeting):
    return minutes_content(Meeting.objects.with_minutes().get(pk=meeting.pk))


def missing_codes(meeting):
    return [item.code for item in missing_items(content_of(meeting), committee=meeting.committee)]


def in_a_week():
    return timezone.now() + datetime.timedelta(days=7)


def send(world):
    return send_for_review(world.meeting, by=world.secretary.person.user, deadline=in_a_week())


# --- the rule, over the content --------------------------------------------------------------


def test_a_complete_meeting_misses_nothing(people):
    assert missing_items(content_of(people.meeting), committee=people.committee) == []
    assert review_problems(people.meeting) == []


def test_every_requirement_has_a_code_and_a_label():
    codes = [rule.code for rule in REQUIREMENTS]
    assert codes == [
        "name",
        "organisation",
        "when",
        "place",
        "attendees",
        "non_members",
        "proceedings",
        "agenda",
        "remarks",
        "decisions",
    ]
    assert all(str(rule.label) for rule in REQUIREMENTS)


# Each requirement taken out of a complete meeting, the way a person could leave it out.
def without_name(world):
    type(world.committee).objects.filter(pk=world.committee.pk).update(name="")


def without_organisation(world):
    type(world.committee).objects.filter(pk=world.committee.pk).update(organisation="")


def without_place(world):
    Meeting.objects.filter(pk=world.meeting.pk).update(place="  ")


def without_attendees(world):
    world.meeting.attendances.update(status=Attendance.Status.ABSENT)


def without_proceedings(world):
    world.meeting.proceedings.all().delete()


def without_agenda(world):
    world.meeting.agenda_items.all().delete()


def without_remarks(world):
    world.meeting.speaker_blocks.all().delete()


def without_decision(world):
    AgendaItem.objects.filter(pk=world.item.pk).update(outcome="")


@pytest.mark.parametrize(
    "take_out, code, words",
    [
        (without_name, "name", "The meeting's name is missing"),
        (without_organisation, "organisation", "The organising body is missing"),
        (without_place, "place", "The place is missing."),
        (without_attendees, "attendees", "No member is recorded as present"),
        (without_proceedings, "proceedings", "The order of proceedings is missing."),
        (without_agenda, "agenda", "No agenda item is listed."),
        (without_remarks, "remarks", "The remarks are missing"),
        (without_decision, "decisions", "Deliberation item 【1】 버스 노선 개편안 has no decision"),
    ],
)
def test_a_missing_item_is_listed_in_words_and_blocks_the_review(people, take_out, code, words):
    take_out(people)

    assert missing_codes(people.meeting) == [code]
    problems = review_problems(Meeting.objects.get(pk=people.meeting.pk))
    assert any(words in problem for problem in problems), problems
    with pytest.raises(WorkflowError) as refused:
        send(people)
    assert words in str(refused.value)
    assert Meeting.objects.get(pk=people.meeting.pk).status == "draft"


@pytest.mark.parametrize(
    "change, code, words",
    [
        (
            lambda content: content["meeting"].update(starts_at="", ends_at=""),
            "when",
            "The date and time are missing",
        ),
        (
            lambda content: content["meeting"].update(ends_at=content["meeting"]["starts_at"]),
            "when",
            "end time is not after its start time",
        ),
        (
            lambda content: content["attendance"].pop("non_members"),
            "non_members",
            "non-member attendees (배석) is missing",
        ),
        (
            lambda content: content["attendance"].update(non_members=["  "]),
            "non_members",
            "has a blank entry",
        ),
    ],
)
def test_what_the_database_cannot_leave_out_is_still_checked_in_the_content(
    people, change, code, words
):
    """A frozen version is content, not rows: the rule reads only the content."""
    content = content_of(people.meeting)
    change(content)

    missing = missing_items(content)

    assert [item.code for item in missing] == [code]
    assert words in missing[0].message


def test_a_meeting_without_non_member_attendees_is_complete(people):
    """배석 may rightly be empty: stated as nobody, not missing."""
    people.meeting.non_member_attendees.update(included_in=None)
    SpeakerBlock.objects.filter(meeting=people.meeting, attendee__isnull=False).delete()
    people.meeting.non_member_attendees.all().delete()

    assert content_of(people.meeting)["attendance"]["non_members"] == []
    assert missing_codes(people.meeting) == []


def test_stage_directions_alone_are_not_the_gist_of_the_remarks(people):
    content = content_of(people.meeting)
    content["remarks"] = [{"speaker": "", "label": "", "statements": ["(10시 12분 개의)"]}]
    assert [item.code for item in missing_items(content)] == ["remarks"]
    content["remarks"] = [
        {"speaker": "", "label": "", "kind": "direction", "statements": ["(10시 54분 회의중지)"]}
    ]
    assert [item.code for item in missing_items(content)] == ["remarks"]


def test_a_meeting_of_report_items_only_needs_no_decision(people):
    people.meeting.agenda_items.all().delete()
    AgendaItem.objects.create(
        meeting=people.meeting, kind=AgendaItem.Kind.REPORT, number=1, title="교통량 조사 보고"
    )
    AgendaItem.objects.create(
        meeting=people.meeting, kind=AgendaItem.Kind.ADVISORY, number=1, title="정류장 배치 자문"
    )

    assert missing_codes(people.meeting) == []
    send(people)
    assert Meeting.objects.get(pk=people.meeting.pk).status == "in_review"


def test_a_resolution_on_the_item_is_its_decision(people):
    AgendaItem.objects.filter(pk=people.item.pk).update(outcome="")
    Resolution.objects.create(
        meeting=people.meeting,
        agenda_item=people.item,
        question="버스 노선 개편안 원안 의결",
        method=Resolution.Method.SHOW_OF_HANDS,
        votes_for=3,
        votes_against=0,
        outcome=Outcome.PASSED,
    )

    assert missing_codes(people.meeting) == []


def test_a_counted_vote_must_give_its_counts(people):
    content = content_of(people.meeting)
    content["resolutions"] = [
        {
            "question": "버스 노선 개편안 의결",
            "agenda_item": {"kind": "deliberation", "number": 1},
            "method": "ballot",
            "method_label": "ballot",
            "votes": [None, None, None],
            "tally": "",
            "outcome": "passed",
            "outcome_label": "passed as proposed",
        }
    ]

    missing = missing_items(content)

    assert [item.code for item in missing] == ["decisions"]
    assert "“버스 노선 개편안 의결” was decided by ballot" in missing[0].message
    assert "vote counts are missing" in missing[0].message


def test_every_deliberation_item_is_named_when_undecided(people):
    AgendaItem.objects.filter(pk=people.item.pk).update(outcome="")
    AgendaItem.objects.create(
        meeting=people.meeting,
        kind=AgendaItem.Kind.DELIBERATION,
        number=2,
        title="택시 요금 조정안",
        outcome=Outcome.DEFERRED,
    )
    AgendaItem.objects.create(
        meeting=people.meeting, kind=AgendaItem.Kind.DELIBERATION, number=3, title="주차장 조례안"
    )

    messages = [item.message for item in missing_items(content_of(people.meeting))]

    assert len(messages) == 2
    assert "【1】 버스 노선 개편안" in messages[0] and "【3】 주차장 조례안" in messages[1]


# --- open points to check ----------------------------------------------------------------------


def test_open_points_to_check_block_the_review_with_their_words(people):
    for message in ["장소를 확인하세요", "일시를 확인하세요", "발언자를 확인하세요"]:
        MeetingCheck.objects.create(meeting=people.meeting, topic="line", message=message)
    MeetingCheck.objects.create(
        meeting=people.meeting, topic="place", message="참석자를 확인하세요"
    )
    MeetingCheck.objects.create(
        meeting=people.meeting,
        topic="line",
        message="이미 확인함",
        settled_at=timezone.now(),
        settled_by=people.secretary.person.user,
    )

    problems = review_problems(people.meeting)

    assert len(problems) == 1
    assert problems[0].startswith("4 points to check are still open: ")
    assert "“장소를 확인하세요”, “일시를 확인하세요”, “발언자를 확인하세요”, …" in problems[0]
    assert "이미 확인함" not in problems[0]
    with pytest.raises(WorkflowError, match="4 points to check"):
        send(people)

    MeetingCheck.objects.filter(meeting=people.meeting).update(settled_at=timezone.now())
    send(people)
    assert Meeting.objects.get(pk=people.meeting.pk).status == "in_review"


# --- publishing a signed version ---------------------------------------------------------------


def sign_all(version, world):
    for person in (world.chair.person, world.member_a.person):
        sign(
            version,
            user=person.user,
            shown_sha256=version.content_sha256,
            method="drawn",
            image=signature_png(),
        )


def test_confirming_a_text_that_lost_an_item_during_review_is_refused(people):
    send(people)
    # Still editable in review: the order of proceedings is taken out before
    # the confirmer freezes the text.
    people.meeting.proceedings.all().delete()

    with pytest.raises(WorkflowError) as refused:
        confirm(people.meeting, by=people.staff_person.user)

    assert "cannot be confirmed" in str(refused.value)
    assert "The order of proceedings is missing." in str(refused.value)
    assert Meeting.objects.get(pk=people.meeting.pk).status == "in_review"
    assert not people.meeting.versions.exists()


def test_publishing_a_version_that_misses_an_item_is_refused(people, settings):
    send(people)
    version = confirm(people.meeting, by=people.staff_person.user)
    sign_all(version, people)
    assert Meeting.objects.get(pk=people.meeting.pk).status == "signed"
    # The committee's rules grew after the version was signed: the signed
    # text does not state what they now require.
    settings.MINUTES_COMPLETENESS = {"traffic": ["tests.test_completeness.budget_stated"]}

    with pytest.raises(WorkflowError) as refused:
        publish(people.meeting, by=people.secretary.person.user)

    assert "Version 1 cannot be published" in str(refused.value)
    assert "The agenda must name the amount of the budget." in str(refused.value)
    assert Meeting.objects.get(pk=people.meeting.pk).status == "signed"
    # The rule read the signed version, not the live text.
    assert [item.code for item in missing_in_version(version)] == ["budget"]


def test_a_complete_signed_version_is_published(people):
    send(people)
    version = confirm(people.meeting, by=people.staff_person.user)
    sign_all(version, people)

    publish(people.meeting, by=people.secretary.person.user)

    assert Meeting.objects.get(pk=people.meeting.pk).status == "published"
    assert json.loads(version.content)["proceedings"][0]["text"] == "버스 노선 개편안 심의"


# --- a committee's own requirements --------------------------------------------------------


@requirement("budget", "budget")
def budget_stated(content):
    """An example of a committee's own rule: a deliberation on money names the amount."""
    titles = [item["title"] for item in content["agenda"]]
    if any("원" in title for title in titles):
        return []
    return ["The agenda must name the amount of the budget."]


def test_a_committee_can_require_more(people, settings):
    settings.MINUTES_COMPLETENESS = {"traffic": ["tests.test_completeness.budget_stated"]}

    assert missing_codes(people.meeting) == ["budget"]
    with pytest.raises(WorkflowError, match="name the amount of the budget"):
        send(people)

    AgendaItem.objects.filter(pk=people.item.pk).update(title="버스 노선 개편안(예산 3억원)")
    assert missing_codes(people.meeting) == []


def test_another_committees_requirements_do_not_apply(people, settings):
    settings.MINUTES_COMPLETENESS = {"housing": ["tests.test_completeness.budget_stated"]}
    assert missing_codes(people.meeting) == []
    settings.MINUTES_COMPLETENESS = {"*": ["tests.test_completeness.budget_stated"]}
    assert missing_codes(people.meeting) == ["budget"]


@pytest.mark.parametrize(
    "value",
    [
        {"traffic": ["tests.test_completeness.nowhere"]},
        {"traffic": ["tests.test_completeness.content_of"]},
        ["tests.test_completeness.budget_stated"],
    ],
)
def test_a_wrong_extension_names_the_setting(people, settings, value):
    settings.MINUTES_COMPLETENESS = value

    with pytest.raises(ImproperlyConfigured, match="MINUTES_COMPLETENESS"):
        missing_items(content_of(people.meeting), committee=people.committee)


def test_a_requirement_is_a_plain_value():
    assert isinstance(budget_stated, Requirement)
    assert budget_stated.check({"agenda": [{"title": "예산 5천만원"}]}) == []
