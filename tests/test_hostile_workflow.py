"""Hostile input to the workflow: the sign form and the transition buttons.

A refused signature is the sign page again with its error (nothing signed);
a refused transition is a 4xx or a redirect with an error message (nothing
moved).
"""

import base64
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from meetings.models import Signature

from .conftest import signature_png
from .hostile import (
    CONTROL_CHARACTERS,
    answered,
    form_errors,
    hostile_client,
    refused,
    refused_or_cleaned,
    snapshot,
)
from .test_signing import sign_both
from .test_workflow import confirmed

DATA_URL = "data:image/png;base64,"


def drawn(data):
    return DATA_URL + base64.b64encode(data).decode()


@pytest.fixture
def signing(people):
    people.version = confirmed(people)
    user = people.member_a.person.user
    user.set_password("pw")
    user.save()
    people.signer = hostile_client(user)
    return people


def sign_url(world):
    return reverse("meetings:sign", args=[world.meeting.pk])


def signing_data(world, **changes):
    return {
        "content_sha256": world.version.content_sha256,
        "method": "drawn",
        "drawn": drawn(signature_png()),
        "password": "pw",
        **changes,
    }


def refused_signature(response, world, before):
    """The sign page again with an error, and nobody signed."""
    refused(response)
    assert not Signature.objects.exists()
    assert snapshot(world.meeting) == before


def test_a_drawn_signature_is_taken(signing):
    """The starting point of every case below."""
    response = answered(signing.signer.post(sign_url(signing), signing_data(signing)))

    assert response.status_code == 302, form_errors(response)
    assert Signature.objects.count() == 1


@pytest.mark.parametrize("field", ["password", "drawn", "content_sha256", "method"])
@pytest.mark.parametrize("character", CONTROL_CHARACTERS)
def test_control_characters_in_the_sign_form_are_refused(signing, field, character):
    data = signing_data(signing)
    data[field] = f"{data[field]}{character}"
    before = snapshot(signing.meeting)

    refused_signature(signing.signer.post(sign_url(signing), data), signing, before)


def truncated_png():
    whole = signature_png()
    return whole[: len(whole) // 2]


def test_a_truncated_png_drawing_is_a_field_error(signing):
    before = snapshot(signing.meeting)

    response = signing.signer.post(
        sign_url(signing), signing_data(signing, drawn=drawn(truncated_png()))
    )

    refused_signature(response, signing, before)
    assert form_errors(response)


def image(kind, size=(300, 100)):
    output = io.BytesIO()
    Image.new("RGB", size, "white").save(output, format=kind)
    return output.getvalue()


@pytest.mark.parametrize(
    "name, data",
    [
        pytest.param("seal.png", truncated_png(), id="truncated-png"),
        pytest.param("seal.png", b"", id="empty"),
        pytest.param("seal.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', id="svg"),
        pytest.param("seal.gif", image("GIF"), id="gif"),
        pytest.param("seal.png", image("PNG", (5, 5)), id="too-small"),
        pytest.param("seal.png", image("PNG", (20_000, 30)), id="too-wide"),
        pytest.param("seal.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 9000, id="garbage"),
        pytest.param("../../seal\x00.png", signature_png(), id="hostile-name"),
    ],
)
def test_an_unusable_seal_image_is_a_field_error(signing, name, data):
    before = snapshot(signing.meeting)
    data_changes = {"method": "seal", "drawn": ""}
    upload = SimpleUploadedFile(name, data, "image/png")

    response = signing.signer.post(
        sign_url(signing), {**signing_data(signing, **data_changes), "seal": upload}
    )

    if name.startswith("../"):
        # A strange file name is no reason to refuse a good image, only to ignore the name.
        assert answered(response).status_code in (200, 302)
        return
    refused_signature(response, signing, before)
    assert form_errors(response)


def test_a_drawing_over_2_mb_is_refused(signing):
    before = snapshot(signing.meeting)
    big = image("PNG", (1900, 1900)) + b"\x00" * (2 * 1024 * 1024)

    refused_signature(
        signing.signer.post(sign_url(signing), signing_data(signing, drawn=drawn(big))),
        signing,
        before,
    )


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"content_sha256": "0" * 64}, id="stale-hash"),
        pytest.param({"content_sha256": ""}, id="absent-hash"),
        pytest.param({"content_sha256": "가" * 5000}, id="long-hash"),
        pytest.param({"method": "saved"}, id="no-saved-signature"),
        pytest.param({"method": "../../"}, id="unknown-method"),
        pytest.param({"drawn": DATA_URL + "!!!"}, id="not-base64"),
        pytest.param({"drawn": "data:image/svg+xml;base64,PHN2Zy8+"}, id="svg-data-url"),
        pytest.param({"password": ""}, id="no-password"),
    ],
)
def test_a_forged_or_stale_sign_form_is_refused(signing, changes):
    before = snapshot(signing.meeting)

    refused_signature(
        signing.signer.post(sign_url(signing), signing_data(signing, **changes)), signing, before
    )


