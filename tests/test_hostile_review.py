"""Hostile input to the members' review: comments, and the secretary's accept and decline.

A refused comment or decision is a 4xx page with the form and its error (or a
redirect carrying an error message); the comment rows and the minutes stay
exactly as they were.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agenda.models import ReviewComment
from agenda.services import comment
from meetings.services import send_for_review

from .hostile import (
    CONTROL_CHARACTERS,
    answered,
    hostile_client,
    refused,
    refused_or_cleaned,
    snapshot,
)

pytestmark = pytest.mark.django_db

# Just under Django's 2.5 MB limit for a form body: the form, not the limit, must refuse it.
HUGE = "가" * 800_000  # 2.4 MB in UTF-8


@pytest.fixture
def reviewing(world):
    world.blocks = world.add_remarks(3)
    send_for_review(
        world.meeting,
        by=world.secretary.person.user,
        deadline=timezone.now() + datetime.timedelta(days=7),
    )
    world.meeting.refresh_from_db()
    world.member = hostile_client(world.member_a.person.user)
    world.secretary_client = hostile_client(world.secretary.person.user)
    return world


def comment_url(world):
    return reverse("agenda:comment", args=[world.meeting.pk])


def on_block(world, **changes):
    return {
        "block": world.blocks[1].pk,
        "proposed_text": "- 고친 발언\n- 둘째 발언",
        "reason": "녹취와 다릅니다",
        **changes,
    }


def on_item(world, **changes):
    return {
        "item": world.item.pk,
        "proposed_text": "버스 노선 개편안(수정)",
        "reason": "제목이 다릅니다",
        **changes,
    }


@pytest.fixture
def open_comment(reviewing):
    return comment(
        reviewing.meeting,
        author=reviewing.member_a.person.user,
        block=reviewing.blocks[0],
        proposed_text="고친 발언",
        reason="녹취와 다릅니다",
    )


def decide_url(action, pk):
    return reverse(f"agenda:{action}", args=[pk])


def test_a_comment_and_a_decision_are_taken(reviewing, open_comment):
    """The starting point of every case below."""
    response = answered(reviewing.member.post(comment_url(reviewing), on_block(reviewing)))
    assert response.status_code == 302
    response = answered(
        reviewing.secretary_client.post(decide_url("decline", open_comment.pk), {"reply": "아님"})
    )
    assert response.status_code == 302
    assert ReviewComment.objects.filter(status="declined").count() == 1


@pytest.mark.parametrize("field", ["proposed_text", "reason"])
@pytest.mark.parametrize("target", ["block", "item"])
@pytest.mark.parametrize("character", CONTROL_CHARACTERS)
def test_control_characters_in_a_comment_are_refused_or_removed(
    reviewing, field, target, character
):
    data = (on_block if target == "block" else on_item)(reviewing)
    data[field] = f"{data[field]}{character}끝"
    before = snapshot(reviewing.meeting)

    response = reviewing.member.post(comment_url(reviewing), data)

    refused_or_cleaned(response, reviewing.meeting, before, [character])


@pytest.mark.parametrize("action", ["accept", "decline"])
@pytest.mark.parametrize("character", CONTROL_CHARACTERS)
def test_control_characters_in_a_reply_are_refused_or_removed(
    reviewing, open_comment, action, character
):
    before = snapshot(reviewing.meeting)

    response = reviewing.secretary_client.post(
        decide_url(action, open_comment.pk), {"reply": f"반영합니다{character}끝"}
    )

    refused_or_cleaned(response, reviewing.meeting, before, [character])


@pytest.mark.parametrize("field", ["proposed_text", "reason"])
def test_a_2_4_mb_comment_is_a_field_error(reviewing, field):
    before = snapshot(reviewing.meeting)

    refused(reviewing.member.post(comment_url(reviewing), on_block(reviewing, **{field: HUGE})))

    assert snapshot(reviewing.meeting) == before


@pytest.mark.parametrize("action", ["accept", "decline"])
def test_a_2_4_mb_reply_is_a_field_error(reviewing, open_comment, action):
    before = snapshot(reviewing.meeting)

    refused(reviewing.secretary_client.post(decide_url(action, open_comment.pk), {"reply": HUGE}))

    assert snapshot(reviewing.meeting) == before


def test_a_proposal_of_more_statements_than_a_block_holds_is_refused(reviewing):
    before = snapshot(reviewing.meeting)
    many = "\n".join(f"- 발언 {n}" for n in range(33_000))

    refused(reviewing.member.post(comment_url(reviewing), on_block(reviewing, proposed_text=many)))

    assert snapshot(reviewing.meeting) == before


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"block": "abc"}, id="block-word"),
        pytest.param({"block": "99999999999999999999"}, id="block-huge"),
        pytest.param({"block": "-1"}, id="block-negative"),
        pytest.param({"block": "1.5"}, id="block-fraction"),
        pytest.param({"block": "1\x00"}, id="block-nul"),
        pytest.param({"item": "1"}, id="block-and-item"),
        pytest.param({"block": ""}, id="no-target"),
        pytest.param({"proposed_text": "   \n  "}, id="blank-proposal"),
        pytest.param({"reason": ""}, id="no-reason"),
    ],
)
def test_a_comment_on_no_real_target_is_refused(reviewing, changes):
    before = snapshot(reviewing.meeting)

    refused(reviewing.member.post(comment_url(reviewing), on_block(reviewing, **changes)))

    assert snapshot(reviewing.meeting) == before


def test_a_title_longer_than_its_column_is_refused_not_cut(reviewing):
    before = snapshot(reviewing.meeting)

    refused(
        reviewing.member.post(comment_url(reviewing), on_item(reviewing, proposed_text="가" * 301))
    )

    assert snapshot(reviewing.meeting) == before


@pytest.mark.parametrize("action", ["accept", "decline"])
@pytest.mark.parametrize("pk", ["99999999999999999999", "0"])
def test_deciding_a_comment_that_does_not_exist_is_404(reviewing, action, pk):
    url = f"/review/comments/{pk}/{action}/"

    response = answered(reviewing.secretary_client.post(url, {"reply": "x"}))

    assert response.status_code == 404


@pytest.mark.parametrize("action", ["accept", "decline"])
def test_deciding_needs_a_post(reviewing, open_comment, action):
    before = snapshot(reviewing.meeting)

    response = answered(reviewing.secretary_client.get(decide_url(action, open_comment.pk)))

    assert response.status_code == 405
    assert snapshot(reviewing.meeting) == before


@pytest.mark.parametrize("action", ["accept", "decline"])
def test_a_decided_comment_cannot_be_decided_again(reviewing, open_comment, action):
    url = decide_url(action, open_comment.pk)
    reviewing.secretary_client.post(decide_url("decline", open_comment.pk), {"reply": "아님"})
    before = snapshot(reviewing.meeting)

    refused(reviewing.secretary_client.post(url, {"reply": "다시"}))

    assert snapshot(reviewing.meeting) == before
