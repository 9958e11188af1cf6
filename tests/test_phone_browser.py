"""Members review and sign on a phone (390 × 844, touch), and nothing
irreversible happens on one tap.

On the demo: every page a member uses fits the screen without sideways
scrolling; a signer draws with a finger (touch events through Chromium's
DevTools protocol, as a phone sends them), types a wrong password and gets the
page back at the form with the drawing still there and the error under the
password field; 검토 요청, 최종본 확인, 공개 and 정정 each open a dialog that
says what will happen, and only the dialog's button posts. The editor offers a
button for every keyboard action, used here without a keyboard.
"""

import io
import re

from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect

from agenda.models import SpeakerBlock
from meetings.models import Meeting, Signature

from .conftest import BROWSER_TESTS, SCREENS, log_in

pytestmark = BROWSER_TESTS

PASSWORD = "minutes-demo"
PHONE_WIDTH = 390


def screenshot(page: Page, name):
    folder = SCREENS / "phone"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / name, full_page=False)


def assert_fits(page: Page, name):
    """No sideways scrolling: the document is no wider than the phone."""
    width = page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, name)
    assert width <= PHONE_WIDTH, f"{page.url} is {width} px wide"


def as_user(page: Page, site, username):
    page.context.clear_cookies()
    log_in(page, site, username, PASSWORD)


def status_of(meeting):
    return Meeting.objects.get(pk=meeting.pk).status


def press_and_confirm(page: Page, meeting, button, dialog_id):
    """The page's button opens the dialog and posts nothing; the dialog's button posts."""
    before = status_of(meeting)
    page.get_by_role("button", name=button, exact=True).click()
    dialog = page.locator(f"#{dialog_id}")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".modal-body")).not_to_be_empty()
    assert status_of(meeting) == before
    expect(dialog).to_have_css("opacity", "1")  # faded in, for the screenshot
    screenshot(page, f"{dialog_id}.png")
    dialog.locator("[data-confirmed]").click()
    expect(page.locator(".alert-success[role=alert]")).to_be_visible()
    assert status_of(meeting) != before


