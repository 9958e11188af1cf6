"""A secretary sets up everything in the app, in a real browser, never opening /admin/.

The accounts exist (the IT office makes them); from there the secretary, a
staff account in the secretaries' group but not a superuser, creates the
committee, its roster with roles, a meeting, designates the signature block,
writes a remark and sends the minutes for review. Every request the browser
makes is recorded, and none goes to /admin/.
"""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from committees.models import Committee, Person
from meetings.models import Meeting

from .conftest import BROWSER_TESTS, log_in, screenshot

pytestmark = BROWSER_TESTS


@pytest.fixture
def accounts(django_user_model):
    """The secretary (as the demo's 간사 group), two members and the division head."""
    group = Group.objects.create(name="간사")
    group.permissions.set(
        Permission.objects.filter(content_type__app_label__in=["committees", "meetings", "agenda"])
    )
    secretary = django_user_model.objects.create_user("gansa", password="pw", is_staff=True)
    secretary.groups.add(group)
    for username in ("oh", "jang"):
        django_user_model.objects.create_user(username, password="pw")
    head = django_user_model.objects.create_user("head", password="pw")
    Person.objects.create(name="마현우", position="데이터정책담당관", user=head)
    return secretary


def shot(page, name):
    screenshot(page, "setup", name)


def add_member(page, *, name, login, kind, role, position="", another=True):
    page.fill("#id_name", name)
    page.fill("#id_position", position)
    page.fill("#id_login", login)
    page.check(f"input[name=kind][value={kind}]")
    page.select_option("#id_role", role)
    page.fill("#id_term_start", "2026-01-01")
    page.locator("button[name=add_another]" if another else "button[name=save]").click()


def test_a_secretary_sets_up_a_committee_and_a_meeting_without_the_admin(
    desk, site, accounts, phone
):
    page = desk
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    log_in(page, site, "gansa", "pw")

    # The committee, as printed on the cover.
    page.locator("#nav-committees").click()
    page.locator("#new-committee").click()
    page.fill("#id_name", "데이터정책위원회")
    page.fill("#id_slug", "data-policy")
    page.fill("#id_organisation", "데이터정책관")
    page.fill("#id_department", "데이터정책담당관")
    page.locator("#committee-form button").click()
    expect(page.locator("#committee-name")).to_have_text("데이터정책위원회")

    # The roster: a chair, a member and the secretary (간사) with their logins.
    page.locator("#add-member").click()
    add_member(page, name="오세린", login="oh", kind="external", role="chair")
    add_member(page, name="장민서", login="jang", kind="external", role="member")
    add_member(
        page,
        name="봉지훈",
        login="gansa",
        kind="internal",
        role="secretary",
        position="데이터정책팀장",
        another=False,
    )
    expect(page.locator("#roster-current .roster-member")).to_have_count(3)
    expect(page.locator("#roster-current")).to_contain_text("위원장")
    shot(page, "committee_desktop.png")

    # 새 회의: the roster is the attendance checklist, everybody ticked.
    page.locator("#new-meeting").click()
    page.fill("#id_day", "2026-04-16")
    page.fill("#id_starts", "15:00")
    page.fill("#id_ends", "17:00")
    page.fill("#id_place", "한빛시청 본관 대회의실(5층)")
    expect(page.locator("input[name=present]:checked")).to_have_count(3)
    shot(page, "new_meeting_desktop.png")
    page.locator("#new-meeting-form button").click()
    meeting = Meeting.objects.get(committee__slug="data-policy")
    expect(page).to_have_url(site + reverse("editor:page", args=[meeting.pk]))
    assert (meeting.year, meeting.sequence) == (2026, 1)

    # The signature block, in the overview.
    page.locator("#overview-panel > summary").click()
    page.locator("#id_signer_1").select_option(label="오세린")
    page.locator("#id_signer_2").select_option(label="장민서")
    page.locator("#id_confirmer").select_option(label="마현우 데이터정책담당관")
    page.locator("#id_author").select_option(label="봉지훈 데이터정책팀장")
    # What the records rules require besides (meetings.completeness): the order
    # of proceedings and an agenda item (a report: no decision to record).
    page.fill("#id_proceedings_text", "개회\n데이터 정책 보고")
    page.locator("#id_items-0-kind").select_option("report")
    page.fill("#id_items-0-number", "1")
    page.fill("#id_items-0-title", "데이터 정책 추진 현황 보고")
    shot(page, "editor_signature_block.png")
    page.locator("#overview-form button.btn-primary").click()
    expect(page.locator(".alert-success")).to_be_visible()

    # A remark, pasted and structured, then saved.
    page.locator("#paste-panel > summary").click()
    page.fill("#paste-text", "<간사>\n- 지금부터 제1차 데이터정책위원회를 개회하겠습니다.")
    page.locator("#paste-parse").click()
    expect(page.locator("#paste-accept")).to_be_enabled()
    page.locator("#paste-accept").click()
    page.keyboard.press("Control+s")
    expect(page.locator("#save-status")).to_have_attribute("data-state", "saved", timeout=10_000)

    # Sent for review from the minutes page (confirming in the dialog, if one opens).
    page.goto(site + meeting.get_absolute_url())
    deadline = timezone.localtime() + datetime.timedelta(days=7)
    page.fill("#id_deadline", deadline.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#send-for-review-form button").click()
    dialog = page.locator("#send-for-review-dialog")
    if dialog.count():
        dialog.locator(".confirm-dialog-submit").click()
    expect(page.locator(".alert-success")).to_be_visible()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.IN_REVIEW
    assert sorted(meeting.signatories.values_list("role", "person__name")) == [
        ("author", "봉지훈"),
        ("confirmer", "마현우"),
        ("signer", "오세린"),
        ("signer", "장민서"),
    ]
    assert not accounts.is_superuser
    assert not [url for url in requested if "/admin/" in url], requested
    assert Committee.objects.get(slug="data-policy").secretaries.get() == accounts

    # The new-meeting form fits a phone.
    log_in(phone, site, "gansa", "pw")
    phone.goto(site + reverse("meetings:new"))
    expect(phone.locator("#new-meeting-form")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "new_meeting_phone.png")
    phone.goto(site + reverse("committees:detail", args=["data-policy"]))
    shot(phone, "committee_phone.png")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
