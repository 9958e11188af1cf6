"""The secretary's walk-through in a real browser (Chromium through Playwright).

The other admin tests post form data directly; these click through the pages
as the secretary does: log in, add remark rows with the admin's own JavaScript
("add another" link), save, and read the minutes the way a reader sees them.
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from playwright.sync_api import Page, expect

from agenda.models import SpeakerBlock

from .conftest import BROWSER_TESTS, SCREENS, log_in

EMPTY_STATEMENTS_ERROR = "발언자마다 발언 내용을 한 줄 이상 입력해 주세요."

pytestmark = BROWSER_TESTS


# --- fixtures ---------------------------------------------------------------


@pytest.fixture
def tab(chromium):
    """A fresh page in a fresh context: no cookies carried over between tests."""
    context = chromium.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def secretary(world):
    """The secretary, allowed to edit committees, meetings and agenda content."""
    user = world.secretary.person.user
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["committees", "meetings", "agenda"])
    )
    return user


# --- helpers ----------------------------------------------------------------


def meeting_change_url(site, meeting):
    return f"{site}/admin/meetings/meeting/{meeting.pk}/change/"


def add_speaker_row(page: Page):
    """Click the speaker-block inline's "add another" link; returns the new row's prefix."""
    index = int(page.input_value("#id_speaker_blocks-TOTAL_FORMS"))
    page.locator("#speaker_blocks-group .add-row a").click()
    prefix = f"speaker_blocks-{index}"
    expect(page.locator(f"[name={prefix}-speaker_kind]")).to_be_visible()
    return prefix


def choose_option_containing(page: Page, select_name, text):
    """Select the one option whose label contains ``text`` (labels add e.g. the member kind)."""
    select = page.locator(f"select[name={select_name}]")
    option = select.locator("option", has_text=text)
    expect(option).to_have_count(1)
    select.select_option(value=option.get_attribute("value"))


def fill_speaker_row(page: Page, prefix, *, kind, member=None, role_label="", statements=()):
    page.select_option(f"select[name={prefix}-speaker_kind]", value=kind)
    if member:
        choose_option_containing(page, f"{prefix}-member", member)
    page.fill(f"input[name={prefix}-role_label]", role_label)
    page.fill(f"textarea[name={prefix}-statements_text]", "\n".join(statements))


def save_meeting(page: Page):
    page.locator("input[name=_save]").click()


def read_remarks(page: Page):
    """The remarks as the reader sees them: [(heading, [statements])] in page order."""
    return [
        (
            section.locator(".speaker").inner_text().strip(),
            [text.strip() for text in section.locator(".statement").all_inner_texts()],
        )
        for section in page.locator("#remarks .remark").all()
    ]


def saved_remarks(meeting):
    return [
        (block.position, block.speaker_kind, [s.text for s in block.statements.all()])
        for block in SpeakerBlock.objects.filter(meeting=meeting).prefetch_related("statements")
    ]


def screenshot(page: Page, name):
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENS / name, full_page=True)


# --- tests ------------------------------------------------------------------


def test_secretary_adds_remarks_in_the_admin_and_reads_them_in_the_minutes(
    tab, site, world, secretary
):
    """Rows added with the admin's "add another" link are saved, numbered after
    the existing remarks, and printed in order: names internally, 000 in public."""
    world.add_remarks(3)
    page = tab
    log_in(page, site, "secretary", "pw")

    page.goto(meeting_change_url(site, world.meeting))
    moon = add_speaker_row(page)
    fill_speaker_row(
        page,
        moon,
        kind="member",
        member="문가람",
        statements=["버스 노선 개편안에 찬성합니다.", "배차 간격도 함께 검토해 주시기 바랍니다."],
    )
    together = add_speaker_row(page)
    fill_speaker_row(
        page, together, kind="collective", role_label="위원", statements=["(다같이) 없음"]
    )
    save_meeting(page)

    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator(".errornote")).to_have_count(0)
    assert len(saved_remarks(world.meeting)) == 5

    page.goto(meeting_change_url(site, world.meeting))
    screenshot(page, "admin_change.png")

    page.goto(site + world.meeting.get_absolute_url())
    expect(page.locator("#remarks .remark")).to_have_count(5)
    assert read_remarks(page)[-2:] == [
        (
            "<문가람 위원>",
            ["버스 노선 개편안에 찬성합니다.", "배차 간격도 함께 검토해 주시기 바랍니다."],
        ),
        ("<위원>", ["(다같이) 없음"]),
    ]

    page.get_by_role("link", name="공개용").click()
    expect(page).to_have_url(f"{site}{world.meeting.get_absolute_url()}?version=public")
    expect(page.locator("#remarks .remark")).to_have_count(5)
    assert [heading for heading, _ in read_remarks(page)[-2:]] == ["<000위원>", "<위원>"]
    expect(page.locator("#remarks")).not_to_contain_text("문가람")
    screenshot(page, "minutes_public.png")


def test_a_speaker_without_statements_is_refused_and_nothing_is_saved(tab, site, world, secretary):
    """A member's row with an empty statements box brings back the page with the
    Korean message; the speaker blocks already saved stay exactly as they were."""
    world.add_remarks(2)
    before = saved_remarks(world.meeting)
    page = tab
    log_in(page, site, "secretary", "pw")

    page.goto(meeting_change_url(site, world.meeting))
    row = add_speaker_row(page)
    fill_speaker_row(page, row, kind="member", member="문가람", statements=[])
    save_meeting(page)

    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator("#speaker_blocks-group")).to_contain_text(EMPTY_STATEMENTS_ERROR)
    expect(page).to_have_url(meeting_change_url(site, world.meeting))
    assert saved_remarks(world.meeting) == before
    assert len(before) == 2


def draw_signature(page: Page, seed=1):
    """Mouse strokes on the signature canvas, as a person draws with the mouse."""
    canvas = page.locator("#signature-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + 80)
    page.mouse.down()
    for step in range(1, 16):
        page.mouse.move(
            box["x"] + 30 + step * 25, box["y"] + 80 + (30 if step % 2 else -30) * seed / 2
        )
    page.mouse.up()


def test_the_whole_flow_on_the_demo_meeting(tab, site):
    """On the demo meeting: the secretary sends the draft for review; a member
    comments on one speaker block; the secretary accepts; the confirmer confirms;
    both signers draw with the mouse and sign; the signed PDF downloads, its
    SHA-256 is what the verification page reports, and its first page carries
    both signature images (read from the PDF with pypdf)."""
    import hashlib
    import io

    from django.core.management import call_command
    from pypdf import PdfReader

    from agenda.models import ReviewComment
    from meetings.models import Meeting

    call_command("load_demo", stdout=io.StringIO())
    meeting = Meeting.objects.get()
    block = SpeakerBlock.objects.filter(meeting=meeting).order_by("position")[4]
    minutes_url = site + meeting.get_absolute_url()
    page = tab

    def as_user(username):
        page.context.clear_cookies()
        log_in(page, site, username, "minutes-demo")

    def expect_success():
        expect(page.locator(".alert-success[role=alert]")).to_be_visible()

    as_user("secretary")
    page.goto(minutes_url)
    page.get_by_role("button", name="검토 요청").click()
    page.locator("#send-for-review-dialog [data-confirmed]").click()
    expect_success()

    as_user("signer1")
    page.goto(minutes_url)
    page.get_by_role("link", name="검토 및 의견 제출").click()
    page.locator(f"#block-{block.pk} summary").click()
    page.fill(f"#proposed-block-{block.pk}", "고친 발언 첫째 줄\n고친 발언 둘째 줄")
    page.fill(f"#reason-block-{block.pk}", "발언 취지를 정확히 옮김")
    page.locator(f"#comment-block-{block.pk} button").click()
    expect_success()

    as_user("secretary")
    page.goto(site + reverse("agenda:review", args=[meeting.pk]))
    comment = ReviewComment.objects.get()
    page.locator(f"#accept-{comment.pk} button").click()
    expect_success()
    assert [s.text for s in block.statements.all()] == ["고친 발언 첫째 줄", "고친 발언 둘째 줄"]

    as_user("confirmer")
    page.goto(minutes_url)
    page.get_by_role("button", name="최종본 확인").click()
    page.locator("#confirm-dialog [data-confirmed]").click()
    expect_success()
    version = meeting.versions.get()

    for seed, username in enumerate(["signer1", "signer2"], start=1):
        as_user(username)
        page.goto(minutes_url)
        page.get_by_role("link", name="열람 후 서명").click()
        expect(page.locator("#content-sha256")).to_have_text(version.content_sha256)
        draw_signature(page, seed)
        page.fill("input[name=password]", "minutes-demo")
        page.locator("#sign-button").click()
        expect_success()

    # The signer downloads the national archive's copy from the page they
    # start on, and the verification page recognises it and its seal.
    page.goto(minutes_url)
    expect(page.locator("#seal")).to_contain_text("제1판은 서명이 끝났습니다.")
    page.get_by_role("button", name="PDF 내려받기").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="내부용 PDF/A-1b (국가기록원 보존 포맷)").click()
    pdf = open(download.value.path(), "rb").read()
    page.goto(site + reverse("meetings:verify"))
    page.set_input_files("input[name=pdf]", download.value.path())
    page.get_by_role("button", name="진위 확인").click()
    expect(page.locator("#verify-result")).to_contain_text("서명된 회의록 원본이 맞습니다")
    expect(page.locator("#verify-result")).to_contain_text("내부용 PDF/A-1b")
    expect(page.locator("#seal-check")).to_contain_text("직인의 서명이 온전합니다")
    expect(page.locator("#seal-check")).to_contain_text("직인이 파일 전체에 걸쳐 있습니다")
    expect(page.locator("#seal-check .failed")).to_have_count(0)
    expect(page.locator("body")).to_contain_text(hashlib.sha256(pdf).hexdigest())
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 2
    assert "고친 발언 첫째 줄" in version.content
    screenshot(page, "verified.png")