def draw_with_a_finger(page: Page):
    """Three strokes on the signature canvas as touches, the way a phone reports a finger."""
    canvas = page.locator("#signature-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    touch = page.context.new_cdp_session(page)
    for stroke in range(3):
        y = box["y"] + 40 + stroke * 35
        points = [(box["x"] + 20 + step * 18, y + (12 if step % 2 else -12)) for step in range(14)]
        x0, y0 = points[0]
        touch.send(
            "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]}
        )
        for x, y1 in points[1:]:
            touch.send(
                "Input.dispatchTouchEvent",
                {"type": "touchMove", "touchPoints": [{"x": x, "y": y1}]},
            )
        touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    touch.detach()


CANVAS_HAS_INK = """() => {
  const canvas = document.getElementById("signature-canvas");
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) return true;
  return false;
}"""


def test_a_member_reviews_and_signs_on_a_phone(phone, site):
    call_command("load_demo", stdout=io.StringIO())
    meeting = Meeting.objects.get()
    minutes_url = site + meeting.get_absolute_url()
    page = phone

    as_user(page, site, "secretary")
    page.goto(minutes_url)
    assert_fits(page, "minutes-draft.png")
    press_and_confirm(page, meeting, "검토 요청", "send-for-review-dialog")

    as_user(page, site, "signer1")
    assert_fits(page, "home.png")
    page.goto(site + reverse("meetings:tasks"))
    assert_fits(page, "tasks.png")
    page.goto(minutes_url)
    assert_fits(page, "minutes-in-review.png")
    page.goto(site + reverse("agenda:review", args=[meeting.pk]))
    page.locator("#remarks details summary").first.click()
    assert_fits(page, "review.png")

    as_user(page, site, "confirmer")
    page.goto(minutes_url)
    press_and_confirm(page, meeting, "최종본 확인", "confirm-dialog")

    as_user(page, site, "signer1")
    page.goto(site + reverse("meetings:sign", args=[meeting.pk]))
    expect(page.locator("#content-sha256")).not_to_be_visible()  # folded in 기술 정보
    assert_fits(page, "sign.png")
    draw_with_a_finger(page)
    assert page.evaluate(CANVAS_HAS_INK)
    page.fill("input[name=password]", "not-my-password")
    page.locator("#sign-button").click()

    # Back at the form, not at the top of the minutes; the error under the
    # password field; the drawing still on the canvas.
    expect(page.locator("#div_id_password .invalid-feedback")).to_contain_text("비밀번호")
    assert page.url.endswith("#sign-form")
    expect(page.locator("#id_password")).to_be_in_viewport()
    expect(page.locator("#id_password")).to_be_focused()
    page.wait_for_function(CANVAS_HAS_INK)
    assert_fits(page, "sign-refused.png")
    assert not Signature.objects.exists()

    page.fill("input[name=password]", PASSWORD)
    page.locator("#sign-button").click()
    expect(page.locator(".alert-success[role=alert]")).to_be_visible()
    signature = Signature.objects.get()
    assert (signature.user.username, signature.method) == ("signer1", "drawn")

    page.goto(site + reverse("meetings:verify"))
    assert_fits(page, "verify.png")


def test_the_secretary_publishes_and_amends_on_a_phone_only_through_the_dialogs(phone, site):
    call_command("load_demo", signed=True, stdout=io.StringIO())
    meeting = Meeting.objects.get(status=Meeting.Status.SIGNED)
    page = phone

    as_user(page, site, "secretary")
    page.goto(site + meeting.get_absolute_url())
    assert_fits(page, "minutes-signed.png")
    expect(page.get_by_role("button", name="정정 (새 판)", exact=True)).to_be_in_viewport()
    document = meeting.current_version().signed_document
    page.goto(site + reverse("meetings:verify_code", args=[document.verification_code]))
    assert_fits(page, "verify-signed.png")

    page.goto(site + meeting.get_absolute_url())
    press_and_confirm(page, meeting, "공개", "publish-dialog")
    assert status_of(meeting) == Meeting.Status.PUBLISHED

    page.fill("textarea[name=reason]", "오타 정정")
    press_and_confirm(page, meeting, "정정 (새 판)", "amend-dialog")
    assert status_of(meeting) == Meeting.Status.DRAFT
    assert meeting.versions.count() == 1  # the signed version stays as it is


def test_the_editor_needs_no_keyboard_shortcut_on_a_phone(phone, site):
    """Every action has a button: a statement, a speaker block and a resolution
    are added, a statement and a block moved, with taps only; all of it is saved."""
    from agenda.models import Resolution

    call_command("load_demo", stdout=io.StringIO())
    meeting = Meeting.objects.get()
    blocks_before = SpeakerBlock.objects.filter(meeting=meeting).count()
    first_speaker = SpeakerBlock.objects.filter(meeting=meeting).order_by("position").first()
    page = phone
    page.on("dialog", lambda dialog: dialog.accept())

    as_user(page, site, "secretary")
    page.goto(site + reverse("editor:page", args=[meeting.pk]))
    first = page.locator("#remarks .eblock").first
    expect(first.locator(".eblock-tools")).to_be_visible()
    assert_fits(page, "editor.png")

    statements = first.locator("textarea.statement")
    count = statements.count()
    first.locator("[data-action=new-statement]").tap()
    expect(statements).to_have_count(count + 1)
    statements.last.fill("버튼으로 더한 발언")
    first.locator("[data-action=statement-up]").tap()  # the new one is the current statement
    expect(statements.nth(count - 1)).to_have_value("버튼으로 더한 발언")

    first.locator("[data-action=new-block]").tap()
    added = page.locator("#remarks .eblock").nth(1)
    added.locator("input.speaker").fill("간사")
    added.locator("li.speaker-option").first.tap()
    added.locator("textarea.statement").fill("새 발언자 블록의 발언")
    added.locator("[data-action=block-up]").tap()  # now the first block
    expect(page.locator("#remarks .eblock").first.locator("textarea.statement")).to_have_value(
        "새 발언자 블록의 발언"
    )

    resolutions_before = Resolution.objects.filter(meeting=meeting).count()
    page.locator("#remarks .eblock").first.locator("[data-action=new-resolution]").tap()
    card = page.locator("#remarks .eblock").first.locator("xpath=following-sibling::*[1]")
    expect(card).to_have_class(re.compile(r"\beresolution\b"))
    card.locator(".res-question").fill("버튼으로 기록한 의결")
    page.locator("#save-now").tap()
    expect(page.locator("#save-status")).to_have_attribute("data-state", "saved", timeout=10_000)
    assert_fits(page, "editor-edited.png")

    blocks = list(
        SpeakerBlock.objects.filter(meeting=meeting)
        .order_by("position")
        .prefetch_related("statements")
    )
    assert len(blocks) == blocks_before + 1
    assert [s.text for s in blocks[0].statements.all()] == ["새 발언자 블록의 발언"]
    assert blocks[1].pk == first_speaker.pk
    assert [s.text for s in blocks[1].statements.all()][count - 1] == "버튼으로 더한 발언"
    assert Resolution.objects.filter(meeting=meeting).count() == resolutions_before + 1
    recorded = Resolution.objects.get(meeting=meeting, question="버튼으로 기록한 의결")
    assert recorded.after_block_id == blocks[0].pk
