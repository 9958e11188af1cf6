"""An anonymous reader finds published minutes from the public home, reads them and
downloads the sealed public PDF, on a desktop and on a phone (390 px), with the
page in Korean, nothing wider than the screen and nothing refused by the CSP."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import Page, expect

from meetings.models import Meeting, SealedFile
from meetings.services import publish

from .conftest import BROWSER_TESTS, screenshot

pytestmark = BROWSER_TESTS


@pytest.fixture
def published_demo():
    call_command("load_demo", "--signed", stdout=io.StringIO())
    meeting = Meeting.objects.get(sequence=2)
    publish(meeting, by=get_user_model().objects.get(username="secretary"))
    return SealedFile.objects.get(
        document__version__meeting=meeting, kind=SealedFile.Kind.PUBLIC_PDFA3B
    )


def shot(page, name, *, full_page=True):
    screenshot(page, "public", name, full_page=full_page)


def csp_refusals(page: Page):
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_an_anonymous_reader_reads_and_downloads_published_minutes(
    request, site, published_demo, device
):
    page: Page = request.getfixturevalue("desk" if device == "desktop" else "phone")
    refused = csp_refusals(page)

    page.goto(f"{site}/public/")
    expect(page.locator("h1")).to_have_text("공개 회의록")
    expect(page.locator("#site-navbar")).to_have_count(0)
    shot(page, f"{device}-home.png")

    page.get_by_role("link", name="데이터정책위원회").click()
    expect(page.locator(".public-entry")).to_have_count(1)
    shot(page, f"{device}-committee.png")

    page.get_by_role("link", name="2026년 2차 데이터정책위원회").click()
    expect(page).to_have_url(f"{site}/public/data-policy/2026/2/")
    remarks = page.locator("#remarks")
    expect(remarks).to_contain_text("<000위원>")
    expect(remarks).not_to_contain_text("백하린")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width} px wide"
    shot(page, f"{device}-minutes.png", full_page=False)
    remarks.scroll_into_view_if_needed()
    shot(page, f"{device}-minutes-remarks.png", full_page=False)

    with page.expect_download() as download:
        page.locator("#public-pdf").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read() == bytes(published_demo.pdf)
    assert download.value.suggested_filename == "data-policy-2026-2-v1-public-pdfa3b.pdf"
    assert refused == []

    # What is not published, and a page that does not exist: said in Korean, no login asked.
    response = page.goto(f"{site}/public/data-policy/2026/1/")
    assert response.status == 404
    expect(page.locator("main")).to_contain_text("이 주소에 공개된 회의록이 없습니다.")
    shot(page, f"{device}-not-published.png")
    response = page.goto(f"{site}/public/data-policy/?page=9")
    assert response.status == 400
    expect(page.locator("#filter-errors")).to_be_visible()
    shot(page, f"{device}-bad-page.png")
