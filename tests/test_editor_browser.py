"""The minutes editor in a real browser (Debian's Chromium through Playwright).

The secretary enters the first ten speaker blocks of the reference minutes
with the keyboard only: speaker field (type, choose with ↓ and Enter),
statements (Enter between them), Ctrl+Enter for the next block. Half-way the
page is reloaded after the autosave (nothing lost), and again before the
autosave could run: the browser's copy is offered back and restored. Her
session then ends under an edit: it stays in the browser until she has logged
in again. Then a second editor, in another browser context, saves in between
twice: once the secretary keeps her text over theirs, once the other editor
takes the secretary's. The database must end up holding exactly the reference
blocks with the edits that won. A shorter test goes through the other
shortcuts (split, join, move, resolution, unidentified speaker, delete, paste).
"""

import datetime
import os
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse
from playwright.sync_api import Page, expect

from agenda.importing import import_minutes
from agenda.models import SpeakerBlock
from committees.models import Committee, Member, MemberRole
from meetings.models import Signatory

from .conftest import BROWSER_TESTS, SCREENS, log_in
from .reference import REFERENCE, read_reference

pytestmark = [
    *BROWSER_TESTS,
    pytest.mark.skipif(
        not REFERENCE.exists() and not os.environ.get("CI"),
        reason=f"reference not found at {REFERENCE}",
    ),
]

BLOCKS = 10
# Who says the "000위원" blocks among the first ten (a different member each),
# and what is typed in the speaker field to find them ("최" also finds 최은정,
# listed first: 최진혁 is chosen with ↓).
MEMBERS = [("안한희", "안한"), ("최진혁", "최"), ("이영섭", "이영")]
THEIR_EDIT = " (다른 편집자 수정)"
MY_EDIT = " (간사 수정)"
LATE_EDIT = " (다시 로그인한 뒤 저장)"


# --- fixtures ---------------------------------------------------------------


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
    field = block.locator("input.speaker")
    expect(field).to_have_attribute("aria-activedescendant", options.nth(index).get_attribute("id"))
    page.keyboard.press("Enter")
    expect(block.locator("ul.speaker-options")).to_be_hidden()
    expect(block).to_have_attribute("data-speaker", re.compile(r"^m:\d+$"))
    expect(field).to_have_value(re.compile(wanted))
    expect(block.locator(".eblock-flag")).to_be_hidden()
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


def saved_remarks(meeting, public=True):
    return [
        (block.heading(public=public), [s.text for s in block.statements.all()])
        for block in SpeakerBlock.objects.filter(meeting=meeting)
        .select_related("member__person", "attendee__person")
        .prefetch_related("statements")
    ]


def edit_statement(page: Page, block, number, text):
    """Put the caret at the end of a statement and type (focusing is not entering)."""
    blocks(page).nth(block).locator("textarea.statement").nth(number).focus()
    page.keyboard.press("Control+End")
    page.keyboard.type(text)


def local_copy(page: Page, meeting):
    """The editor's copy of unconfirmed changes in this browser (None once confirmed)."""
    return page.evaluate("key => localStorage.getItem(key)", f"minutes-editor:{meeting.pk}")


def squash(text):
    return " ".join(text.split())


# --- the test ---------------------------------------------------------------


