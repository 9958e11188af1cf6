"""The sealed record is what every reader gets.

The last signature renders the official files once (internal PDF/A-3b,
internal PDF/A-1b, public PDF/A-3b), seals each with the organisation's
certificate (PAdES) and stores them; every download of a signed version is
one of those stored files, and the verification page and commands recognise
and check each of them.
"""

import hashlib
import html
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from pypdf import PdfReader

from meetings import sealing
from meetings.models import Job, Meeting, SealedFile, SignedDocument
from meetings.services import WorkflowError, amend

from .html import read_minutes
from .test_pdf import pdftotext
from .test_signing import sign_both
from .test_workflow import confirmed, signed_by

KINDS = [kind.value for kind in SealedFile.Kind]


@pytest.fixture
def sealed(people):
    """The world's meeting confirmed and signed by both signers: its seal record."""
    return sign_both(confirmed(people), people)


def stored(document, kind):
    return bytes(document.files.get(kind=kind).pdf)


def xmp_pdfa_part(pdf):
    xmp = PdfReader(io.BytesIO(pdf)).xmp_metadata.stream.get_data().decode()
    match = re.search(r'pdfaid:part="(\d)"|<pdfaid:part>(\d)</pdfaid:part>', xmp)
    return next(group for group in match.groups() if group)


# --- sealing -------------------------------------------------------------------


def test_the_last_signature_stores_three_sealed_files(sealed, people):
    files = {f.kind: f for f in sealed.files.all()}

    assert sorted(files) == sorted(KINDS)
    assert Meeting.objects.get(pk=people.meeting.pk).status == "signed"
    seal = sealing.configured_seal()
    for kind, stored_file in files.items():
        pdf = bytes(stored_file.pdf)
        assert hashlib.sha256(pdf).hexdigest() == stored_file.sha256
        assert stored_file.size == len(pdf)
        assert stored_file.seal_certificate_sha256 == seal.sha256
        check = sealing.check_seal(pdf)
        assert (check.found, check.intact, check.covers_whole_file, check.known_certificate) == (
            True,
            True,
            True,
            True,
        ), kind
        assert "교통정책위원회 전자직인" in check.certificate_subject


@pytest.mark.parametrize(
    ("kind", "part"), [("internal-pdfa3b", "3"), ("internal-pdfa1b", "1"), ("public-pdfa3b", "3")]
)
def test_each_file_shows_both_signatures_on_page_one_and_the_record_last(sealed, kind, part):
    pdf = stored(sealed, kind)
    reader = PdfReader(io.BytesIO(pdf))

    assert len(reader.pages[0].images) == 2
    record = pdftotext(pdf, len(reader.pages))
    assert "서명 확인 내역" in record
    assert sealed.verification_code in record
    assert "한도윤" in record and "문가람" in record
    # The seal is an incremental update: the rendered PDF/A is kept whole and
    # keeps its identification.
    assert xmp_pdfa_part(pdf) == part
    assert pdf.count(b"%%EOF") == 2


def test_the_public_file_names_nobody_in_the_remarks(people):
    people.add_remarks(3)
    document = sign_both(confirmed(people), people)

    public = stored(document, "public-pdfa3b")
    text = pdftotext(public)

    assert "<000위원>" in text
    assert "<문가람 위원>" not in text
    # The signers' IP addresses stay in the internal record only.
    record = pdftotext(public, len(PdfReader(io.BytesIO(public)).pages))
    assert "203.0.113.7" not in record and "한도윤" in record
    internal = stored(document, "internal-pdfa1b")
    assert "203.0.113.7" in pdftotext(internal, len(PdfReader(io.BytesIO(internal)).pages))


def test_a_timestamp_server_makes_it_pades_b_t(people, monkeypatch):
    from pyhanko.sign.timestamps import DummyTimeStamper

    seal = sealing.configured_seal()
    monkeypatch.setattr(
        sealing,
        "timestamper",
        lambda: DummyTimeStamper(
            tsa_cert=seal.certificate, tsa_key=seal.signer.signing_key, certs_to_embed=[]
        ),
    )
    document = sign_both(confirmed(people), people)

    check = sealing.check_seal(stored(document, "internal-pdfa3b"))
    assert check.passed
    assert check.timestamp is not None


