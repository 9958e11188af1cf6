"""The public verification page: a code, a hash or the PDF itself names a signed version."""

import datetime
import hashlib
import html
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.models import MinutesVersion, SealedFile, Signature, SignedDocument
from meetings.verification import find_signed_document, normalise_code

from .conftest import SEOUL
from .html import read_minutes

PDF = (
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    b"1 0 obj << /Type /Catalog >> endobj\n% fake signed minutes\n%%EOF\n"
)
PNG = b"\x89PNG\r\n\x1a\n fake signature"


class Signed:
    """A confirmed version of the world's meeting, signed twice, with its stored PDF."""

    def __init__(self, world):
        User = get_user_model()
        chair = world.chair.person
        chair.user = User.objects.create_user("chair", password="pw")
        chair.save()
        content = json.dumps({"title": str(world.meeting)}, ensure_ascii=False, sort_keys=True)
        self.version = MinutesVersion.objects.create(
            meeting=world.meeting,
            number=1,
            content=content,
            content_sha256=hashlib.sha256(content.encode()).hexdigest(),
            frozen_at=datetime.datetime(2024, 4, 22, 9, 30, tzinfo=SEOUL),
            frozen_by=world.secretary.person.user,
        )
        Signature.objects.create(
            version=self.version,
            person=chair,
            user=chair.user,
            content_sha256=self.version.content_sha256,
            # 02:05 UTC is 11:05 in Seoul: the page shows Seoul time.
            signed_at=datetime.datetime(2024, 4, 23, 2, 5, 7, tzinfo=datetime.UTC),
            method=Signature.Method.DRAWN,
            image=PNG,
            signer_name=chair.name,
            signer_title="위원",
            signer_role="열람·서명자",
        )
        Signature.objects.create(
            version=self.version,
            person=world.member_a.person,
            user=world.member_a.person.user,
            content_sha256=self.version.content_sha256,
            signed_at=datetime.datetime(2024, 4, 24, 16, 40, 0, tzinfo=SEOUL),
            method=Signature.Method.SEAL,
            image=PNG,
            signer_name=world.member_a.person.name,
            signer_title="위원",
            signer_role="열람·서명자",
        )
        self.document = SignedDocument.objects.create(
            version=self.version, verification_code=SignedDocument.code_for(self.version)
        )
        self.file = SealedFile.objects.create(
            document=self.document,
            kind=SealedFile.Kind.INTERNAL_PDFA3B,
            pdf=PDF,
            sha256=hashlib.sha256(PDF).hexdigest(),
            size=len(PDF),
        )
        self.code = self.document.verification_code


@pytest.fixture
def signed(world):
    return Signed(world)


def page_text(response):
    return " ".join(html.unescape(response.content.decode()).split())


def assert_authentic(response, signed):
    assert response.status_code == 200
    _, texts = read_minutes(response)
    assert "verify-not-found" not in texts
    assert texts["verify-result-title"] == "서명된 회의록 원본이 맞습니다"
    assert texts["verify-meeting"] == "2024년 1차 교통정책위원회"
    assert texts["verify-version"] == "제1판"
    # When and by whom (the secretary, by name, not by login) it was confirmed.
    assert texts["verify-confirmed"] == "2024. 4. 22.(월) 09:30:00, 오세린"
    assert texts["verify-code"] == signed.code
    assert signed.file.sha256 in texts["verify-files"]
    assert texts["verify-content-sha256"] == signed.version.content_sha256
    signatures = texts["verify-signatures"]
    assert "한도윤 (위원, 열람·서명자) 2024. 4. 23.(화) 11:05:07 직접 그린 서명" in signatures
    assert "문가람 (위원, 열람·서명자) 2024. 4. 24.(수) 16:40:00 도장 이미지" in signatures
    assert signatures.index("한도윤") < signatures.index("문가람")


def assert_not_found(response, message):
    text = page_text(response)
    assert message in text
    assert 'id="verify-result"' not in text
    assert 'id="verify-form"' in text


# --- the lookup ---------------------------------------------------------------


def test_codes_are_normalised_to_the_stored_form():
    assert normalise_code("  ab12 cd34 ef56 ") == "AB12-CD34-EF56"
    assert normalise_code("ab12cd34ef56") == "AB12-CD34-EF56"
    assert normalise_code("AB12-cd34-EF56") == "AB12-CD34-EF56"


