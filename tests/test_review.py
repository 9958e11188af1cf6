"""Members' review: correction requests on one speaker block or agenda item while
the draft is in review, and the secretary accepting (the text changes) or
declining (with a reply) them."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from agenda.models import AgendaItem, ReviewComment, Statement
from agenda.services import accept_comment, comment, decline_comment
from meetings.services import WorkflowError, send_for_review

from .conftest import add_block, make_meeting
from .html import read_minutes


def in_a_week():
    return timezone.now() + datetime.timedelta(days=7)


@pytest.fixture
def reviewing(world):
    """The world's meeting with three speaker blocks, sent for review."""
    world.blocks = world.add_remarks(3)
    send_for_review(world.meeting, by=world.secretary.person.user, deadline=in_a_week())
    world.meeting.refresh_from_db()
    return world


def login(client, user):
    client.force_login(user)
    return client


def review_url(world):
    return reverse("agenda:review", args=[world.meeting.pk])


def comment_url(world):
    return reverse("agenda:comment", args=[world.meeting.pk])


def statements_of(block):
    return list(Statement.objects.filter(block=block).values_list("text", flat=True))


def ask(world, block=None, item=None, text="고친 발언 1\n고친 발언 2", reason="녹취와 다릅니다"):
    return comment(
        world.meeting,
        author=world.member_a.person.user,
        block=block,
        item=item,
        proposed_text=text,
        reason=reason,
    )


def test_a_member_comments_on_a_block_while_in_review(client, reviewing):
    world = reviewing
    block = world.blocks[1]
    login(client, world.member_a.person.user)
    page = client.get(review_url(world)).content.decode()
    assert f'id="comment-block-{block.pk}"' in page
    assert f'id="comment-item-{world.item.pk}"' in page

    response = client.post(
        comment_url(world),
        {
            "block": block.pk,
            "proposed_text": "- 고친 발언\n\n- 둘째 발언",
            "reason": "녹취와 다릅니다",
        },
    )

    assert response.status_code == 302
    assert response.url == review_url(world)
    comment = ReviewComment.objects.get()
    assert (comment.speaker_block, comment.agenda_item) == (block, None)
    assert comment.author == world.member_a.person.user
    assert comment.status == "open"
    assert comment.reason == "녹취와 다릅니다"
    # The text itself is untouched until the secretary accepts.
    assert statements_of(block) == ["발언 2-1", "발언 2-2", "발언 2-3"]


def test_the_page_shows_the_minutes_as_they_print(client, reviewing):
    world = reviewing
    login(client, world.member_a.person.user)

    remarks, texts = read_minutes(client.get(review_url(world)))
    printed, printed_texts = read_minutes(client.get(world.meeting.get_absolute_url()))

    assert remarks == printed
    assert texts["overview"] == printed_texts["overview"]
    assert texts["signature-block"] == printed_texts["signature-block"]


def test_outsiders_get_404(client, reviewing, django_user_model):
    world = reviewing
    login(client, django_user_model.objects.create_user("outsider"))

    assert client.get(review_url(world)).status_code == 404
    response = client.post(
        comment_url(world), {"block": world.blocks[0].pk, "proposed_text": "x", "reason": "y"}
    )
    assert response.status_code == 404
    assert not ReviewComment.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, reviewing):
    response = client.get(review_url(reviewing))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_a_member_who_did_not_attend_is_refused(client, reviewing, django_user_model):
    world = reviewing
    world.member_b.person.user = django_user_model.objects.create_user("member_b")
    world.member_b.person.save()
    login(client, world.member_b.person.user)

    page = client.get(review_url(world)).content.decode()
    assert 'id="comment-block-' not in page
    response = client.post(
        comment_url(world),
        {"block": world.blocks[0].pk, "proposed_text": "x", "reason": "y"},
        follow=True,
    )

    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not ReviewComment.objects.exists()


def test_the_confirmer_named_in_the_signature_block_may_comment(reviewing, django_user_model):
    world = reviewing
    world.staff_person.user = django_user_model.objects.create_user("confirmer")
    world.staff_person.save()

    made = comment(
        world.meeting,
        author=world.staff_person.user,
        item=world.item,
        proposed_text="버스 노선 개편(안)",
        reason="공문 제목",
    )
    assert made.status == "open"


