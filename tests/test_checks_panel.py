"""The editor's 확인할 사항 panel, its 확인 완료 button, and the 검토 요청 dialog that
lists the same reasons: what is missing from the minutes and what an import asked
a person to check, shown in Korean, settled only by whoever may edit the minutes."""

import datetime
import html
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from agenda.models import AgendaItem
from meetings.models import Meeting, MeetingCheck

from .conftest import make_committee, make_meeting
from .html import read_minutes

pytestmark = pytest.mark.django_db


def editor(client, meeting):
    response = client.get(reverse("editor:page", args=[meeting.pk]))
    assert response.status_code == 200
    return response


def panel_text(response):
    return read_minutes(response)[1].get("checks", "")


def settle_url(check):
    return reverse("meetings:settle_check", args=[check.meeting_id, check.pk])


@pytest.fixture
def imported(people):
    """A draft an import left with two points to check, and one already settled."""
    people.place_check = MeetingCheck.objects.create(
        meeting=people.meeting,
        topic="place",
        message="장소를 읽지 못했습니다. 회의 장소를 확인하세요.",
        source_line=4,
        source_text="장 소  시청 ○○실",
    )
    people.speaker_check = MeetingCheck.objects.create(
        meeting=people.meeting,
        topic="speaker",
        message="발언자를 명부에서 찾지 못했습니다.",
        source_line=27,
        source_text="○위원장직무대행 한도윤  의석을 정돈해 주시기 바랍니다.",
    )
    people.settled_check = MeetingCheck.objects.create(
        meeting=people.meeting,
        topic="day",
        message="날짜를 추정했습니다.",
        settled_at=timezone.now(),
        settled_by=people.secretary.person.user,
    )
    return people


def test_the_panel_lists_missing_items_and_open_points_in_korean(secretary_client, imported):
    Meeting.objects.filter(pk=imported.meeting.pk).update(place="")
    AgendaItem.objects.filter(pk=imported.item.pk).update(outcome="")

    response = editor(secretary_client, imported.meeting)
    text = panel_text(response)
    page = html.unescape(response.content.decode())

    # Two missing items and two open points.
    assert text.startswith(
        "확인할 사항 4건 남음 이 가운데 하나라도 남아 있으면 검토를 요청할 수 없습니다."
    )
    assert "장소 장소가 없습니다. 고치기" in text
    assert "결정사항 및 표결내용 심의안건 【1】 버스 노선 개편안의 의결 결과가 없습니다" in text
    # Each missing item links to the field that fixes it.
    assert 'href="#div_id_place"' in page and 'href="#div_id_items-0-outcome"' in page
    # The points to check, with the line and the text of the source they concern.
    assert "장소를 읽지 못했습니다. 회의 장소를 확인하세요. 원문 4행: 장 소 시청 ○○실" in text
    assert "원문 27행: ○위원장직무대행 한도윤 의석을 정돈해 주시기 바랍니다." in text
    assert page.count("확인 완료</button>") == 2
    # The settled point is out of the list, under a closed 확인한 사항 with who and when.
    assert re.search(r'<details class="mt-2" id="checks-settled">', page)
    assert "확인한 사항 (1)" in text
    assert "날짜를 추정했습니다. · 오세린 확인, " in text


def test_the_panel_follows_the_text_although_its_answer_is_cached(secretary_client, people):
    meeting = Meeting.objects.get(pk=people.meeting.pk)
    meeting.place = ""
    meeting.save()
    assert "장소가 없습니다." in panel_text(editor(secretary_client, meeting))
    assert "장소가 없습니다." in panel_text(editor(secretary_client, meeting))  # from the cache

    meeting.place = "시청 영상회의실(6층)"
    meeting.save()

    assert "장소가 없습니다." not in panel_text(editor(secretary_client, meeting))


def test_a_complete_draft_says_nothing_is_left(secretary_client, people):
    text = panel_text(editor(secretary_client, people.meeting))

    assert "확인할 사항" in text and "남은 확인할 사항이 없습니다" in text
    assert "확인 완료" not in text


def test_a_frozen_text_has_no_panel(secretary_client, imported):
    Meeting.objects.filter(pk=imported.meeting.pk).update(status=Meeting.Status.CONFIRMED)

    response = secretary_client.get(reverse("editor:page", args=[imported.meeting.pk]))

    assert 'id="checks"' not in response.content.decode()


# --- 확인 완료 ------------------------------------------------------------------------------


