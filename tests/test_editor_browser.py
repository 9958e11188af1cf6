"""The minutes editor in a real browser (Debian's Chromium through Playwright).

The secretary enters the first ten speaker blocks of the reference minutes
with the keyboard only: speaker field (type, choose with ↓ and Enter),
statements (Enter between them), Ctrl+Enter for the next block. Half-way the
page is reloaded after the autosave (nothing lost), and again before the
autosave could run: the browser's copy is offered back and restored. Then a
second editor, in another browser context, saves in between twice: once the
secretary keeps her text over theirs, once the other editor takes the
secretary's. The database must end up holding exactly the reference blocks
with the edit that won.
"""

import datetime
import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse
from playwright.sync_api import Page, expect, sync_playwright

from agenda.importing import import_minutes
from agenda.models import SpeakerBlock
from committees.models import Committee, Member, MemberRole, Person
from meetings.models import Signatory

from .reference import REFERENCE, read_reference
from .test_browser import CHROMIUM, CHROMIUM_ARGS, SCREENS, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("CI"),
        reason=f"no Chromium at {CHROMIUM}",
    ),
    pytest.mark.skipif(
        not REFERENCE.exists() and not os.environ.get("CI"),
        reason=f"reference not found at {REFERENCE}",
    ),
]

BLOCKS = 10
# Who says the "000위원" blocks among the first ten (a different member each),
# and what is typed in the speaker field to find them.
MEMBERS = [("안한희", "안한"), ("최진혁", "최"), ("이영섭", "이영")]
THEIR_EDIT = " (다른 편집자 수정)"
MY_EDIT = " (간사 수정)"


