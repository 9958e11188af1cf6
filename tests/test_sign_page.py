"""The workflow on the site: buttons for the people allowed to press them, and the
sign page, which refuses every forged, stale or replayed signature."""

import base64
import datetime

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from meetings.models import Meeting, Signature, SignedDocument

from .conftest import signature_png
from .test_workflow import confirmed, reviewed

DRAWN = "data:image/png;base64," + base64.b64encode(signature_png()).decode()


def login(client, user, password="pw"):
    user.set_password(password)
    user.save()
    client.force_login(user)
    return client


def sign_url(world):
    return reverse("meetings:sign", args=[world.meeting.pk])


def signing_data(version, **overrides):
    return {
        "content_sha256": version.content_sha256,
        "method": "drawn",
        "drawn": DRAWN,
        "password": "pw",
        **overrides,
    }


def test_the_signer_reads_and_signs_with_a_drawing(client, people):
    version = confirmed(people)
    login(client, people.member_a.person.user)

    page = client.get(sign_url(people)).content.decode()
    assert version.content_sha256 in page
    assert "vendor/signature_pad/signature_pad.umd.min.js" in page

    response = client.post(sign_url(people), signing_data(version), REMOTE_ADDR="198.51.100.4")

    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.user == people.member_a.person.user
    assert (signature.method, signature.ip_address) == ("drawn", "198.51.100.4")


def test_the_second_signature_seals_and_the_button_disappears(client, people):
    version = confirmed(people)
    for person in [people.chair.person, people.member_a.person]:
        signer = login(Client(), person.user)
        assert signer.post(sign_url(people), signing_data(version)).status_code == 302

    assert Meeting.objects.get(pk=people.meeting.pk).status == "signed"
    assert SignedDocument.objects.filter(version=version).exists()
    page = login(client, people.chair.person.user).get(people.meeting.get_absolute_url())
    assert sign_url(people).encode() not in page.content


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"password": "wrong"}, "비밀번호가 맞지 않습니다."),
        ({"content_sha256": "0" * 64}, "페이지를 새로 고쳐 다시 읽어 주세요."),
        ({"drawn": ""}, "먼저 상자 안에 서명을 그려 주세요."),
        ({"drawn": "data:image/png;base64,!!!"}, "그림을 읽을 수 없습니다."),
        ({"method": "seal", "drawn": ""}, "도장 이미지를 골라 주세요."),
    ],
)
def test_bad_signatures_are_refused_and_nothing_is_saved(client, people, overrides, message):
    version = confirmed(people)
    login(client, people.member_a.person.user)

    response = client.post(sign_url(people), signing_data(version, **overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Signature.objects.exists()


def test_a_replayed_post_creates_nothing(client, people):
    version = confirmed(people)
    login(client, people.member_a.person.user)
    client.post(sign_url(people), signing_data(version))

    replay = client.post(sign_url(people), signing_data(version))

    assert replay.status_code == 403  # the button is gone: already signed
    assert Signature.objects.count() == 1


def test_a_forged_signer_field_is_ignored(client, people):
    version = confirmed(people)
    login(client, people.member_a.person.user)

    client.post(sign_url(people), signing_data(version, person=people.chair.person.pk, user=1))

    assert list(Signature.objects.values_list("person__name", flat=True)) == ["문가람"]


def test_who_may_open_the_sign_page(client, people, django_user_model):
    confirmed(people)
    outsider = django_user_model.objects.create_user("outsider")
    assert login(Client(), outsider).get(sign_url(people)).status_code == 404
    confirmer = login(Client(), people.staff_person.user)
    assert confirmer.get(sign_url(people)).status_code == 403
    assert Client().get(sign_url(people)).status_code == 302  # to the login page


def test_signing_without_a_csrf_token_is_refused(people):
    version = confirmed(people)
    client = login(Client(enforce_csrf_checks=True), people.member_a.person.user)

    response = client.post(sign_url(people), signing_data(version))

    assert response.status_code == 403
    assert not Signature.objects.exists()


def test_workflow_buttons_follow_roles_and_states(client, people):
    secretary = people.secretary.person.user
    secretary.user_permissions.add(Permission.objects.get(codename="change_meeting"))
    page = login(client, secretary).get(people.meeting.get_absolute_url()).content.decode()
    assert "send_for_review" in page

    deadline = (datetime.datetime.now() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    client.post(
        reverse("meetings:transition", args=[people.meeting.pk, "send_for_review"]),
        {"deadline": deadline},
    )
    assert Meeting.objects.get(pk=people.meeting.pk).status == "in_review"

    member = login(Client(), people.member_a.person.user)
    confirm_url = reverse("meetings:transition", args=[people.meeting.pk, "confirm"])
    assert member.post(confirm_url).status_code == 403
    confirmer = login(Client(), people.staff_person.user)
    assert confirmer.post(confirm_url).status_code == 302
    assert Meeting.objects.get(pk=people.meeting.pk).status == "confirmed"


def test_a_deadline_in_the_past_is_explained(client, people):
    secretary = people.secretary.person.user
    secretary.user_permissions.add(Permission.objects.get(codename="change_meeting"))
    login(client, secretary)

    response = client.post(
        reverse("meetings:transition", args=[people.meeting.pk, "send_for_review"]),
        {"deadline": "2020-01-01T10:00"},
        follow=True,
    )

    assert "검토 기한은 앞으로의 날짜여야 합니다." in response.content.decode()
    assert Meeting.objects.get(pk=people.meeting.pk).status == "draft"


def test_a_kept_signature_signs_the_next_version_with_one_click(client, people):
    from meetings.models import SavedSignature
    from meetings.services import amend, confirm

    first = confirmed(people)
    chair = login(Client(), people.chair.person.user)
    chair.post(sign_url(people), signing_data(first))
    login(client, people.member_a.person.user)
    assert 'value="saved"' not in client.get(sign_url(people)).content.decode()
    client.post(sign_url(people), signing_data(first, remember="on"))
    kept = bytes(SavedSignature.objects.get(user=people.member_a.person.user).image)
    amend(people.meeting, by=people.secretary.person.user, reason="정정")
    people.add_remarks(1)
    reviewed(people)
    second = confirm(people.meeting, by=people.staff_person.user)

    page = client.get(sign_url(people)).content.decode()
    assert 'value="saved"' in page
    response = client.post(sign_url(people), signing_data(second, method="saved", drawn=""))

    assert response.status_code == 302
    signature = Signature.objects.get(version=second)
    assert (signature.method, bytes(signature.image)) == ("saved", kept)
    # The chair kept nothing: the saved option is not offered, and forcing it fails.
    refused = chair.post(sign_url(people), signing_data(second, method="saved", drawn=""))
    assert refused.status_code == 200
    assert not Signature.objects.filter(version=second, person=people.chair.person).exists()
