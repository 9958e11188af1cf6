"""회의록 파일에서 가져오기 in a real browser: upload, preview, create, edit.

A secretary uploads a TXT (from home, on a desktop), a PDF printed from the
reference by the project's own renderer, and an HWPX document on a phone;
each preview shows what was read, and 초안 만들기 opens the new draft in the
editor with its remarks. Screenshots go to /tmp/screens/upload/.
"""

import re

from django.urls import reverse
from playwright.sync_api import expect

from meetings.models import Meeting

from .conftest import BROWSER_TESTS, log_in, screenshot
from .test_upload import TRANSCRIPT, needs_reference, reference_pdf, transcript_hwpx

pytestmark = BROWSER_TESTS


def shot(page, name):
    screenshot(page, "upload", name)


def choose(page, name, data, mime):
    page.locator("#id_file").set_input_files({"name": name, "mimeType": mime, "buffer": data})
    page.locator("#import-read").click()
    expect(page.locator("#import-counts")).to_be_visible()


def create(page, world, statement, *, screen):
    shot(page, f"preview-{screen}.png")
    page.locator("#import-create-draft").click()
    expect(page).to_have_url(re.compile(r"/meetings/\d+/edit/$"))
    statements = page.locator("textarea.statement")
    expect(statements.first).to_be_visible()
    values = [area.input_value() for area in statements.all()]
    assert any(statement in value for value in values), values[:5]
    shot(page, f"editor-{screen}.png")


def test_a_text_file_uploaded_from_home_becomes_a_draft(desk, site, world, keeper):
    log_in(desk, site, "secretary", "pw")
    desk.locator("#import-minutes").click()
    shot(desk, "upload-desktop.png")
    # A wrong file first: the error stays at the field and the committee stays chosen.
    desk.locator("#id_file").set_input_files(
        {"name": "사진.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n" + bytes(64)}
    )
    desk.locator("#import-read").click()
    expect(desk.locator("#id_file")).to_have_class(re.compile("is-invalid"))
    expect(desk.locator("#id_committee")).to_have_value("traffic")
    shot(desk, "upload-error-desktop.png")

    choose(desk, "회의록.txt", TRANSCRIPT.encode("cp949"), "text/plain")
    expect(desk.locator("#import-counts [data-count=blocks] dd")).to_have_text("3")
    expect(desk.locator("#import-sample")).to_contain_text(
        "버스 노선 개편안에 대해 질의하겠습니다."
    )
    create(desk, world, "버스 노선 개편안에 대해 질의하겠습니다.", screen="txt-desktop")
    assert Meeting.objects.filter(committee=world.committee, year=2031).count() == 1


@needs_reference
def test_the_reference_as_printed_by_our_renderer_comes_back_as_a_draft(desk, site, world, keeper):
    pdf = reference_pdf()
    log_in(desk, site, "secretary", "pw")
    desk.goto(site + reverse("meetings:new"))
    desk.locator("#import-link a").click()

    choose(desk, "2024년 1차 빅데이터심의위원회 회의록.pdf", pdf, "application/pdf")
    expect(desk.locator("#import-counts [data-count=blocks] dd")).to_have_text("57")
    expect(desk.locator("#import-counts [data-count=statements] dd")).to_have_text("70")
    create(desk, world, "공공데이터를 활용하여", screen="pdf-desktop")


def test_an_hwpx_document_is_imported_on_a_phone(phone, site, world, keeper):
    log_in(phone, site, "secretary", "pw")
    phone.goto(site + reverse("editor:import"))
    shot(phone, "upload-phone.png")

    choose(phone, "회의록.hwpx", transcript_hwpx(), "application/octet-stream")
    # Nothing wider than the phone: the page does not scroll sideways.
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    phone.locator("#id_place").fill("시청 대회의실")
    create(phone, world, "성원이 되었으므로 회의를 시작하겠습니다.", screen="hwpx-phone")
    meeting = Meeting.objects.get(committee=world.committee, year=2031)
    assert meeting.place == "시청 대회의실"