def test_production_refuses_the_demo_seal_before_the_last_signature(people, settings, tmp_path):
    sealing.create_demo_seal(tmp_path / "demo.p12", tmp_path / "demo.password")
    settings.SEAL_CERTIFICATE_FILE = str(tmp_path / "demo.p12")
    settings.SEAL_PASSWORD = (tmp_path / "demo.password").read_text().strip()
    version = confirmed(people)
    signed_by(version, people.chair.person)

    with pytest.raises(WorkflowError, match="데모 직인"):
        signed_by(version, people.member_a.person)

    # Nothing of the refused signature was kept: the member can sign again later.
    assert version.signatures.count() == 1
    assert not SignedDocument.objects.exists()


def test_the_demo_seal_works_with_debug_on(people, settings, tmp_path):
    settings.DEBUG = True
    sealing.create_demo_seal(tmp_path / "demo.p12", tmp_path / "demo.password")
    settings.SEAL_CERTIFICATE_FILE = str(tmp_path / "demo.p12")
    settings.SEAL_PASSWORD = None
    settings.SEAL_PASSWORD_FILE = str(tmp_path / "demo.password")

    document = sign_both(confirmed(people), people)

    check = sealing.check_seal(stored(document, "internal-pdfa1b"))
    assert check.passed and sealing.DEMO_MARK in check.certificate_subject


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://minutes.example.go.kr", "https://"),
        ("https://127.0.0.1:8000", "이 컴퓨터 자신의 주소"),
        ("https://localhost", "이 컴퓨터 자신의 주소"),
    ],
)
def test_sealing_refuses_a_site_url_no_reader_can_reach(people, settings, url, message):
    settings.SITE_URL = url
    version = confirmed(people)
    signed_by(version, people.chair.person)

    with pytest.raises(WorkflowError, match=re.escape(message)):
        signed_by(version, people.member_a.person)
    assert not SignedDocument.objects.exists()


def test_a_missing_seal_or_a_wrong_password_is_said_in_words(people, settings):
    settings.SEAL_PASSWORD = "wrong"
    assert sealing.seal_problems() == [
        "직인 파일을 열 수 없습니다: 비밀번호가 틀렸거나 PKCS#12 파일이 아닙니다."
    ]
    settings.SEAL_CERTIFICATE_FILE = ""
    assert "MINUTES_SEAL_FILE" in sealing.seal_problems()[0]


def test_check_deploy_reports_what_would_stop_sealing(settings, capsys):
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.SEAL_CERTIFICATE_FILE = ""

    with pytest.raises(CommandError) as raised:
        call_command("check", "--deploy", "--fail-level", "ERROR")

    errors = str(raised.value) + capsys.readouterr().err
    assert "meetings.E002" in errors
    assert "DJANGO_SITE_URL" in errors and "MINUTES_SEAL_FILE" in errors


# --- what readers get -------------------------------------------------------------


def pdf_links(page):
    return re.findall(r'href="([^"]+\.pdf[^"]*)"', html.unescape(page))


def test_every_pdf_link_of_a_signed_meeting_is_a_registered_stored_file(client, sealed, people):
    client.force_login(people.secretary.person.user)
    page = client.get(people.meeting.get_absolute_url()).content.decode()

    links = pdf_links(page)
    assert len(links) == 3
    registered = set(SealedFile.objects.values_list("sha256", flat=True))
    for link in links:
        # A download ticket: the file's own address the first time, then from disk.
        response = client.get(link, follow=True)
        assert response.status_code == 200
        data = response.getvalue()
        digest = hashlib.sha256(data).hexdigest()
        assert digest in registered
        result = client.post(
            reverse("meetings:verify"),
            {"pdf": SimpleUploadedFile("x.pdf", data, "application/pdf")},
        )
        text = " ".join(html.unescape(result.content.decode()).split())
        assert "서명된 회의록 원본이 맞습니다" in text
        assert "직인의 서명이 온전합니다" in text and "✘" not in text


def test_the_old_download_address_serves_the_stored_files(client, sealed, people):
    client.force_login(people.secretary.person.user)
    url = reverse("meetings:pdf", args=[people.meeting.pk])

    internal = client.get(url, {"version": "internal", "variant": "pdf/a-1b"})
    public = client.get(url, {"version": "public"})
    not_kept = client.get(url, {"version": "public", "variant": "pdf/a-1b"})

    assert internal.content == stored(sealed, "internal-pdfa1b")
    assert public.content == stored(sealed, "public-pdfa3b")
    assert not_kept.status_code == 404


def test_a_repeat_download_is_not_sent_again(client, sealed, people):
    client.force_login(people.secretary.person.user)
    url = reverse("meetings:signed_file", args=[sealed.verification_code, "internal-pdfa3b"])
    first = client.get(url)

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304 and again.content == b""