def test_find_signed_document_by_code_and_by_either_hash(signed):
    by_code = find_signed_document(code=signed.code.lower().replace("-", " "))
    assert by_code.document == signed.document and by_code.file is None
    by_file = find_signed_document(sha256=signed.file.sha256)
    assert by_file.document == signed.document and by_file.file == signed.file
    assert find_signed_document(sha256=signed.version.content_sha256).document == signed.document
    # An uploaded file is a PDF: only the PDF's hash can match it.
    assert find_signed_document(sha256=signed.version.content_sha256, pdf_only=True) is None
    assert find_signed_document(code="ZZZZ-ZZZZ-ZZZZ") is None
    assert find_signed_document() is None


# --- the form -----------------------------------------------------------------


def test_the_page_is_public_and_has_the_form(client, db):
    response = client.get(reverse("meetings:verify"))

    assert response.status_code == 200
    text = page_text(response)
    assert 'id="verify-form"' in text
    assert 'enctype="multipart/form-data"' in text
    assert 'name="csrfmiddlewaretoken"' in text
    for name in ("code", "sha256", "pdf"):
        assert f'name="{name}"' in text


def test_a_code_in_any_case_with_spaces_finds_the_version(client, signed):
    typed = " " + signed.code.lower().replace("-", " ") + " "

    response = client.post(reverse("meetings:verify"), {"code": typed})

    assert_authentic(response, signed)


def test_the_pdf_hash_finds_the_version(client, signed):
    response = client.post(reverse("meetings:verify"), {"sha256": signed.file.sha256.upper()})

    assert_authentic(response, signed)


def test_the_content_hash_finds_the_version(client, signed):
    response = client.post(reverse("meetings:verify"), {"sha256": signed.version.content_sha256})

    assert_authentic(response, signed)


def test_uploading_the_same_pdf_finds_the_version(client, signed):
    upload = SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf")

    response = client.post(reverse("meetings:verify"), {"pdf": upload})

    assert_authentic(response, signed)


def test_an_altered_pdf_matches_nothing(client, signed):
    upload = SimpleUploadedFile("minutes.pdf", PDF + b"\n", content_type="application/pdf")

    response = client.post(reverse("meetings:verify"), {"pdf": upload})

    assert response.status_code == 200
    assert_not_found(response, "이 파일과 일치하는 서명된 회의록이 없습니다.")


def test_a_file_that_is_not_a_pdf_is_refused(client, signed):
    # Named and typed as a PDF: only the content counts.
    upload = SimpleUploadedFile("minutes.pdf", b"<html>not a pdf</html>", "application/pdf")

    response = client.post(reverse("meetings:verify"), {"pdf": upload})

    assert response.status_code == 400
    assert response.context["form"].errors == {"pdf": ["PDF 파일이 아닙니다."]}
    assert_not_found(response, "PDF 파일이 아닙니다.")


def test_a_file_over_20_mb_is_refused(client, db):
    big = PDF + b"0" * (20 * 1024 * 1024)
    upload = SimpleUploadedFile("minutes.pdf", big, content_type="application/pdf")

    response = client.post(reverse("meetings:verify"), {"pdf": upload})

    assert response.context["form"].errors == {"pdf": ["파일이 20MB보다 큽니다."]}


def test_an_empty_form_is_refused(client, db):
    response = client.post(reverse("meetings:verify"), {"code": "", "sha256": " "})

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "코드나 SHA-256 해시를 입력하거나 PDF 파일을 선택하세요."
    ]
    assert "verify-not-found" not in page_text(response)


def test_a_malformed_hash_is_refused_and_stays_in_the_form(client, db):
    response = client.post(reverse("meetings:verify"), {"sha256": "abc123"})

    errors = response.context["form"].errors
    assert errors == {"sha256": ["SHA-256 해시는 0-9, a-f로 이루어진 64자입니다."]}
    assert 'value="abc123"' in page_text(response)


def test_an_unknown_code_says_so_and_keeps_what_was_typed(client, signed):
    response = client.post(reverse("meetings:verify"), {"code": "zzzz-zzzz-zzzz"})

    assert response.status_code == 200
    assert_not_found(response, "이 코드와 일치하는 서명된 회의록이 없습니다.")
    assert 'value="zzzz-zzzz-zzzz"' in page_text(response)


