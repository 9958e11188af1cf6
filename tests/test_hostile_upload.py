"""Hostile input to the import pages: files that are not minutes, forged forms and
tokens, wrong methods. Each is a refusal a person can read (a 4xx, or the form
again with its error) and leaves no meeting, no person and no held upload behind.
"""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse

from committees.models import Committee, Person
from meetings.models import Job, Meeting

from .hostile import hostile_client, refused
from .test_upload import TRANSCRIPT, html_pdf, transcript_hwpx, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(keeper):
    return hostile_client(keeper)


def counts():
    return (Meeting.objects.count(), Person.objects.count(), Job.objects.count())


def post(client, files, data=None):
    return client.post(reverse("editor:import"), {"committee": "traffic", **(data or {}), **files})


def file_errors(response):
    return response.context["form"].errors.get("file", [])


def zip_bomb():
    """An HWPX whose section declares 300 MB unpacked while a few bytes are packed.

    The sizes are written into the archive's directory after the fact: the
    refusal must come from what the archive declares, before any unpacking.
    """
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/hwp+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("Contents/section0.xml", b" " * 1024)
    data = bytearray(packed.getvalue())
    declared = (300 * 1024 * 1024).to_bytes(4, "little")
    entry = data.rindex(b"PK\x01\x02")  # the section's central directory entry
    data[entry + 24 : entry + 28] = declared
    header = data.rindex(b"PK\x03\x04", 0, entry)  # its local header
    data[header + 22 : header + 26] = declared
    return bytes(data)


def truncated_pdf():
    return html_pdf("<p>○위원장 한도윤 회의를 시작하겠습니다.</p>")[:600]


def constant(data):
    return lambda: data


@pytest.mark.parametrize(
    "name, make, code",
    [
        pytest.param("회의록.txt", constant(b""), "empty", id="empty"),
        pytest.param("회의록.txt", constant(b"\n \n\t\n"), "empty", id="blank"),
        pytest.param(
            "사진.png", constant(b"\x89PNG\r\n\x1a\n" + bytes(200)), "unsupported", id="png"
        ),
        pytest.param(
            "회의록.txt",
            constant(b"MZ\x90\x00\x03" + bytes(range(256)) * 8),
            "unsupported",
            id="exe",
        ),
        pytest.param("회의록.txt", constant(bytes(1000)), "unsupported", id="nul-only"),
        pytest.param(
            "회의록.txt", constant(bytes(range(128, 256)) * 40), "encoding", id="not-text"
        ),
        pytest.param("회의록.pdf", truncated_pdf, "damaged", id="truncated-pdf"),
        pytest.param("회의록.hwpx", zip_bomb, "too_large", id="zip-bomb"),
        pytest.param("회의록.hwpx", constant(b"PK\x03\x04broken"), "unsupported", id="broken-zip"),
        pytest.param(
            "회의록.txt", lambda: html_pdf("<p>회의록</p>"), "mismatch", id="pdf-named-txt"
        ),
        pytest.param(
            "회의록.doc",
            constant(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)),
            "unsupported",
            id="ole-not-hwp",
        ),
    ],
)
def test_a_file_that_is_not_readable_minutes_is_a_field_error(client, name, make, code):
    before = counts()

    response = refused(post(client, {"file": upload(name, make())}))

    assert response.status_code == 400
    errors = response.context["form"].errors.as_data().get("file", [])
    assert [error.code for error in errors] == [code], errors
    assert response.context["form"]["committee"].value() == "traffic"  # what was typed stays
    assert counts() == before


def test_no_file_is_a_field_error(client):
    response = refused(post(client, {}))

    assert file_errors(response) == ["회의록 파일을 선택하세요."]
    assert response.status_code == 400


def test_two_files_at_once_are_refused(client):
    before = counts()
    response = refused(
        client.post(
            reverse("editor:import"),
            {
                "committee": "traffic",
                "file": [
                    upload("a.txt", TRANSCRIPT.encode()),
                    upload("b.txt", TRANSCRIPT.encode()),
                ],
            },
        )
    )

    assert file_errors(response)
    assert counts() == before