def test_the_minutes_page_shows_the_signatures_and_the_signing_panel(client, sealed, people):
    client.force_login(people.member_a.person.user)
    page = " ".join(
        html.unescape(client.get(people.meeting.get_absolute_url()).content.decode()).split()
    )

    assert page.count('class="signature-image"') == 2
    assert "(서명 또는 인)" not in page
    assert "제1판은 서명이 끝났습니다." in page
    assert sealed.verification_code in page
    assert re.search(r"한도윤 \(교통정책위원\) · \d{4}\. \d+\. \d+\.\(.\) \d\d:\d\d 서명", page)


def test_a_draft_downloads_marked_as_draft(client, people):
    client.force_login(people.secretary.person.user)

    response = client.get(reverse("meetings:pdf", args=[people.meeting.pk]))

    assert response.status_code == 200
    assert "-draft.pdf" in response["Content-Disposition"]
    assert "초안" in pdftotext(response.content, 1)


def test_a_frozen_unsigned_version_downloads_marked_as_not_signed(client, people):
    confirmed(people)
    client.force_login(people.secretary.person.user)

    response = client.get(reverse("meetings:pdf", args=[people.meeting.pk]))

    assert "-unsigned.pdf" in response["Content-Disposition"]
    assert "서명 전" in pdftotext(response.content, 1)


def test_render_minutes_writes_the_stored_pdfa_1b_of_a_signed_meeting(sealed, people, tmp_path):
    target = tmp_path / "out.pdf"

    call_command(
        "render_minutes", str(people.meeting.pk), "-o", str(target), "--variant", "pdf/a-1b"
    )

    assert target.read_bytes() == stored(sealed, "internal-pdfa1b")


# --- frozen facts on the verification page -------------------------------------------


def test_renaming_a_signer_after_sealing_changes_nothing(client, sealed, people):
    url = reverse("meetings:verify_code", args=[sealed.verification_code])
    before = read_minutes(client.get(url))[1]

    person = people.chair.person
    person.name = "한도윤(개명)"
    person.save()

    after = read_minutes(client.get(url))[1]
    assert after["verify-signatures"] == before["verify-signatures"]
    assert "한도윤 (교통정책위원, 열람·서명자)" in after["verify-signatures"]
    assert after == before


def test_an_amended_version_says_it_was_replaced_and_links_the_new_one(client, sealed, people):
    old_url = reverse("meetings:verify_code", args=[sealed.verification_code])
    amend(people.meeting, by=people.secretary.person.user, reason="오타 정정")
    amending = " ".join(html.unescape(client.get(old_url).content.decode()).split())
    assert "정정이 시작되었습니다 (오타 정정)" in amending

    people.add_remarks(1)
    new = sign_both(confirmed(people), people)

    page = " ".join(html.unescape(client.get(old_url).content.decode()).split())
    assert "제2판으로 대체되었습니다" in page
    assert reverse("meetings:verify_code", args=[new.verification_code]) in page
    newest = " ".join(
        html.unescape(
            client.get(
                reverse("meetings:verify_code", args=[new.verification_code])
            ).content.decode()
        ).split()
    )
    assert "대체되었습니다" not in newest


def test_verify_minutes_command_reports_each_check(sealed, tmp_path, capsys):
    good = tmp_path / "good.pdf"
    good.write_bytes(stored(sealed, "public-pdfa3b"))

    call_command("verify_minutes", str(good))
    output = capsys.readouterr().out
    assert "FAIL" not in output
    assert "PASS  SHA-256" in output and "공개용 PDF/A-3b" in output
    assert "파일이 모든 확인을 통과했습니다." in output

    bad = tmp_path / "bad.pdf"
    data = bytearray(good.read_bytes())
    data[5000] ^= 0x01
    bad.write_bytes(bytes(data))
    with pytest.raises(CommandError):
        call_command("verify_minutes", str(bad))
    output = capsys.readouterr().out
    assert "FAIL  SHA-256" in output
    assert "FAIL  직인의 서명이 파일과 맞지 않습니다" in output


# --- the archive ---------------------------------------------------------------------


def export(tmp_path, name="archive.zip"):
    target = tmp_path / name
    call_command("export_archive", "--committee", "traffic", "--year", "2024", "-o", str(target))
    return target