# --- fixtures ---------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium():
    """As in test_browser.py: the ORM is used while Playwright's loop runs."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            yield browser
            browser.close()


@pytest.fixture
def new_tab(chromium):
    """Opens pages, each in its own context (own cookies, own localStorage)."""
    contexts = []

    def open_tab():
        context = chromium.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        # Leaving with unsaved changes asks first (beforeunload): the secretary
        # confirms, as the test reloads on purpose.
        page.on("dialog", lambda dialog: dialog.accept())
        return page

    yield open_tab
    for context in contexts:
        context.close()


@pytest.fixture
def site(live_server, settings):
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    return live_server.url


@pytest.fixture
def bigdata():
    """The reference meeting's overview imported (no remarks), with a chair and
    a secretary on the roster; the secretary, the author of the minutes, logs in
    as "secretary"; "editor" may change any meeting."""
    committee = Committee.objects.create(
        name="빅데이터심의위원회", slug="bigdata", organisation="디지털정책관"
    )
    lines = REFERENCE.read_text(encoding="utf-8").splitlines(keepends=True)
    end = next(i for i, line in enumerate(lines) if "위원 발언내용" in line)
    meeting = import_minutes("".join(lines[: end + 1]), committee).meeting
    assert not meeting.speaker_blocks.exists()
    since = datetime.date(2024, 1, 1)
    Member.objects.get(committee=committee, person__name="김준호").roles.create(
        role=MemberRole.Role.CHAIR, since=since
    )
    User = get_user_model()
    author = Signatory.objects.get(meeting=meeting, role=Signatory.Role.AUTHOR).person
    author.user = User.objects.create_user("secretary", password="pw")
    author.save()
    secretary = Member.objects.create(
        committee=committee, person=author, kind=Member.Kind.INTERNAL, term_start=since
    )
    secretary.roles.create(role=MemberRole.Role.SECRETARY, since=since)
    editor = User.objects.create_user("editor", password="pw", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_meeting"))
    return meeting


# --- helpers ----------------------------------------------------------------


def blocks(page: Page):
    return page.locator("#remarks section.eblock")


def wait_saved(page: Page):
    expect(page.locator("#save-status")).to_have_attribute("data-state", "saved", timeout=10_000)


def choose_speaker(page: Page, block, label, member):
    """Type in the (focused) speaker field and choose from the list by keyboard."""
    expect(block.locator("input.speaker")).to_be_focused()
    if member is None:
        query, wanted = label, label
    else:
        wanted, query = member
    page.keyboard.type(query)
    options = block.locator("li.speaker-option")
    expect(options.first).to_be_visible()
    expect(options.first).to_have_class("speaker-option active")
    texts = options.all_inner_texts()
    index = next(i for i, text in enumerate(texts) if wanted in text)
    for _ in range(index):
        page.keyboard.press("ArrowDown")
    expect(options.nth(index)).to_have_class("speaker-option active")
    page.keyboard.press("Enter")
    expect(block.locator("ul.speaker-options")).to_be_hidden()
    expect(block.locator("textarea.statement").first).to_be_focused()


def type_statements(page: Page, statements):
    for number, statement in enumerate(statements):
        if number:
            page.keyboard.press("Enter")
        page.keyboard.type(statement)


def enter_block(page: Page, index, label, statements, speakers):
    if index:
        page.keyboard.press("Control+Enter")
    expect(blocks(page)).to_have_count(index + 1)
    block = blocks(page).nth(index)
    choose_speaker(page, block, label, speakers.get(index))
    type_statements(page, statements)


def page_remarks(page: Page):
    """[(data-speaker, [statements])] as the page holds them."""
    return [
        (
            block.get_attribute("data-speaker"),
            [area.input_value() for area in block.locator("textarea.statement").all()],
        )
        for block in blocks(page).all()
    ]


def saved_remarks(meeting):
    return [
        (block.heading(public=True), [s.text for s in block.statements.all()])
        for block in SpeakerBlock.objects.filter(meeting=meeting)
        .select_related("member__person", "attendee__person")
        .prefetch_related("statements")
    ]


def edit_statement(page: Page, block, number, text):
    """Put the caret at the end of a statement and type (focusing is not entering)."""
    blocks(page).nth(block).locator("textarea.statement").nth(number).focus()
    page.keyboard.press("Control+End")
    page.keyboard.type(text)


def squash(text):
    return " ".join(text.split())


# --- the test ---------------------------------------------------------------


def test_the_secretary_enters_ten_blocks_by_keyboard_and_nothing_is_lost(
    new_tab, site, bigdata
):
    meeting = bigdata
    reference = [(label, [squash(s) for s in st]) for label, st in read_reference().remarks]
    reference = reference[:BLOCKS]
    member_blocks = [i for i, (label, _) in enumerate(reference) if label == "000위원"]
    assert len(member_blocks) == len(MEMBERS)
    speakers = dict(zip(member_blocks, MEMBERS, strict=True))
    editor_url = site + reverse("editor:page", args=[meeting.pk])

    page = new_tab()
    log_in(page, site, "secretary", "pw")
    page.goto(editor_url)
    wait_saved(page)

    # Blocks 1-5, then a reload once the autosave has confirmed them.
    for index, (label, statements) in enumerate(reference[:5]):
        enter_block(page, index, label, statements, speakers)
    wait_saved(page)
    entered = page_remarks(page)
    assert [st for _, st in entered] == [st for _, st in reference[:5]]
    page.reload()
    expect(page.locator("#restore-banner")).to_be_hidden()
    expect(blocks(page)).to_have_count(5)
    assert page_remarks(page) == entered
    assert len(saved_remarks(meeting)) == 5

    # Block 6 begun, and the page reloaded before the autosave could run: the
    # browser's copy is offered back, and restoring it keeps every word.
    label, statements = reference[5]
    begun = statements[0][:20].rstrip()
    blocks(page).nth(4).locator("textarea.statement").last.focus()
    page.keyboard.press("Control+End")
    page.keyboard.press("Control+Enter")
    choose_speaker(page, blocks(page).nth(5), label, None)
    page.keyboard.type(begun)
    expect(page.locator("#save-status")).to_have_attribute("data-state", "dirty")
    page.reload()
    expect(page.locator("#restore-banner")).to_be_visible()
    expect(blocks(page)).to_have_count(5)
    page.locator("#restore-accept").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#restore-banner")).to_be_hidden()
    expect(blocks(page)).to_have_count(6)
    expect(blocks(page).nth(5).locator("textarea.statement")).to_have_value(begun)
    wait_saved(page)
    assert saved_remarks(meeting)[5] == (label, [begun])
    edit_statement(page, 5, 0, statements[0][len(begun) :])
    type_statements(page, [""] + statements[1:])

    # Blocks 7-10.
    for index, (label, statements) in enumerate(reference[6:], start=6):
        enter_block(page, index, label, statements, speakers)
    wait_saved(page)
    assert saved_remarks(meeting) == reference
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENS / "editor.png", full_page=True)

    # Another editor saves in between; the secretary's next save is refused
    # with both texts shown, and she keeps hers.
    other = new_tab()
    log_in(other, site, "editor", "pw")
    other.goto(editor_url)
    expect(blocks(other)).to_have_count(BLOCKS)
    edit_statement(other, 0, 0, THEIR_EDIT)
    wait_saved(other)
    edit_statement(page, 1, 0, MY_EDIT)
    dialog = page.locator("#conflict-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#save-status")).to_have_attribute("data-state", "conflict")
    expect(page.locator("#conflict-theirs")).to_contain_text(reference[0][1][0] + THEIR_EDIT)
    expect(page.locator("#conflict-theirs")).not_to_contain_text(MY_EDIT)
    expect(page.locator("#conflict-mine")).to_contain_text(reference[1][1][0] + MY_EDIT)
    expect(page.locator("#conflict-mine")).not_to_contain_text(THEIR_EDIT)
    page.locator("#conflict-keep-mine").click()
    expect(dialog).to_be_hidden()
    wait_saved(page)
    mine = [(label, list(statements)) for label, statements in reference]
    mine[1][1][0] += MY_EDIT
    assert saved_remarks(meeting) == mine

    # Now the other editor is behind: their next save is refused, they take
    # the secretary's text and find theirs in the paste box.
    edit_statement(other, 2, 0, THEIR_EDIT)
    expect(other.locator("#conflict-dialog")).to_be_visible()
    expect(other.locator("#conflict-theirs")).to_contain_text(reference[1][1][0] + MY_EDIT)
    other.locator("#conflict-take-theirs").click()
    expect(other.locator("#conflict-dialog")).to_be_hidden()
    expect(other.locator("#paste-panel")).to_have_attribute("open", "")
    paste = other.locator("#paste-text").input_value()
    assert reference[0][1][0] + THEIR_EDIT in paste
    assert reference[2][1][0] + THEIR_EDIT in paste
    expect(blocks(other).nth(1).locator("textarea.statement").first).to_have_value(
        reference[1][1][0] + MY_EDIT
    )
    expect(blocks(other).nth(0).locator("textarea.statement").first).to_have_value(
        reference[0][1][0]
    )
    assert saved_remarks(meeting) == mine

    # Both carry on from the same revision: the next save goes through.
    edit_statement(other, 3, 0, THEIR_EDIT)
    wait_saved(other)
    mine[3][1][0] += THEIR_EDIT
    assert saved_remarks(meeting) == mine