def test_a_file_over_the_limit_is_refused_with_the_limit_in_mb(client, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    before = counts()

    just_over = refused(post(client, {"file": upload("a.txt", b"a" * (1024 * 1024 + 1))}))
    far_over = refused(post(client, {"file": upload("a.txt", b"a" * (2 * 1024 * 1024))}))

    assert just_over.status_code == 400 and "1" in " ".join(file_errors(just_over))
    assert far_over.status_code == 413  # refused from Content-Length, unread
    assert "MB" in far_over.content.decode() or "1MB" in far_over.content.decode()
    assert counts() == before


def test_a_body_over_the_site_limit_is_a_page_not_a_reset(client, settings):
    before = counts()
    response = refused(
        client.generic(
            "POST",
            reverse("editor:import"),
            b"x" * 16,
            content_type="multipart/form-data; boundary=x",
            CONTENT_LENGTH=str(settings.MAX_REQUEST_BYTES + 1),
        )
    )

    assert response.status_code == 413
    assert counts() == before


def test_a_committee_the_user_does_not_keep_is_a_field_error(client):
    Committee.objects.create(name="다른위원회", slug="other")
    before = counts()

    response = refused(
        post(client, {"file": upload("a.txt", TRANSCRIPT.encode())}, {"committee": "other"})
    )

    assert "committee" in response.context["form"].errors
    assert counts() == before


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_wrong_methods_are_refused(client, method):
    job_url = reverse("editor:import_preview", args=["00000000-0000-0000-0000-000000000000"])
    for url in (reverse("editor:import"), job_url):
        response = getattr(client, method)(url)
        assert response.status_code == 405, url


def held_upload(client):
    response = post(client, {"file": upload("a.txt", TRANSCRIPT.encode())})
    assert response.status_code == 302
    return Job.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])


def test_another_users_upload_is_not_found(client, world, django_user_model):
    job = held_upload(client)
    other = django_user_model.objects.create_user("other-keeper")
    world.committee.secretaries.add(other)
    intruder = hostile_client(other)
    before = counts()

    for method in ("get", "post"):
        response = refused(
            getattr(intruder, method)(reverse("editor:import_preview", args=[job.pk]))
        )
        assert response.status_code == 404
    assert counts() == before


def test_an_expired_upload_is_gone(client, settings):
    job = held_upload(client)
    Job.objects.filter(pk=job.pk).update(
        created_at=job.created_at - datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1)
    )
    before = counts()

    response = refused(client.post(reverse("editor:import_preview", args=[job.pk]), {}))

    assert response.status_code == 410
    assert counts() == before


@pytest.mark.parametrize(
    "field, value",
    [
        ("year", "99999"),
        ("year", "abc"),
        ("sequence", "0"),
        ("sequence", "1" * 30),
        ("day", "2031-02-30"),
        ("day", "0001-01-01"),
        ("starts", "25:00"),
        ("place", "시청\x00회의실"),
        ("place", "가" * 201),
    ],
)
def test_an_impossible_correction_is_a_field_error_and_the_upload_stays(client, field, value):
    job = held_upload(client)
    before = counts()

    response = refused(client.post(reverse("editor:import_preview", args=[job.pk]), {field: value}))

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert counts() == before
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED and "text" in job.parameters


def test_an_end_before_the_start_is_refused(client):
    job = held_upload(client)

    response = refused(
        client.post(
            reverse("editor:import_preview", args=[job.pk]), {"starts": "15:00", "ends": "14:00"}
        )
    )

    assert "ends" in response.context["form"].errors


def test_an_hwpx_is_still_read_after_these_refusals(client):
    """The starting point of the refusals above: the same page accepts a real file."""
    assert post(client, {"file": upload("회의록.hwpx", transcript_hwpx())}).status_code == 302