def test_an_unknown_hash_says_so(client, signed):
    response = client.post(reverse("meetings:verify"), {"sha256": "0" * 64})

    assert_not_found(response, "이 해시와 일치하는 서명된 회의록이 없습니다.")


# --- the direct link ----------------------------------------------------------


def test_the_direct_link_shows_the_result(client, signed):
    response = client.get(reverse("meetings:verify_code", args=[signed.code]))

    assert_authentic(response, signed)


def test_the_direct_link_accepts_the_code_in_lower_case(client, signed):
    response = client.get(reverse("meetings:verify_code", args=[signed.code.lower()]))

    assert_authentic(response, signed)


def test_an_unknown_code_link_is_a_404_page_with_the_form(client, signed):
    response = client.get(reverse("meetings:verify_code", args=["ZZZZ-ZZZZ-ZZZZ"]))

    assert response.status_code == 404
    assert_not_found(response, "이 코드와 일치하는 서명된 회의록이 없습니다.")
    assert 'value="ZZZZ-ZZZZ-ZZZZ"' in page_text(response)


def test_the_result_page_runs_five_queries(client, signed, django_assert_num_queries):
    url = reverse("meetings:verify_code", args=[signed.code])
    # Anonymous, so no session or user query, and for_user() is empty without
    # asking the database. 1: the signed document joined with its version,
    # meeting, committee and confirmer (+ the confirmer's person); 2: the
    # version's signatures; 3: its files (without their bytes); 4: a newer
    # version, if any; 5: an amendment in progress, if any.
    with django_assert_num_queries(5):
        response = client.get(url)
    assert_authentic(response, signed)


def test_a_member_sees_the_result_in_eight_queries(
    client, signed, world, django_assert_num_queries
):
    client.force_login(world.member_a.person.user)
    url = reverse("meetings:verify_code", args=[signed.code])
    # the user (the session is cached), the five above, whether the member
    # may read the meeting (for the download links), and the navbar's task
    # badge.
    with django_assert_num_queries(8):
        response = client.get(url)
    assert_authentic(response, signed)
    # Each signed file through a download ticket (meetings/tickets.py), which
    # leads to the file's own address the first time.
    links = re.findall(r'href="(/meetings/files/[^"]+)" class="signed-file"', page_text(response))
    assert len(links) == signed.document.files.count()
    first = client.get(html.unescape(links[0]))
    assert first["Location"] == reverse(
        "meetings:signed_file", args=[signed.code, "internal-pdfa3b"]
    )


# --- the download -------------------------------------------------------------


def test_a_committee_member_downloads_the_stored_pdf(client, signed, world):
    client.force_login(world.member_a.person.user)

    response = client.get(reverse("meetings:verify_pdf", args=[signed.code]))

    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="traffic-2024-1-v1-internal-pdfa3b.pdf"'
    )
    assert response["ETag"] == f'"{signed.file.sha256}"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_anonymous_visitors_cannot_download_the_pdf(client, signed):
    response = client.get(reverse("meetings:verify_pdf", args=[signed.code]))

    assert response.status_code == 404
    page = page_text(client.get(reverse("meetings:verify_code", args=[signed.code])))
    assert "verify/" + signed.code + "/internal-pdfa3b.pdf" not in page
    assert "verify/" + signed.code + "/minutes.pdf" not in page


def test_an_outsider_cannot_download_the_pdf(client, signed, django_user_model):
    outsider = django_user_model.objects.create_user("outsider", password="pw")
    client.force_login(outsider)

    response = client.get(reverse("meetings:verify_pdf", args=[signed.code]))

    assert response.status_code == 404
    page = client.get(reverse("meetings:verify_code", args=[signed.code]))
    assert page.status_code == 200  # the result itself is public
    assert "/internal-pdfa3b.pdf" not in page_text(page)


def test_an_unknown_code_has_no_download(client, signed, world):
    client.force_login(world.member_a.person.user)

    response = client.get(reverse("meetings:verify_pdf", args=["ZZZZ-ZZZZ-ZZZZ"]))

    assert response.status_code == 404
