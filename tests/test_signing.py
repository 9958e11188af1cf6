"""Signing seals a version: the official PDF carries the signatures and their record,
is stored once with its hash, and signature images are only ever our own PNGs."""

import hashlib
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from PIL import Image
from pypdf import PdfReader

from meetings.models import Meeting, SealedFile, SignedDocument
from meetings.services import WorkflowError, sign
from meetings.signature_images import clean_signature_image

from .conftest import signature_png
from .test_pdf import pdftotext
from .test_workflow import confirmed


def sign_both(version, world):
    for seed, person in enumerate([world.chair.person, world.member_a.person], start=1):
        sign(
            version,
            user=person.user,
            shown_sha256=version.content_sha256,
            method="drawn",
            image=signature_png(seed),
            ip_address="203.0.113.7",
            user_agent="pytest",
        )
    return SignedDocument.objects.get(version=version)


def test_the_last_signature_seals_the_version(people):
    version = confirmed(people)
    sign_both(version, people)

    document = SignedDocument.objects.get(version=version)
    stored = document.files.get(kind=SealedFile.Kind.INTERNAL_PDFA3B)
    pdf = bytes(stored.pdf)
    reader = PdfReader(io.BytesIO(pdf))

    assert Meeting.objects.get(pk=people.meeting.pk).status == "signed"
    assert hashlib.sha256(pdf).hexdigest() == stored.sha256
    assert document.verification_code == SignedDocument.code_for(version)
    # Page 1 shows both signature images (read from the PDF, not the code path).
    assert len(reader.pages[0].images) == 2
    record = pdftotext(pdf, len(reader.pages))
    assert "서명 확인 내역" in record
    assert version.content_sha256 in record.replace("\n", "")
    assert document.verification_code in record
    assert "203.0.113.7" in record
    assert "한도윤" in record and "문가람" in record
    embedded = json.loads(reader.attachments["minutes.json"][0])
    assert embedded == json.loads(version.content)


def test_a_signature_image_must_be_a_real_png_or_jpeg(people):
    version = confirmed(people)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

    for bad in [b"", svg, b"GIF89a" + b"\0" * 50, b"\x89PNG\r\n\x1a\nbroken"]:
        with pytest.raises(WorkflowError):
            sign(
                version,
                user=people.chair.person.user,
                shown_sha256=version.content_sha256,
                method="seal",
                image=bad,
            )

    assert version.signatures.count() == 0


def test_images_are_re_encoded_and_flattened():
    transparent = signature_png()
    cleaned = clean_signature_image(transparent)

    with Image.open(io.BytesIO(cleaned)) as image:
        assert (image.format, image.mode) == ("PNG", "RGB")
        assert image.getpixel((0, 0)) == (255, 255, 255)

    jpeg = io.BytesIO()
    Image.new("RGB", (200, 80), "white").save(jpeg, format="JPEG")
    assert clean_signature_image(jpeg.getvalue()).startswith(b"\x89PNG")

    huge = io.BytesIO()
    Image.new("RGB", (5000, 50), "white").save(huge, format="PNG")
    with pytest.raises(ValidationError):
        clean_signature_image(huge.getvalue())


@pytest.mark.django_db
def test_load_demo_signed_gives_a_finished_verifiable_example():
    call_command("load_demo", signed=True, stdout=io.StringIO())
    call_command("load_demo", signed=True, stdout=io.StringIO())  # idempotent

    draft, signed = Meeting.objects.order_by("sequence")
    assert draft.status == "draft"
    assert signed.status == "signed"
    document = SignedDocument.objects.get(version__meeting=signed)
    files = document.files.all()
    assert len(files) == 3
    for stored in files:
        assert len(PdfReader(io.BytesIO(bytes(stored.pdf))).pages[0].images) == 2
    assert signed.versions.count() == 1


def test_the_minutes_page_shows_the_verification_code_once_signed(client, people):
    version = confirmed(people)
    client.force_login(people.secretary.person.user)
    assert b'id="seal"' not in client.get(people.meeting.get_absolute_url()).content

    sign_both(version, people)

    page = client.get(people.meeting.get_absolute_url()).content.decode()
    code = SignedDocument.objects.get().verification_code
    assert code in page
    assert f"/meetings/verify/{code}/" in page


def test_an_amendment_is_signed_again_under_its_own_code(people):
    from meetings.services import amend, confirm

    from .test_workflow import reviewed

    first = confirmed(people)
    sign_both(first, people)
    amend(people.meeting, by=people.secretary.person.user, reason="발언 정정")
    people.add_remarks(1)
    reviewed(people)
    second = confirm(people.meeting, by=people.staff_person.user)
    sign_both(second, people)

    assert second.content_sha256 != first.content_sha256
    codes = set(SignedDocument.objects.values_list("verification_code", flat=True))
    assert len(codes) == 2
