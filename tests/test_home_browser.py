"""On a phone (390 px), the navbar folds into a menu that shows the waiting tasks,
and the home page fits the screen."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from meetings.services import send_for_review

from .conftest import BROWSER_TESTS, SCREENS, log_in

pytestmark = BROWSER_TESTS


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_on_a_phone_the_menu_folds_shows_the_task_count_and_home_fits(phone, site, people):
    send_for_review(
        people.meeting,
        by=people.secretary.person.user,
        deadline=timezone.now() + datetime.timedelta(days=7),
    )
    page = phone
    log_in(page, site, "member_a", "pw")
    screens = SCREENS / "home"
    screens.mkdir(parents=True, exist_ok=True)

    # Folded: the menu's links are hidden, the toggler shows the count.
    toggler = page.locator("#site-navbar .navbar-toggler")
    expect(toggler).to_be_visible()
    expect(toggler.locator(".task-badge")).to_have_text("1")
    expect(page.locator("#nav-tasks")).to_be_hidden()
    # Home: the waiting review first, with its own verb, then the list.
    expect(page.locator("#home-tasks [data-task=review] a")).to_have_text("검토")
    expect(page.locator("#meeting-list")).to_contain_text("2024년 1차 교통정책위원회")
    assert fits(page)
    page.screenshot(path=str(screens / "home-phone.png"), full_page=True)

    # Opened: every link on its own line, nothing wider than the phone.
    toggler.click()
    expect(page.locator("#site-menu")).to_have_class(re.compile(r"\bshow\b"))  # opened
    expect(page.locator("#nav-tasks")).to_be_visible()
    expect(page.locator("#nav-account")).to_be_visible()
    expect(page.locator("#task-count")).to_contain_text("1")
    expect(page.locator("#nav-verify")).to_be_visible()
    expect(page.locator("select[name=language] option:checked")).to_have_text("한국어")
    box = page.locator("#nav-tasks").bounding_box()
    assert box["height"] < 60  # one line, not 내/할/일 a syllable per line
    assert fits(page)
    page.screenshot(path=str(screens / "navbar-open-phone.png"))

    # The badge leads to the tasks, which fit too.
    page.locator("#nav-tasks").click()
    expect(page.locator("[data-task=review]")).to_be_visible()
    assert fits(page)
