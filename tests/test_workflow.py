"""The minutes workflow: review, confirmation that freezes a version, signatures,
publication and amendment, each refusal leaving everything as it was."""

import datetime
import hashlib
import json

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from agenda.models import SpeakerBlock, Statement
from agenda.services import replace_statements
from meetings.models import FrozenRecordError, Meeting, MinutesVersion, Signature, StatusChange
from meetings.services import WorkflowError, amend, confirm, publish, send_for_review, sign

from .conftest import add_block, signature_png

PNG = signature_png()


def in_a_week():
    return timezone.now() + datetime.timedelta(days=7)


def reviewed(world):
    return send_for_review(world.meeting, by=world.secretary.person.user, deadline=in_a_week())


def confirmed(world):
    reviewed(world)
    return confirm(world.meeting, by=world.staff_person.user)


def signed_by(version, person):
    return sign(
        version, user=person.user, shown_sha256=version.content_sha256, method="drawn", image=PNG
    )


def status_of(meeting):
    return Meeting.objects.get(pk=meeting.pk).status


def test_the_whole_way_from_draft_to_published_leaves_a_trail(people):
    world = people
    secretary = world.secretary.person.user

    reviewed(world)
    version = confirm(world.meeting, by=world.staff_person.user)
    signed_by(version, world.chair.person)
    assert status_of(world.meeting) == "signing"
    signed_by(version, world.member_a.person)
    assert status_of(world.meeting) == "signed"
    publish(world.meeting, by=secretary)

    trail = list(
        StatusChange.objects.filter(meeting=world.meeting).values_list(
            "from_status", "to_status", "by__username"
        )
    )
    assert trail == [
        ("draft", "in_review", "secretary"),
        ("in_review", "confirmed", "confirmer"),
        ("confirmed", "signing", "chair"),
        ("signing", "signed", "member_a"),
        ("signed", "published", "secretary"),
    ]
    assert version.number == 1
    assert hashlib.sha256(version.content.encode()).hexdigest() == version.content_sha256
    assert len(json.loads(version.content)["remarks"]) == 6


def test_review_needs_a_complete_record_and_a_future_deadline(world):
    world.meeting.signatories.filter(role="confirmer").delete()

    with pytest.raises(WorkflowError) as error:
        send_for_review(world.meeting, by=world.secretary.person.user, deadline=in_a_week())

    assert "확인자" in str(error.value) or "confirmer" in str(error.value)
    assert "발언" in str(error.value) or "remarks" in str(error.value)
    with pytest.raises(WorkflowError):
        send_for_review(
            world.meeting,
            by=world.secretary.person.user,
            deadline=timezone.now() - datetime.timedelta(hours=1),
        )
    assert status_of(world.meeting) == "draft"
    assert not StatusChange.objects.exists()


def test_only_the_designated_confirmer_confirms(people):
    reviewed(people)

    with pytest.raises(WorkflowError, match="확인자|confirmer"):
        confirm(people.meeting, by=people.member_a.person.user)

    assert status_of(people.meeting) == "in_review"
    assert not MinutesVersion.objects.exists()


def test_a_member_who_is_not_a_designated_signer_cannot_sign(people, django_user_model):
    version = confirmed(people)
    outsider = django_user_model.objects.create_user("outsider")

    for user in [outsider, people.staff_person.user]:
        with pytest.raises(WorkflowError):
            sign(version, user=user, shown_sha256=version.content_sha256, method="drawn", image=PNG)

    assert not Signature.objects.exists()


def test_a_stale_hash_is_refused(people):
    version = confirmed(people)

    with pytest.raises(WorkflowError):
        sign(
            version, user=people.chair.person.user, shown_sha256="0" * 64, method="drawn", image=PNG
        )

    assert not Signature.objects.exists()


def test_a_replayed_signature_creates_nothing(people):
    version = confirmed(people)
    signed_by(version, people.chair.person)

    with pytest.raises(WorkflowError):
        signed_by(version, people.chair.person)

    assert Signature.objects.count() == 1
    assert status_of(people.meeting) == "signing"
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.bulk_create(
            [
                Signature(
                    version=version,
                    person=people.chair.person,
                    user=people.chair.person.user,
                    content_sha256=version.content_sha256,
                    method="drawn",
                    image=PNG,
                )
            ]
        )


def test_an_unconfirmed_draft_cannot_be_signed(people):
    version = confirmed(people)
    signed_by(version, people.chair.person)
    signed_by(version, people.member_a.person)
    amend(people.meeting, by=people.secretary.person.user, reason="오타 수정")

    with pytest.raises(WorkflowError):
        sign(
            version,
            user=people.chair.person.user,
            shown_sha256=version.content_sha256,
            method="drawn",
            image=PNG,
        )


def test_the_confirmed_text_cannot_be_edited(people):
    confirmed(people)
    block = SpeakerBlock.objects.filter(meeting=people.meeting).first()
    statement = block.statements.first()

    statement.text = "몰래 고친 발언"
    with pytest.raises(FrozenRecordError):
        statement.save()
    with pytest.raises(FrozenRecordError):
        block.delete()
    meeting = Meeting.objects.get(pk=people.meeting.pk)
    meeting.place = "다른 장소"
    with pytest.raises(FrozenRecordError):
        meeting.save()
    with pytest.raises(FrozenRecordError):
        add_block(people.meeting, 99, ["추가 발언"], member=people.chair)
    with pytest.raises(FrozenRecordError):
        replace_statements(block, ["일괄로 고친 발언"])

    assert Statement.objects.get(pk=statement.pk).text != "몰래 고친 발언"