def test_the_secretary_enters_ten_blocks_by_keyboard_and_nothing_is_lost(new_tab, site, bigdata):
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
    assert [heading for heading, _ in saved_remarks(meeting, public=False)] == [
        {"간사": "박창현 간사", "위원장": "김준호 위원장"}.get(label) or f"{speakers[i][0]} 위원"
        for i, (label, _) in enumerate(reference)
    ]
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # the sticky preview then sits at the top
    page.screenshot(path=SCREENS / "editor.png", full_page=True)

    # The secretary's session ends (the login page answers the autosave): the
    # edit is not taken as saved, it stays in the browser, and once she has
    # logged in again in another tab, Ctrl+S sends it.
    mine = [(label, list(statements)) for label, statements in reference]
    page.context.clear_cookies(name="sessionid")
    edit_statement(page, 4, 0, LATE_EDIT)
    expect(page.locator("#save-status")).to_have_attribute("data-state", "error")
    assert LATE_EDIT in local_copy(page, meeting)
    assert saved_remarks(meeting) == mine
    log_in(page.context.new_page(), site, "secretary", "pw")
    page.bring_to_front()
    page.keyboard.press("Control+s")
    wait_saved(page)
    mine[4][1][0] += LATE_EDIT
    assert saved_remarks(meeting) == mine
    assert local_copy(page, meeting) is None

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
    mine[1][1][0] += MY_EDIT
    assert saved_remarks(meeting) == mine

    # Now the other editor is behind: their next save is refused, they take
    # the secretary's text and find theirs in the paste box.
    edit_statement(other, 2, 0, THEIR_EDIT)
    expect(other.locator("#conflict-dialog")).to_be_visible()
    expect(other.locator("#conflict-theirs")).to_contain_text(reference[1][1][0] + MY_EDIT)
    expect(other.locator("#conflict-mine")).to_contain_text(reference[2][1][0] + THEIR_EDIT)
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

    # Taking theirs took their revision too: the next save goes through.
    edit_statement(other, 3, 0, THEIR_EDIT)
    wait_saved(other)
    mine[3][1][0] += THEIR_EDIT
    assert saved_remarks(meeting) == mine


def test_the_keyboard_shortcuts_shape_the_remarks(new_tab, site, bigdata):
    """Split and join statements, move statements and blocks, record a resolution,
    keep a speaker as typed, delete a block, paste: all from the keyboard."""
    meeting = bigdata
    page = new_tab()
    log_in(page, site, "secretary", "pw")
    page.goto(site + reverse("editor:page", args=[meeting.pk]))
    wait_saved(page)

    choose_speaker(page, blocks(page).nth(0), "간사", None)
    page.keyboard.type("첫째 문장 둘째 문장")
    for _ in "둘째 문장":
        page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")  # split at the caret
    statements = blocks(page).nth(0).locator("textarea.statement")
    expect(statements).to_have_count(2)
    expect(statements.nth(1)).to_be_focused()
    expect(statements.nth(0)).to_have_value("첫째 문장")
    expect(statements.nth(1)).to_have_value("둘째 문장")
    page.keyboard.press("Backspace")  # at the start: joined to the one above
    expect(statements).to_have_count(1)
    expect(statements.nth(0)).to_have_value("첫째 문장 둘째 문장")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("셋째 문장")
    page.keyboard.press("Alt+ArrowUp")
    assert [s.input_value() for s in statements.all()] == ["첫째 문장", "셋째 문장", "둘째 문장"]
    expect(statements.nth(1)).to_be_focused()

    page.keyboard.press("Control+Enter")
    choose_speaker(page, blocks(page).nth(1), "위원장", None)
    page.keyboard.type("위원장 발언")
    page.keyboard.press("Alt+Shift+ArrowUp")  # the whole block up
    expect(blocks(page).nth(0).locator("textarea.statement")).to_have_value("위원장 발언")
    expect(blocks(page).nth(0).locator("textarea.statement")).to_be_focused()

    page.keyboard.press("Alt+r")
    card = page.locator("#remarks .eresolution")
    expect(card.locator(".res-question")).to_be_focused()
    page.keyboard.type("원안대로 의결")

    page.keyboard.press("Control+Enter")
    unknown = blocks(page).nth(1)
    expect(unknown.locator("input.speaker")).to_be_focused()
    page.keyboard.type("홍길동 위원")
    expect(unknown.locator("ul.speaker-options")).to_be_hidden()
    page.keyboard.press("Enter")
    expect(unknown).to_have_attribute("data-speaker", "u")
    expect(unknown.locator(".eblock-flag")).to_be_visible()
    expect(unknown.locator("textarea.statement")).to_be_focused()
    page.keyboard.type("누군지 모르는 발언")

    page.keyboard.press("Control+Enter")
    choose_speaker(page, blocks(page).nth(2), "간사", None)
    page.keyboard.type("지울 발언")
    expect(blocks(page)).to_have_count(4)
    page.keyboard.press("Control+Shift+Backspace")  # asks first (accepted)
    expect(blocks(page)).to_have_count(3)

    page.keyboard.press("Alt+p")
    expect(page.locator("#paste-text")).to_be_focused()
    page.keyboard.type("<김진수 위원>\n- 붙여 넣은 첫 발언\n- 붙여 넣은 둘째 발언")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # preview the structure
    expect(page.locator("#paste-accept")).to_be_enabled()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # add the blocks
    expect(blocks(page)).to_have_count(4)
    page.keyboard.press("Control+s")
    wait_saved(page)

    assert saved_remarks(meeting, public=False) == [
        ("김준호 위원장", ["위원장 발언"]),
        ("홍길동 위원", ["누군지 모르는 발언"]),
        ("박창현 간사", ["첫째 문장", "셋째 문장", "둘째 문장"]),
        ("김진수 위원", ["붙여 넣은 첫 발언", "붙여 넣은 둘째 발언"]),
    ]
    first, unknown_block = SpeakerBlock.objects.filter(meeting=meeting)[:2]
    assert unknown_block.speaker_kind == SpeakerBlock.SpeakerKind.UNIDENTIFIED
    resolution = meeting.resolutions.get()
    assert (resolution.question, resolution.after_block) == ("원안대로 의결", first)