def test_commenting_on_a_draft_is_refused(client, world):
    block = world.add_remarks(1)[0]
    with pytest.raises(WorkflowError):
        ask(world, block=block)

    login(client, world.member_a.person.user)
    page = client.get(review_url(world)).content.decode()
    assert 'id="review-closed"' in page
    assert 'id="comment-block-' not in page
    client.post(comment_url(world), {"block": block.pk, "proposed_text": "x", "reason": "y"})
    assert not ReviewComment.objects.exists()


def test_a_block_of_another_meeting_is_refused(reviewing):
    world = reviewing
    other = make_meeting(world.committee, sequence=2)
    foreign = add_block(other, 1, ["다른 회의"], member=world.chair)
    with pytest.raises(WorkflowError):
        ask(world, block=foreign)
    with pytest.raises(WorkflowError):
        ask(world, block=world.blocks[0], item=world.item)
    with pytest.raises(WorkflowError):
        ask(world, block=world.blocks[0], reason="  ")
    assert not ReviewComment.objects.exists()


def test_the_secretary_accepts_and_the_statements_are_replaced(client, reviewing):
    world = reviewing
    block = world.blocks[0]
    before = statements_of(block)
    made = ask(world, block=block, text="○ 고친 발언 1\n고친 발언 2")
    login(client, world.secretary.person.user)

    page = client.get(review_url(world)).content.decode()
    assert f'id="accept-{made.pk}"' in page and f'id="decline-{made.pk}"' in page

    response = client.post(reverse("agenda:accept", args=[made.pk]), {"reply": "반영했습니다"})

    assert response.status_code == 302
    assert statements_of(block) == ["고친 발언 1", "고친 발언 2"]
    made.refresh_from_db()
    assert made.status == "accepted"
    assert made.previous_text == "\n".join(before)
    assert made.reply == "반영했습니다"
    assert made.decided_by == world.secretary.person.user
    assert made.decided_at is not None


def test_declining_needs_a_reply(client, reviewing):
    world = reviewing
    made = ask(world, block=world.blocks[0])
    secretary = world.secretary.person.user
    with pytest.raises(WorkflowError):
        decline_comment(made, by=secretary, reply="  ")

    login(client, secretary)
    response = client.post(reverse("agenda:decline", args=[made.pk]), {"reply": ""}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    made.refresh_from_db()
    assert made.status == "open"

    client.post(reverse("agenda:decline", args=[made.pk]), {"reply": "녹취록대로입니다"})
    made.refresh_from_db()
    assert (made.status, made.reply) == ("declined", "녹취록대로입니다")
    assert statements_of(world.blocks[0]) == ["발언 1-1", "발언 1-2"]


def test_a_member_cannot_accept_or_decline(client, reviewing):
    world = reviewing
    made = ask(world, block=world.blocks[0])
    login(client, world.member_a.person.user)

    assert client.post(reverse("agenda:accept", args=[made.pk])).status_code == 403
    assert client.post(reverse("agenda:decline", args=[made.pk]), {"reply": "x"}).status_code == 403
    made.refresh_from_db()
    assert made.status == "open"


def test_change_permission_on_meetings_is_enough_to_decide(client, reviewing, django_user_model):
    world = reviewing
    made = ask(world, block=world.blocks[0])
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="change_meeting"))
    login(client, clerk)

    client.post(reverse("agenda:accept", args=[made.pk]))
    made.refresh_from_db()
    assert made.status == "accepted"


def test_the_member_sees_the_outcome_and_the_reply(client, reviewing):
    world = reviewing
    secretary = world.secretary.person.user
    accepted = ask(world, block=world.blocks[0], text="새 발언")
    declined = ask(world, block=world.blocks[1], text="다른 발언")
    accept_comment(accepted, by=secretary, reply="반영했습니다")
    decline_comment(declined, by=secretary, reply="녹취록대로입니다")
    login(client, world.member_a.person.user)

    page = client.get(review_url(world)).content.decode()

    assert f'id="comment-{accepted.pk}"' in page and f'id="comment-{declined.pk}"' in page
    assert "반영했습니다" in page and "녹취록대로입니다" in page
    # What changed: the old wording beside the new.
    assert "<del>발언 1-1<br>발언 1-2</del>" in page
    assert "<ins>새 발언</ins>" in page
    assert "accept-" not in page  # no buttons for a member
    # The minutes on the page already read as accepted.
    assert '<li class="statement">새 발언</li>' in page