def test_a_version_and_its_signatures_never_change(people):
    version = confirmed(people)
    signature = signed_by(version, people.chair.person)

    version.content = "{}"
    for attempt in [version.save, version.delete, signature.save, signature.delete]:
        with pytest.raises(FrozenRecordError):
            attempt()
    with pytest.raises(FrozenRecordError):
        MinutesVersion.objects.filter(pk=version.pk).update(content="{}")
    with pytest.raises(FrozenRecordError):
        Signature.objects.all().delete()

    stored = MinutesVersion.objects.get(pk=version.pk)
    assert hashlib.sha256(stored.content.encode()).hexdigest() == stored.content_sha256


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_postgresql_refuses_even_raw_sql(people):
    version = confirmed(people)

    for sql in [
        "UPDATE meetings_minutesversion SET content = '{}' WHERE id = %s",
        "DELETE FROM meetings_minutesversion WHERE id = %s",
    ]:
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [version.pk])

    assert MinutesVersion.objects.get(pk=version.pk).content == version.content


def test_amending_starts_the_next_version_and_keeps_the_signed_one(people):
    first = confirmed(people)
    signed_by(first, people.chair.person)
    signed_by(first, people.member_a.person)

    amend(people.meeting, by=people.secretary.person.user, reason="발언자 정정")
    block = SpeakerBlock.objects.filter(meeting=people.meeting).first()
    block.statements.update(text="정정된 발언")
    reviewed(people)
    second = confirm(people.meeting, by=people.staff_person.user)

    assert (first.number, second.number) == (1, 2)
    assert second.content_sha256 != first.content_sha256
    assert "정정된 발언" not in MinutesVersion.objects.get(pk=first.pk).content
    assert first.signatures.count() == 2 and second.signatures.count() == 0
    assert StatusChange.objects.get(to_status="draft").note == "발언자 정정"


def test_confirming_a_text_identical_to_the_last_signed_version_is_refused(people):
    first = confirmed(people)
    signed_by(first, people.chair.person)
    signed_by(first, people.member_a.person)
    amend(people.meeting, by=people.secretary.person.user, reason="다시 서명받기")
    reviewed(people)

    with translation.override("en"), pytest.raises(WorkflowError, match="signed version 1"):
        confirm(people.meeting, by=people.staff_person.user)

    assert people.meeting.versions.count() == 1
    assert status_of(people.meeting) == "in_review"
    block = SpeakerBlock.objects.filter(meeting=people.meeting).first()
    block.statements.update(text="정정된 발언")
    assert confirm(people.meeting, by=people.staff_person.user).number == 2


def test_amend_needs_a_reason_and_a_signed_text(people):
    with pytest.raises(WorkflowError):
        amend(people.meeting, by=people.secretary.person.user, reason="정정")
    confirmed(people)
    with pytest.raises(WorkflowError):
        amend(people.meeting, by=people.secretary.person.user, reason="  ")


def test_the_admin_shows_a_confirmed_meeting_read_only(client, people):
    user = people.secretary.person.user
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["committees", "meetings", "agenda"])
    )
    confirmed(people)
    client.force_login(user)
    url = reverse("admin:meetings_meeting_change", args=[people.meeting.pk])

    page = client.get(url)

    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.post(url, {"place": "x"}).status_code == 403


def test_admin_actions_run_the_same_services(client, people):
    user = people.secretary.person.user
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["committees", "meetings", "agenda"])
    )
    client.force_login(user)

    client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "send_for_review_action", "_selected_action": [people.meeting.pk]},
    )

    assert status_of(people.meeting) == "in_review"
    assert StatusChange.objects.get().by == user


def test_from_confirmation_on_the_page_shows_the_frozen_version(client, people):
    version = confirmed(people)
    # Even a write that slips past the models (a bulk update) changes nothing shown.
    Statement.objects.filter(block__meeting=people.meeting).update(text="몰래 바꾼 발언")
    client.force_login(people.secretary.person.user)

    page = client.get(people.meeting.get_absolute_url()).content.decode()

    assert "몰래 바꾼 발언" not in page
    first_statement = json.loads(version.content)["remarks"][0]["statements"][0]
    assert first_statement in page


def test_each_step_tells_the_next_people_after_commit(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    for person, address in [
        (people.member_a.person, "a@example.kr"),
        (people.chair.person, "chair@example.kr"),
        (people.secretary.person, "secretary@example.kr"),
        (people.staff_person, "confirmer@example.kr"),
    ]:
        person.email = address
        person.save()

    with django_capture_on_commit_callbacks(execute=True):
        reviewed(people)
    assert sorted(m.to[0] for m in mailoutbox) == [
        "a@example.kr",
        "chair@example.kr",
        "secretary@example.kr",
    ]
    assert "검토" in mailoutbox[0].subject

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        version = confirm(people.meeting, by=people.staff_person.user)
    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.kr", "chair@example.kr"]

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        signed_by(version, people.chair.person)
        signed_by(version, people.member_a.person)
    assert sorted(m.to[0] for m in mailoutbox) == ["confirmer@example.kr", "secretary@example.kr"]


def test_a_confirmed_meetings_parts_are_read_only_on_their_own_admin_pages(client, people):
    user = people.secretary.person.user
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["committees", "meetings", "agenda"])
    )
    confirmed(people)
    client.force_login(user)
    block = SpeakerBlock.objects.filter(meeting=people.meeting).first()
    url = reverse("admin:agenda_speakerblock_change", args=[block.pk])

    page = client.get(url)

    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.post(url, {"position": "1", "statements_text": "x"}).status_code == 403
    item_url = reverse("admin:agenda_agendaitem_change", args=[people.item.pk])
    assert client.post(item_url, {"title": "x"}).status_code == 403
    assert (
        client.post(
            reverse("admin:agenda_speakerblock_delete", args=[block.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