def test_saving_the_overview_sends_pending_remarks_first(new_tab, site, bigdata):
    """Remarks typed just before the overview is saved are saved first, and the
    overview form, on the same page, is not refused as stale by that save."""
    meeting = bigdata
    page = new_tab()
    log_in(page, site, "secretary", "pw")
    page.goto(site + reverse("editor:page", args=[meeting.pk]))
    wait_saved(page)
    choose_speaker(page, blocks(page).first, "간사", None)
    page.keyboard.type("개회를 선언함")
    expect(page.locator("#save-status")).to_have_attribute("data-state", "dirty")

    page.locator("#overview-panel > summary").click()
    page.locator("#id_place").fill("본청 다목적홀")
    page.locator("#overview-form button.btn-primary").click()

    expect(page.locator(".alert-success")).to_be_visible()
    meeting.refresh_from_db()
    assert meeting.place == "본청 다목적홀"
    assert saved_remarks(meeting) == [("간사", ["개회를 선언함"])]
    expect(page.locator("#restore-banner")).to_be_hidden()
    assert local_copy(page, meeting) is None


def test_a_statement_moves_into_the_neighbouring_speakers_block(new_tab, site, bigdata):
    """Alt+↑ on a block's first statement hands it to the speaker above."""
    meeting = bigdata
    page = new_tab()
    log_in(page, site, "secretary", "pw")
    page.goto(site + reverse("editor:page", args=[meeting.pk]))
    wait_saved(page)
    enter_block(page, 0, "간사", ["개회 선언", "위원 소개"], {})
    enter_block(page, 1, "위원장", ["인사말씀", "간사가 한 말"], {})
    page.keyboard.press("Alt+ArrowUp")  # within the block: above 인사말씀
    page.keyboard.press("Alt+ArrowUp")  # past the top: into the secretary's block
    expect(blocks(page).first.locator("textarea.statement").last).to_be_focused()
    page.keyboard.press("Control+s")
    wait_saved(page)
    assert saved_remarks(meeting) == [
        ("간사", ["개회 선언", "위원 소개", "간사가 한 말"]),
        ("위원장", ["인사말씀"]),
    ]
