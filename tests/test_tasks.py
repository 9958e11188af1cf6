"""My tasks: who must review, confirm or sign what, and the reminders by email."""

import datetime
import io
import types

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from meetings.models import Attendance, Meeting
from meetings.services import confirm, send_for_review, sign
from meetings.tasks import CONFIRM, REVIEW, SIGN, format_deadline, tasks_for

from .conftest import SEOUL, make_meeting, signature_png

PNG = signature_png()


def reviewed(world, deadline=None):
    deadline = deadline or timezone.now() + datetime.timedelta(days=7)
    return send_for_review(world.meeting, by=world.secretary.person.user, deadline=deadline)


def confirmed(world):
    reviewed(world)
    return confirm(world.meeting, by=world.staff_person.user)


def signed_by(version, person):
    return sign(
        version, user=person.user, shown_sha256=version.content_sha256, method="drawn", image=PNG
    )


def kinds(user):
    return [(task.kind, task.meeting.pk) for task in tasks_for(user)]


def rows(client, user):
    """(kind, meeting pk, link) of each row on the page."""
    client.force_login(user)
    response = client.get(reverse("meetings:tasks"))
    assert response.status_code == 200
    return [(t.kind, t.meeting.pk, t.url) for t in response.context["tasks"]]


# The page, persona by persona


def test_during_review_the_attending_members_and_the_block_review(client, people):
    world = people
    reviewed(world)
    pk = world.meeting.pk
    review = reverse("agenda:review", args=[pk])

    assert rows(client, world.secretary.person.user) == [("review", pk, review)]
    assert rows(client, world.member_a.person.user) == [("review", pk, review)]
    assert rows(client, world.chair.person.user) == [("review", pk, review)]


def test_during_review_the_confirmer_is_asked_to_confirm(client, people):
    world = people
    reviewed(world)
    pk = world.meeting.pk

    # Named in the signature block, the confirmer reviews too.
    assert rows(client, world.staff_person.user) == [
        ("review", pk, reverse("agenda:review", args=[pk])),
        ("confirm", pk, reverse("meetings:minutes", args=[pk])),
    ]


def test_after_confirmation_the_signers_who_have_not_signed_are_asked_to(client, people):
    world = people
    version = confirmed(world)
    pk = world.meeting.pk
    sign_url = reverse("meetings:sign", args=[pk])

    assert rows(client, world.chair.person.user) == [("sign", pk, sign_url)]
    assert rows(client, world.member_a.person.user) == [("sign", pk, sign_url)]
    assert rows(client, world.secretary.person.user) == []
    assert rows(client, world.staff_person.user) == []

    signed_by(version, world.chair.person)

    assert rows(client, world.chair.person.user) == []
    assert rows(client, world.member_a.person.user) == [("sign", pk, sign_url)]


def test_a_draft_and_signed_minutes_are_nobodys_task(people):
    world = people
    assert kinds(world.member_a.person.user) == []
    version = confirmed(world)
    signed_by(version, world.chair.person)
    signed_by(version, world.member_a.person)

    for person in [world.chair.person, world.member_a.person, world.staff_person]:
        assert kinds(person.user) == []


def test_an_absent_member_does_not_review(people, django_user_model):
    world = people
    world.member_b.person.user = django_user_model.objects.create_user("member_b")
    world.member_b.person.save()
    reviewed(world)

    assert kinds(world.member_b.person.user) == []


def test_an_outsider_has_nothing_to_do(client, people, django_user_model):
    reviewed(people)
    outsider = django_user_model.objects.create_user("outsider")
    staff = django_user_model.objects.create_user("admin", is_staff=True)

    assert rows(client, outsider) == []
    assert rows(client, staff) == []
    page = client.get(reverse("meetings:tasks")).content.decode()
    assert "<table" not in page


