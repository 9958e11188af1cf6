"""On a phone (390 px), a refused entry comes back where it was typed.

A member's review comment over the limit is not lost: the page returns with
the comment form open, the text as typed, and the reason beside it; and the
form still fits the screen.
"""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from agenda.models import ReviewComment
from meetings.services import send_for_review

from .conftest import BROWSER_TESTS, SCREENS, add_block, log_in

pytestmark = BROWSER_TESTS


def test_a_comment_over_the_limit_comes_back_as_typed_on_a_phone(phone, site, world):
    block = add_block(world.meeting, 1, ["원래 발언입니다."], member=world.chair)
    send_for_review(
        world.meeting,
        by=world.secretary.person.user,
        deadline=timezone.now() + datetime.timedelta(days=7),
    )
    page = phone
    log_in(page, site, "member_a", "pw")
    page.goto(f"{site}/review/{world.meeting.pk}/")

    page.locator(f"#block-{block.pk} summary").click()
    page.fill(f"#proposed-block-{block.pk}", "고친 발언입니다.")
    reason = "사유" * 2501  # 5,002 characters: a reason has at most 5,000
    page.fill(f"#reason-block-{block.pk}", reason)
    page.locator(f"#comment-block-{block.pk} button").click()

    form = page.locator(f"#comment-block-{block.pk}")
    expect(form.locator(".comment-error")).to_contain_text("5000")
    expect(page.locator(f"#reason-block-{block.pk}")).to_have_value(reason)
    expect(page.locator(f"#proposed-block-{block.pk}")).to_have_value("고친 발언입니다.")
    # The form and its error fit the phone. (The page as a whole is still
    # wider, by its navbar and signature table: issue 11's phone layout.)
    box = form.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    form.scroll_into_view_if_needed()
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / "comment-refused-phone.png"), full_page=False)
    assert not ReviewComment.objects.exists()