def test_the_secretary_settles_a_point_and_it_moves_to_the_settled_list(secretary_client, imported):
    response = secretary_client.post(settle_url(imported.place_check))

    assert response.status_code == 302
    assert response["Location"] == reverse("editor:page", args=[imported.meeting.pk]) + "#checks"
    check = MeetingCheck.objects.get(pk=imported.place_check.pk)
    assert check.settled_by == imported.secretary.person.user
    assert abs((timezone.now() - check.settled_at).total_seconds()) < 60
    page = html.unescape(editor(secretary_client, imported.meeting).content.decode())
    open_list = page[page.index('id="checks-open"') : page.index('id="checks-settled"')]
    assert "장소를 읽지 못했습니다" not in open_list
    assert "발언자를 명부에서 찾지 못했습니다." in open_list
    assert "확인한 사항 (2)" in page


def test_a_point_settled_before_is_not_settled_again(secretary_client, imported, django_user_model):
    other = django_user_model.objects.create_user("other-secretary", is_staff=True)
    imported.committee.secretaries.add(other)
    first = MeetingCheck.objects.get(pk=imported.settled_check.pk)

    secretary_client.force_login(other)
    response = secretary_client.post(settle_url(first))

    assert response.status_code == 302
    again = MeetingCheck.objects.get(pk=first.pk)
    assert (again.settled_at, again.settled_by_id) == (first.settled_at, first.settled_by_id)
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "이미 오세린님이" in message and "확인했습니다" in message


def test_a_signer_may_read_but_not_settle(client, imported):
    client.force_login(imported.chair.person.user)  # a designated signer

    assert client.get(imported.meeting.get_absolute_url()).status_code == 200
    assert client.post(settle_url(imported.place_check)).status_code == 403
    assert not MeetingCheck.objects.get(pk=imported.place_check.pk).is_settled


def test_another_committees_secretary_gets_404(client, imported, django_user_model):
    stranger = django_user_model.objects.create_user("housing-secretary")
    make_committee(name="주택정책위원회", slug="housing").secretaries.add(stranger)
    client.force_login(stranger)

    assert client.post(settle_url(imported.place_check)).status_code == 404
    assert not MeetingCheck.objects.get(pk=imported.place_check.pk).is_settled


def test_a_point_of_another_meeting_is_404_through_this_one(secretary_client, imported):
    other = make_meeting(imported.committee, sequence=2)
    elsewhere = MeetingCheck.objects.create(meeting=other, topic="place", message="다른 회의")
    url = reverse("meetings:settle_check", args=[imported.meeting.pk, elsewhere.pk])

    assert secretary_client.post(url).status_code == 404
    assert not MeetingCheck.objects.get(pk=elsewhere.pk).is_settled


def test_settling_needs_a_post(secretary_client, imported):
    response = secretary_client.get(settle_url(imported.place_check))

    assert response.status_code == 405
    assert not MeetingCheck.objects.get(pk=imported.place_check.pk).is_settled


def test_a_confirmed_text_settles_nothing(secretary_client, imported):
    Meeting.objects.filter(pk=imported.meeting.pk).update(status=Meeting.Status.CONFIRMED)

    response = secretary_client.post(settle_url(imported.place_check))

    assert response.status_code == 302
    assert not MeetingCheck.objects.get(pk=imported.place_check.pk).is_settled
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "확정" in message


# --- the 검토 요청 dialog -------------------------------------------------------------------


def test_the_review_dialog_lists_the_reasons_and_cannot_send(secretary_client, imported):
    Meeting.objects.filter(pk=imported.meeting.pk).update(place="")

    page = html.unescape(secretary_client.get(imported.meeting.get_absolute_url()).content.decode())

    dialog = page[page.index('id="send-for-review-dialog"') :]
    dialog = dialog[: dialog.index("</form>") if "</form>" in dialog else len(dialog)]
    assert "아직 검토를 요청할 수 없습니다" in dialog
    problems = re.findall(r"<li>(.*?)</li>", dialog[dialog.index('id="review-problems"') :])
    assert "장소가 없습니다." in problems
    assert any(p.startswith("확인할 사항 2건이 남아 있습니다: ") for p in problems)
    assert re.search(r"<button[^>]*data-confirmed disabled", dialog)
    assert "검토 요청 전에 처리할 사항이 있습니다." in page

    response = secretary_client.post(
        reverse("meetings:transition", args=[imported.meeting.pk, "send_for_review"]),
        {
            "deadline": (timezone.localtime() + datetime.timedelta(days=7)).strftime(
                "%Y-%m-%dT%H:%M"
            )
        },
    )
    assert Meeting.objects.get(pk=imported.meeting.pk).status == "draft"
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "장소가 없습니다." in message


def test_a_complete_draft_asks_only_for_confirmation(secretary_client, people):
    page = html.unescape(secretary_client.get(people.meeting.get_absolute_url()).content.decode())

    assert 'id="send-for-review-dialog"' in page
    assert 'id="review-problems"' not in page
    assert "검토 요청 전에 처리할 사항" not in page
