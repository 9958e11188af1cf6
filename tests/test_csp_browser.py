"""Under the Content-Security-Policy every page still works in a real browser
(Debian's Chromium through Playwright), and the browser reports no violation:
the editor loads and autosaves, a signer draws and signs on the canvas, the
signed minutes show the signature images (data: URLs) and the verification
page opens, the admin's meeting page runs its JavaScript, and the language
menu switches without an inline handler."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from meetings.models import Signature

from .conftest import BROWSER_TESTS, log_in
from .test_browser import draw_signature
from .test_signing import sign_both
from .test_workflow import confirmed

pytestmark = BROWSER_TESTS

# Chromium logs a violation to the console ("Refused to ... because it violates
# the following Content Security Policy directive"); the page's own
# securitypolicyviolation event is logged too, in case a message is worded otherwise.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
});
"""


def violations(messages):
    return [
        message
        for message in messages
        if "Content Security Policy" in message
        or "Refused to" in message
        or "CSP violation" in message
    ]


@pytest.fixture
def tab(chromium):
    """A fresh page whose console messages and script errors are collected."""
    context = chromium.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.on("pageerror", lambda error: messages.append(f"page error: {error}"))
    page.messages = messages
    yield page
    context.close()


def test_the_watch_catches_a_violation(tab, site, db):
    """The check below would notice: an inline style set by a script is refused."""
    tab.goto(f"{site}/accounts/login/")
    tab.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    tab.wait_for_timeout(200)

    assert violations(tab.messages)


def test_the_editor_loads_and_autosaves(tab, site, world):
    world.add_remarks(2)
    log_in(tab, site, "secretary", "pw")
    tab.goto(site + reverse("editor:page", args=[world.meeting.pk]))
    status = tab.locator("#save-status")
    expect(status).to_have_attribute("data-state", "saved", timeout=10_000)

    statement = tab.locator("#remarks section.eblock textarea.statement").first
    statement.click()
    tab.keyboard.press("End")
    tab.keyboard.type(" (자동 저장)")
    expect(status).to_have_attribute("data-state", "dirty")
    expect(status).to_have_attribute("data-state", "saved", timeout=10_000)

    first = world.meeting.speaker_blocks.order_by("position").first()
    assert first.statements.first().text.endswith("(자동 저장)")
    assert violations(tab.messages) == []


def test_a_signer_draws_and_signs(tab, site, people):
    version = confirmed(people)
    log_in(tab, site, "member_a", "pw")
    tab.goto(site + reverse("meetings:sign", args=[people.meeting.pk]))
    expect(tab.locator("#content-sha256")).to_have_text(version.content_sha256)

    draw_signature(tab)
    tab.fill("input[name=password]", "pw")
    tab.locator("#sign-button").click()

    expect(tab.locator(".alert-success[role=alert]")).to_be_visible()
    assert Signature.objects.get().method == "drawn"
    assert violations(tab.messages) == []


def test_the_signed_minutes_and_the_verification_page(tab, site, people):
    document = sign_both(confirmed(people), people)
    log_in(tab, site, "member_a", "pw")

    tab.goto(site + people.meeting.get_absolute_url())
    images = tab.locator(".signature-block .signature-image")
    expect(images).to_have_count(2)
    for index in range(2):
        # A data: URL, drawn only if the policy allows it.
        assert images.nth(index).get_attribute("src").startswith("data:image/png")
        assert images.nth(index).evaluate("image => image.complete && image.naturalWidth > 0")

    tab.goto(site + reverse("meetings:verify_code", args=[document.verification_code]))
    expect(tab.locator("#verify-result")).to_be_visible()
    assert violations(tab.messages) == []


def test_the_admin_meeting_page_runs_its_javascript(tab, site, world, django_user_model):
    django_user_model.objects.create_superuser("boss", "boss@example.kr", "pw")
    log_in(tab, site, "boss", "pw")
    tab.goto(f"{site}/admin/meetings/meeting/{world.meeting.pk}/change/")

    # The inline's "add another" link is made by the admin's own script.
    add_row = tab.locator("#speaker_blocks-group .add-row a")
    expect(add_row).to_be_visible()
    rows = int(tab.input_value("#id_speaker_blocks-TOTAL_FORMS"))
    add_row.click()
    expect(tab.locator("#id_speaker_blocks-TOTAL_FORMS")).to_have_value(str(rows + 1))
    assert violations(tab.messages) == []


def test_the_language_menu_switches_without_an_inline_handler(tab, site, db):
    tab.goto(f"{site}/accounts/login/")
    expect(tab.get_by_role("button", name="로그인")).to_be_visible()

    tab.select_option("select[name=language]", "en")

    expect(tab.get_by_role("button", name="Log in")).to_be_visible()
    assert violations(tab.messages) == []