def test_export_archive_twice_gives_identical_zips_that_verify(sealed, tmp_path, capsys):
    first, second = export(tmp_path, "a.zip"), export(tmp_path, "b.zip")

    assert first.read_bytes() == second.read_bytes()
    names = zipfile.ZipFile(first).namelist()
    folder = "traffic-2024-1/v1/"
    assert sorted(names) == sorted(
        [f"{folder}traffic-2024-1-v1-{kind}.pdf" for kind in KINDS]
        + [f"{folder}minutes.json", "manifest.json", "manifest.csv"]
    )
    capsys.readouterr()
    call_command("verify_archive", str(first))
    output = capsys.readouterr().out
    assert "FAIL" not in output and "확인 7건을 모두 통과했습니다." in output


@pytest.mark.parametrize("where", ["a pdf", "minutes.json", "manifest.json", "manifest.csv"])
def test_a_one_byte_change_is_reported_naming_the_file(sealed, tmp_path, capsys, where):
    archive = export(tmp_path)
    with zipfile.ZipFile(archive) as original:
        entries = [(info, original.read(info)) for info in original.infolist()]
    target = {
        "a pdf": "traffic-2024-1/v1/traffic-2024-1-v1-internal-pdfa1b.pdf",
        "minutes.json": "traffic-2024-1/v1/minutes.json",
        "manifest.json": "manifest.json",
        "manifest.csv": "manifest.csv",
    }[where]
    changed = tmp_path / "changed.zip"
    with zipfile.ZipFile(changed, "w") as rewritten:
        for info, data in entries:
            if info.filename == target:
                data = bytearray(data)
                data[len(data) // 2] ^= 0x01
                data = bytes(data)
            rewritten.writestr(info, data)

    with pytest.raises(CommandError) as raised:
        call_command("verify_archive", str(changed))
    assert target in str(raised.value)
    assert f"FAIL  {target}" in capsys.readouterr().out


def test_a_byte_flipped_anywhere_in_the_zip_is_reported(sealed, tmp_path):
    """Headers, dates and the central directory included, not only file contents."""
    data = export(tmp_path).read_bytes()
    positions = [0, 5, 12, 30, 45] + [len(data) * k // 10 for k in range(1, 10)]
    positions += [len(data) - 30, len(data) - 100, len(data) - 400]

    for position in positions:
        changed = bytearray(data)
        changed[position] ^= 0x01
        target = tmp_path / "changed.zip"
        target.write_bytes(bytes(changed))
        with pytest.raises(CommandError):
            call_command("verify_archive", str(target), stdout=io.StringIO())


def test_archive_staff_download_the_export_from_their_page(
    client, sealed, django_user_model, tmp_path
):
    from django.contrib.auth.models import Permission

    archivist = django_user_model.objects.create_user("archivist", password="pw", is_staff=True)
    archivist.user_permissions.add(Permission.objects.get(codename="view_meeting"))
    client.force_login(archivist)
    home = client.get(reverse("meetings:list")).content.decode()
    assert reverse("meetings:archive") in home

    preview = client.get(reverse("meetings:archive"), {"committee": "traffic", "year": 2024})
    assert preview.status_code == 200
    assert sealed.verification_code in preview.content.decode()
    # The ZIP is built by a task (run at once in tests): its page offers the file.
    job_page = client.post(reverse("meetings:archive"), {"committee": "traffic", "year": 2024})
    job = Job.objects.get(kind=Job.Kind.ARCHIVE)
    assert job_page.url == job.get_absolute_url()
    download = client.get(reverse("meetings:job_result", args=[job.pk]))

    assert download["Content-Type"] == "application/zip"
    assert download.content == export(tmp_path).read_bytes()


def test_the_archive_page_refuses_members_and_bad_input(client, sealed, people, django_user_model):
    client.force_login(people.member_a.person.user)
    assert client.get(reverse("meetings:archive")).status_code == 403

    admin = django_user_model.objects.create_superuser("root", password="pw")
    client.force_login(admin)
    response = client.get(reverse("meetings:archive"), {"committee": "nope", "year": "x"})
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"committee", "year"}


def test_the_admin_action_exports_the_stored_files_and_skips_drafts(client, sealed, people):
    draft = people.meeting.__class__.objects.create(
        committee=people.committee,
        year=2024,
        sequence=2,
        starts_at=people.meeting.starts_at,
        ends_at=people.meeting.ends_at,
        place="회의실",
        document_date=people.meeting.document_date,
    )
    admin = people.secretary.person.user.__class__.objects.create_superuser("root", password="pw")
    client.force_login(admin)

    response = client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "export_archive_action", "_selected_action": [people.meeting.pk, draft.pk]},
    )

    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        pdfs = {name: archive.read(name) for name in archive.namelist() if name.endswith(".pdf")}
    assert sorted(hashlib.sha256(pdf).hexdigest() for pdf in pdfs.values()) == sorted(
        SealedFile.objects.values_list("sha256", flat=True)
    )
    assert not any("2024-2" in name for name in pdfs)


