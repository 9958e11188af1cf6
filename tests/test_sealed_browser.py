"""On a phone (390 px), a signer reaches the signed record from the minutes page:
the signatures, the signing panel, and the stored files, which verify."""

import hashlib
import io
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from meetings.models import Meeting, SealedFile

from .conftest import BROWSER_TESTS, SCREENS, log_in

pytestmark = BROWSER_TESTS


def fits_the_screen(page, selector):
    box = page.locator(selector).bounding_box()
    return box["x"] >= 0 and box["x"] + box["width"] <= 390


def test_a_signer_on_a_phone_gets_the_signed_files_from_the_minutes_page(phone, site):
    call_command("load_demo", signed=True, stdout=io.StringIO())
    meeting = Meeting.objects.get(status=Meeting.Status.SIGNED)
    registered = set(SealedFile.objects.values_list("sha256", flat=True))
    page = phone

    log_in(page, site, "signer1", "minutes-demo")
    page.goto(site + meeting.get_absolute_url())

    expect(page.locator("#seal")).to_contain_text("서명이 끝났습니다")
    expect(page.locator("#seal .seal-signature")).to_have_count(2)
    expect(page.locator(".signature-block .signature-image")).to_have_count(2)
    assert fits_the_screen(page, "#seal")
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / "signed-phone.png"), full_page=False)

    page.get_by_role("button", name="PDF 내려받기").click()
    links = page.locator("#pdf-menu .signed-file")
    expect(links).to_have_count(3)
    for index in range(3):
        assert fits_the_screen(page, f"#pdf-menu .signed-file >> nth={index}")
    page.screenshot(path=str(SCREENS / "signed-phone-menu.png"), full_page=False)
    with page.expect_download() as download:
        page.get_by_role("link", name="공개용 PDF/A-3b").click()
    data = Path(download.value.path()).read_bytes()
    assert hashlib.sha256(data).hexdigest() in registered
    # Again: now the download ticket is served from the copy on disk
    # (meetings/tickets.py), with the same name and bytes.
    page.get_by_role("button", name="PDF 내려받기").click()
    with page.expect_download() as again:
        page.get_by_role("link", name="공개용 PDF/A-3b").click()
    assert again.value.suggested_filename == download.value.suggested_filename
    assert again.value.suggested_filename.endswith("-v1-public-pdfa3b.pdf")
    assert Path(again.value.path()).read_bytes() == data

    page.goto(site + reverse("meetings:verify"))
    page.set_input_files("input[name=pdf]", download.value.path())
    page.get_by_role("button", name="진위 확인").click()
    expect(page.locator("#verify-result")).to_contain_text("공개용 PDF/A-3b")
    expect(page.locator("#seal-check .passed")).to_have_count(3)
    assert fits_the_screen(page, "#verify-result")
    page.screenshot(path=str(SCREENS / "verified-phone.png"), full_page=True)


def test_archive_staff_export_a_year_from_the_home_page_on_a_phone(phone, site, tmp_path):
    call_command("load_demo", signed=True, stdout=io.StringIO())
    page = phone

    log_in(page, site, "archivist", "minutes-demo")
    page.locator("#site-navbar .navbar-toggler").click()  # the menu folds on a phone
    page.get_by_role("link", name="기록물 내보내기").click()
    page.select_option("select[name=committee]", label="데이터정책위원회")
    page.fill("input[name=year]", "2026")
    page.get_by_role("button", name="내보낼 목록 보기").click()

    expect(page.locator("#archive-preview .archive-version")).to_have_count(1)
    expect(page.locator("#archive-preview")).to_contain_text("파일 3개")
    assert fits_the_screen(page, "#archive-form")
    assert fits_the_screen(page, "#archive-download")
    page.screenshot(path=str(SCREENS / "archive-phone.png"), full_page=True)
    # The ZIP is built by a task: its page offers the file when it is done.
    page.locator("#archive-download").click()
    with page.expect_download() as download:
        page.locator("#job-download").click()
    archive = tmp_path / download.value.suggested_filename
    download.value.save_as(archive)

    assert archive.name == "minutes-archive-data-policy-2026.zip"
    output = io.StringIO()
    call_command("verify_archive", str(archive), stdout=output)
    assert "확인 7건을 모두 통과했습니다." in output.getvalue()
