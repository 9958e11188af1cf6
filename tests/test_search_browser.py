"""The search in a real browser: on a phone, a partial Korean word finds the
published demo, marked, and a result opens the public minutes at its block."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from meetings import services
from meetings.models import Meeting

from .conftest import BROWSER_TESTS, SCREENS, log_in

pytestmark = BROWSER_TESTS


@pytest.fixture
def published_demo(db):
    call_command("load_demo", "--signed", stdout=io.StringIO())
    meeting = Meeting.objects.get(committee__slug="data-policy", sequence=2)
    services.publish(meeting, by=get_user_model().objects.get(username="secretary"))
    return meeting


def test_a_phone_finds_a_partial_word_and_opens_the_public_block(
    chromium, phone, site, published_demo
):
    screens = SCREENS / "search"
    screens.mkdir(parents=True, exist_ok=True)
    phone.goto(f"{site}/public/search/")
    phone.fill("#id_q", "데이터")
    phone.click("#search-submit")

    hit = phone.locator(".search-hit").filter(has=phone.locator("mark", has_text="데이터"))
    big_data = hit.filter(has_text="빅데이터").first
    expect(big_data).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width} px)"
    phone.screenshot(path=screens / "public-search-phone.png", full_page=True)

    big_data.locator("a.search-hit-link").click()
    expect(phone).to_have_url(f"{site}/public/data-policy/2026/2/#remark-3")
    target = phone.locator("#remark-3")
    expect(target).to_contain_text("빅데이터")
    expect(target).to_be_in_viewport()

    # The pages as a person sees them, for the screenshots: desktop, both searches.
    desktop = chromium.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    page = desktop.new_page()
    page.goto(f"{site}/public/search/?q=데이터+예산")
    expect(page.locator("#search-count")).to_be_visible()
    page.screenshot(path=screens / "public-search-desktop.png", full_page=True)
    page.goto(f"{site}/public/search/?q=데이터&year=1999")
    expect(page.locator("#search-errors")).to_be_visible()
    page.screenshot(path=screens / "public-search-error-desktop.png")
    log_in(page, site, "signer1", "minutes-demo")
    page.click("#nav-search")
    page.fill("#id_q", "데이터")
    page.fill("#id_speaker", "위원")
    page.click("#search-submit")
    expect(page.locator(".search-hit mark").first).to_be_visible()
    page.screenshot(path=screens / "search-desktop.png", full_page=True)
    desktop.close()
    log_in(phone, site, "signer1", "minutes-demo")
    phone.goto(f"{site}/meetings/search/?q=데이터")
    expect(phone.locator(".search-hit").first).to_be_visible()
    phone.screenshot(path=screens / "search-phone.png", full_page=True)