def test_anonymous_visitors_are_sent_to_the_login(client, db):
    response = client.get(reverse("meetings:tasks"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('meetings:tasks')}"


def test_the_deadline_is_shown_in_seoul_time_and_overdue_rows_stand_out(client, people):
    world = people
    deadline = datetime.datetime(2099, 5, 6, 9, 5, tzinfo=SEOUL)
    reviewed(world, deadline=deadline)
    client.force_login(world.member_a.person.user)

    page = client.get(reverse("meetings:tasks")).content.decode()
    assert "2099. 5. 6.(수) 09:05" in page
    assert "table-danger" not in page

    Meeting.objects.filter(pk=world.meeting.pk).update(
        review_deadline=datetime.datetime(2024, 4, 25, 18, 0, tzinfo=SEOUL)
    )
    page = client.get(reverse("meetings:tasks")).content.decode()
    assert "2024. 4. 25.(목) 18:00" in page
    assert "table-danger" in page
    assert [task.overdue for task in tasks_for(world.member_a.person.user)] == [True]


def test_format_deadline():
    moment = datetime.datetime(2024, 12, 31, 15, 30, tzinfo=datetime.UTC)

    assert format_deadline(moment) == "2025. 1. 1.(수) 00:30"
    assert format_deadline(None) == ""


def more_meetings_in_review(world, count):
    for sequence in range(2, count + 2):
        meeting = make_meeting(world.committee, sequence=sequence)
        Attendance.objects.create(meeting=meeting, member=world.member_a)
        Meeting.objects.filter(pk=meeting.pk).update(
            status=Meeting.Status.IN_REVIEW,
            review_deadline=timezone.now() + datetime.timedelta(days=sequence),
        )


@pytest.mark.parametrize("extra", [0, 4])
def test_the_page_runs_a_fixed_number_of_queries(client, people, extra, django_assert_num_queries):
    """1 or 5 meetings to act on (with a signature among them): the same 2 queries."""
    world = people
    confirmed(world)
    more_meetings_in_review(world, extra)
    client.force_login(world.member_a.person.user)

    # The user (the session is cached), and the tasks.
    with django_assert_num_queries(2):
        response = client.get(reverse("meetings:tasks"))
        assert response.content.decode().count("data-task=") == extra + 1

    assert sorted(task.kind for task in response.context["tasks"]) == [REVIEW] * extra + [SIGN]


# Reminders


@pytest.fixture
def addresses(people):
    world = people
    for user, email in [
        (world.secretary.person.user, "serin@example.kr"),
        (world.staff_person.user, "chaeyun@example.kr"),
    ]:
        user.email = email
        user.save()
    world.member_a.person.email = "garam@example.kr"  # on the person, not the login
    world.member_a.person.save()
    # The chair has a login but no address anywhere: no reminder.
    return world


def run(*args, now=None, monkeypatch=None):
    if now is not None:
        from meetings.management.commands import send_reminders

        monkeypatch.setattr(send_reminders, "timezone", types.SimpleNamespace(now=lambda: now))
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_reminders_go_to_the_reviewers_with_a_deadline_tomorrow(addresses, mailoutbox, settings):
    world = addresses
    settings.SITE_URL = "https://minutes.example.kr"
    reviewed(world, deadline=timezone.now() + datetime.timedelta(hours=20))
    mailoutbox.clear()

    output = run()

    assert output.strip() == "Sent 3 reminders."
    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert sorted(by_address) == ["chaeyun@example.kr", "garam@example.kr", "serin@example.kr"]
    body = by_address["garam@example.kr"].body
    assert "2024년 1차 교통정책위원회" in body
    assert f"https://minutes.example.kr/review/{world.meeting.pk}/" in body
    assert format_deadline(Meeting.objects.get().review_deadline) in body
    assert "문가람" in body
    # The confirmer is reminded of the review and of the confirmation, in one email.
    confirmer_body = by_address["chaeyun@example.kr"].body
    assert f"https://minutes.example.kr/meetings/{world.meeting.pk}/" in confirmer_body
    assert confirmer_body.count("https://minutes.example.kr/") == 2


def test_a_dry_run_sends_nothing_and_says_who_would_get_what(addresses, mailoutbox):
    reviewed(addresses, deadline=timezone.now() + datetime.timedelta(hours=20))
    mailoutbox.clear()

    output = run("--dry-run")

    assert mailoutbox == []
    assert "garam@example.kr (member_a)" in output
    assert "serin@example.kr (secretary)" in output
    assert "chaeyun@example.kr (confirmer)" in output
    assert "Dry run: 3 reminders would be sent" in output


def test_no_reminder_when_the_deadline_is_not_near(addresses, mailoutbox):
    reviewed(addresses)  # a week ahead
    mailoutbox.clear()

    assert run("--hours", "24").strip() == "Sent 0 reminders."
    assert mailoutbox == []
    assert run("--hours", "200").strip() == "Sent 3 reminders."


def test_no_reminder_for_tasks_already_done(addresses, mailoutbox, monkeypatch):
    world = addresses
    world.chair.person.user.email = "doyun@example.kr"
    world.chair.person.user.save()
    version = confirmed(world)  # the review is over
    signed_by(version, world.chair.person)
    mailoutbox.clear()

    assert run().strip() == "Sent 0 reminders."  # just confirmed: signatures not late yet

    later = timezone.now() + datetime.timedelta(hours=30)
    assert run(now=later, monkeypatch=monkeypatch).strip() == "Sent 1 reminders."
    assert [mail.to for mail in mailoutbox] == [["garam@example.kr"]]
    assert f"/meetings/{world.meeting.pk}/sign/" in mailoutbox[0].body


def test_a_confirmation_past_its_deadline_is_reminded(addresses, mailoutbox):
    world = addresses
    reviewed(world)
    Meeting.objects.filter(pk=world.meeting.pk).update(
        review_deadline=timezone.now() - datetime.timedelta(days=2)
    )
    mailoutbox.clear()

    run()

    # The review is closed for the members; the confirmer still has to confirm.
    assert [mail.to for mail in mailoutbox] == [["chaeyun@example.kr"]]
    assert [task.kind for task in tasks_for(world.staff_person.user)] == [REVIEW, CONFIRM]