@pytest.mark.parametrize(
    "agent", ["pytest\x00browser", "\ud800".encode("utf-8", "surrogatepass").decode("latin-1")]
)
def test_a_hostile_user_agent_does_not_break_signing(signing, agent):
    """The browser's own description is recorded with the signature: a NUL or a
    broken byte in it is no reason for a server error."""
    response = answered(
        signing.signer.post(sign_url(signing), signing_data(signing), HTTP_USER_AGENT=agent)
    )

    assert response.status_code in (200, 302, 400)
    for signature in Signature.objects.all():
        assert "\x00" not in signature.user_agent


def test_a_very_long_user_agent_does_not_break_signing(signing):
    response = answered(
        signing.signer.post(
            sign_url(signing), signing_data(signing), HTTP_USER_AGENT="Mozilla/5.0 " * 5000
        )
    )

    assert response.status_code in (200, 302)


# --- transitions -------------------------------------------------------------------------


def transition_url(world, action):
    return reverse("meetings:transition", args=[world.meeting.pk, action])


@pytest.mark.parametrize("action", ["send_for_review", "confirm", "publish", "amend"])
def test_a_transition_needs_a_post(people, action):
    client = hostile_client(people.secretary.person.user)
    before = snapshot(people.meeting)

    response = answered(client.get(transition_url(people, action)))

    assert response.status_code == 405
    assert snapshot(people.meeting) == before


@pytest.mark.parametrize(
    "deadline", ["\x00", "abc", "0001-01-01T00:00", "99999-01-01T00:00", "2024-02-30T10:00", ""]
)
def test_an_impossible_review_deadline_is_refused(people, deadline):
    client = hostile_client(people.secretary.person.user)
    before = snapshot(people.meeting)

    refused(client.post(transition_url(people, "send_for_review"), {"deadline": deadline}))

    assert snapshot(people.meeting) == before


@pytest.fixture
def signed(signing):
    sign_both(signing.version, signing)
    signing.secretary_client = hostile_client(signing.secretary.person.user)
    return signing


@pytest.mark.parametrize("character", CONTROL_CHARACTERS)
def test_control_characters_in_an_amendment_reason_are_refused_or_removed(signed, character):
    before = snapshot(signed.meeting)

    response = signed.secretary_client.post(
        transition_url(signed, "amend"), {"reason": f"오타 정정{character}끝"}
    )

    refused_or_cleaned(response, signed.meeting, before, [character])


def test_a_2_4_mb_amendment_reason_is_refused(signed):
    before = snapshot(signed.meeting)

    refused(
        signed.secretary_client.post(transition_url(signed, "amend"), {"reason": "가" * 800_000})
    )

    assert snapshot(signed.meeting) == before


def test_a_review_deadline_centuries_away_is_refused(people):
    client = hostile_client(people.secretary.person.user)
    before = snapshot(people.meeting)
    far = (datetime.date(9999, 12, 31)).strftime("%Y-%m-%dT23:59")

    refused(client.post(transition_url(people, "send_for_review"), {"deadline": far}))

    assert snapshot(people.meeting) == before