def test_a_member_sees_only_their_own_comments(client, reviewing, django_user_model):
    world = reviewing
    world.chair.person.user = django_user_model.objects.create_user("chair")
    world.chair.person.save()
    mine = ask(world, block=world.blocks[0])
    theirs = comment(
        world.meeting,
        author=world.chair.person.user,
        block=world.blocks[1],
        proposed_text="위원장 발언",
        reason="오타",
    )
    login(client, world.member_a.person.user)

    page = client.get(review_url(world)).content.decode()

    assert f'id="comment-{mine.pk}"' in page
    assert f'id="comment-{theirs.pk}"' not in page


def test_accepting_twice_is_refused(reviewing):
    world = reviewing
    secretary = world.secretary.person.user
    made = ask(world, block=world.blocks[0], text="첫 수정")
    accept_comment(made, by=secretary)
    with pytest.raises(WorkflowError):
        accept_comment(made, by=secretary)
    with pytest.raises(WorkflowError):
        decline_comment(made, by=secretary, reply="늦었습니다")
    made.refresh_from_db()
    assert made.previous_text == "발언 1-1\n발언 1-2"


def test_accepting_after_the_review_is_refused(reviewing, django_user_model):
    from meetings.services import confirm

    world = reviewing
    world.staff_person.user = django_user_model.objects.create_user("confirmer")
    world.staff_person.save()
    made = ask(world, block=world.blocks[0])
    confirm(world.meeting, by=world.staff_person.user)

    with pytest.raises(WorkflowError):
        accept_comment(made, by=world.secretary.person.user)
    assert statements_of(world.blocks[0]) == ["발언 1-1", "발언 1-2"]
    # An open comment can still be closed with a reply.
    decline_comment(made, by=world.secretary.person.user, reply="확정 후 접수되었습니다")


def test_a_comment_on_an_agenda_item_changes_its_title(client, reviewing):
    world = reviewing
    login(client, world.member_a.person.user)
    client.post(
        comment_url(world),
        {"item": world.item.pk, "proposed_text": " 시내버스  노선 개편안 ", "reason": "정식 명칭"},
    )
    made = ReviewComment.objects.get()
    assert made.agenda_item == world.item

    accept_comment(made, by=world.secretary.person.user)

    assert AgendaItem.objects.get(pk=world.item.pk).title == "시내버스 노선 개편안"
    made.refresh_from_db()
    assert made.previous_text == "버스 노선 개편안"


@pytest.mark.parametrize("blocks", [10, 40])
def test_query_count_does_not_grow_with_the_remarks(
    blocks, client, world, django_assert_num_queries
):
    made = world.add_remarks(blocks)
    send_for_review(world.meeting, by=world.secretary.person.user, deadline=in_a_week())
    for block in made[:3]:
        ask(world, block=block)
    ask(world, item=world.item, text="새 제목")
    login(client, world.secretary.person.user)
    # the user (the session is cached), the meeting and its 10 prefetches (as
    # on the minutes page), the latest frozen version (none here), then the
    # comments with their authors: one query each; and the secretary's
    # permissions (user and group, the first time: minutes_site.permissions)
    # for the staff links in the menu; the menu's task badge
    # (meetings.tasks.tasks_for, one query the first time).
    with django_assert_num_queries(17):
        response = client.get(review_url(world))
    assert response.content.decode().count('class="remark"') == blocks
    assert response.content.decode().count('class="card mb-2 review-comment') == 4


def test_after_an_amendment_members_see_what_changed_since_the_signed_version(client, people):
    from meetings.services import amend, confirm, sign

    from .conftest import signature_png
    from .test_workflow import reviewed

    reviewed(people)
    version = confirm(people.meeting, by=people.staff_person.user)
    for person in [people.chair.person, people.member_a.person]:
        sign(
            version,
            user=person.user,
            shown_sha256=version.content_sha256,
            method="drawn",
            image=signature_png(),
        )
    amend(people.meeting, by=people.secretary.person.user, reason="발언 정정")
    block = people.meeting.speaker_blocks.order_by("position").first()
    old_text = block.statements.first().text
    block.statements.update(text="정정한 발언")
    reviewed(people)
    client.force_login(people.member_a.person.user)

    page = client.get(reverse("agenda:review", args=[people.meeting.pk])).content.decode()

    assert "제1판 이후 바뀐 내용" in page
    changes = page[page.index('id="changes"') : page.index('id="comments"')]
    assert "<del>" in changes and old_text in changes
    assert "정정한 발언" in changes
    assert changes.count('class="card card-body') == 1