def test_the_admin_action_on_drafts_only_says_why_nothing_came(client, people):
    admin = people.secretary.person.user.__class__.objects.create_superuser("root", password="pw")
    client.force_login(admin)

    response = client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "export_archive_action", "_selected_action": [people.meeting.pk]},
        follow=True,
    )

    assert response["Content-Type"].startswith("text/html")
    assert "서명되지 않아 내보내지 않았습니다" in response.content.decode()


# --- hostile input: a clear 4xx or a command error, never a server error --------------


@pytest.mark.parametrize(
    "path",
    [
        "/meetings/verify/%00/",
        "/meetings/verify/%00/internal-pdfa3b.pdf",
        "/meetings/verify/AB12%00CD34/minutes.pdf",
        "/meetings/verify/" + "A" * 5000 + "/public-pdfa3b.pdf",
    ],
)
def test_impossible_codes_in_addresses_are_404(client, sealed, people, path):
    client.force_login(people.secretary.person.user)

    assert client.get(path).status_code == 404


def test_a_truncated_or_garbage_pdf_upload_is_answered_in_words(client, sealed):
    truncated = stored(sealed, "internal-pdfa3b")[:40_000]

    for data in [truncated, b"%PDF-1.7\n" + bytes(range(256)) * 40]:
        response = client.post(
            reverse("meetings:verify"),
            {"pdf": SimpleUploadedFile("x.pdf", data, "application/pdf")},
        )
        text = " ".join(html.unescape(response.content.decode()).split())
        assert response.status_code == 200
        assert "이 파일과 일치하는 서명된 회의록이 없습니다." in text
        assert 'id="seal-check"' in text and "✔" not in text


@pytest.mark.parametrize(
    "query",
    [
        {"committee": "traffic\x00", "year": "2024"},
        {"committee": "traffic", "year": "-1"},
        {"committee": "traffic", "year": "9" * 30},
        {"committee": "", "year": ""},
    ],
)
def test_the_archive_page_refuses_impossible_input_with_400(
    client, sealed, django_user_model, query
):
    client.force_login(django_user_model.objects.create_superuser("root", password="pw"))

    response = client.get(reverse("meetings:archive"), {**query, "download": "1"})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert response.context["form"].errors


def test_the_commands_refuse_bad_files_and_places_in_words(sealed, tmp_path):
    not_a_zip = tmp_path / "notes.zip"
    not_a_zip.write_text("hello")
    with pytest.raises(CommandError, match="ZIP"):
        call_command("verify_archive", str(not_a_zip), stdout=io.StringIO())
    with pytest.raises(CommandError, match="읽을 수 없습니다"):
        call_command("verify_archive", str(tmp_path / "missing.zip"))
    with pytest.raises(CommandError, match="읽을 수 없습니다"):
        call_command("verify_minutes", str(tmp_path / "missing.pdf"))
    with pytest.raises(CommandError, match="위원회 nope이\\(가\\) 없습니다. 있는 위원회: traffic"):
        call_command("export_archive", "--committee", "nope", "--year", "2024", "-o", "x.zip")
    with pytest.raises(CommandError, match="폴더입니다"):
        call_command(
            "export_archive", "--committee", "traffic", "--year", "2024", "-o", str(tmp_path)
        )
    with pytest.raises(CommandError, match="폴더 .* 없습니다"):
        call_command(
            "export_archive",
            "--committee",
            "traffic",
            "--year",
            "2024",
            "-o",
            str(tmp_path / "no" / "such" / "a.zip"),
        )


def test_create_demo_seal_makes_a_demo_seal_once(tmp_path, settings):
    target = tmp_path / "var" / "demo.p12"
    first, second = io.StringIO(), io.StringIO()

    call_command("create_demo_seal", "--output", str(target), stdout=first)
    made = target.read_bytes()
    call_command("create_demo_seal", "--output", str(target), stdout=second)

    assert "데모 직인을 만들었습니다" in first.getvalue()
    assert "있는 것을 씁니다" in second.getvalue() and target.read_bytes() == made
    settings.SEAL_CERTIFICATE_FILE = str(target)
    settings.SEAL_PASSWORD = None
    settings.SEAL_PASSWORD_FILE = str(target.with_suffix(".password"))
    assert sealing.configured_seal().is_demo
