"""The home page shows the work: the user's waiting tasks first, then the meetings
they may see, filtered, searched and paginated; the navbar counts the tasks."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.urls import reverse

from meetings.context_processors import waiting_tasks
from meetings.models import Meeting
from meetings.views import MEETINGS_PER_PAGE
from minutes_site.dates import moment, moment_seconds

from .conftest import make_committee, make_meeting
from .html import read_minutes
from .test_tasks import confirmed, reviewed, signed_by

pytestmark = pytest.mark.django_db

HOME = reverse("meetings:list")


def home(client, user, **query):
    client.force_login(user)
    return client.get(HOME, query)


def listed(response):
    """The meetings on this page of the list, as their titles."""
    return [str(meeting) for meeting in response.context["page"]]


def more_meetings(world, count, *, year=2024):
    """``count`` more meetings of the world's committee, after its first: newer, sequence 2, 3..."""
    first = Meeting.objects.filter(committee=world.committee, year=year).count() + 1
    return [
        make_meeting(
            world.committee,
            year=year,
            sequence=sequence,
            day=datetime.date(year, 5, 1) + datetime.timedelta(days=sequence),
        )
        for sequence in range(first, first + count)
    ]


# --- the navbar ---------------------------------------------------------------------


def test_the_badge_counts_the_waiting_tasks_in_one_query(people, django_assert_num_queries):
    reviewed(people)
    request = RequestFactory().get("/")
    request.user = people.staff_person.user  # the confirmer: review and confirm

    context = waiting_tasks(request)
    # tasks_for(): one query, with everything it needs as annotations.
    with django_assert_num_queries(1):
        assert context["waiting_task_count"] == 2
    # Shared with the page of the same request (meetings.tasks.tasks_of): no second query.
    with django_assert_num_queries(0):
        assert waiting_tasks(request)["waiting_task_count"] == 2


def test_anonymous_visitors_and_pages_that_do_not_print_it_cost_no_query(
    world, django_assert_num_queries
):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        context = waiting_tasks(request)
        assert context["waiting_task_count"] == 0
    request.user = world.member_a.person.user
    with django_assert_num_queries(0):
        waiting_tasks(request)  # lazy: nothing asked until a page prints it


def test_the_navbar_shows_the_count_on_my_tasks(client, people):
    reviewed(people)

    response = home(client, people.member_a.person.user)

    _, texts = read_minutes(response)
    assert texts["task-count"].startswith("1")
    response = home(client, people.secretary.person.user)
    assert "task-count" in read_minutes(response)[1]


def test_no_badge_when_nothing_waits(client, world):
    response = home(client, world.member_a.person.user)

    assert 'id="task-count"' not in response.content.decode()


def test_administration_is_offered_to_superusers_only(client, world, django_user_model):
    admin_url = f'href="{reverse("admin:index")}"'
    assert admin_url not in home(client, world.secretary.person.user).content.decode()

    root = django_user_model.objects.create_superuser("root", password="pw")
    assert admin_url in home(client, root).content.decode()


def test_the_verification_page_is_linked_for_everybody(client, world):
    verify = f'href="{reverse("meetings:verify")}"'

    assert verify in client.get(reverse("login")).content.decode()
    assert verify in home(client, world.member_a.person.user).content.decode()


def test_the_language_menu_names_the_languages(client, world):
    page = home(client, world.member_a.person.user).content.decode()

    assert ">한국어</option>" in page and ">English</option>" in page


def test_favicon_is_the_sites_own_and_never_404(client, db):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"].endswith("favicon.svg")
    assert finders.find("favicon.svg")
    assert 'rel="icon"' in client.get(reverse("login")).content.decode()


# --- the tasks, first ---------------------------------------------------------------


def test_the_tasks_come_first_with_their_verbs_and_counts(client, people):
    reviewed(people)

    response = home(client, people.staff_person.user)  # the confirmer

    page = response.content.decode()
    assert page.index('id="home-tasks"') < page.index('id="home-meetings"')
    counts = [(kind, count) for kind, _verb, count in response.context["task_counts"]]
    assert counts == [("review", 1), ("confirm", 1)]
    assert 'data-kind="review"' in page and 'data-kind="confirm"' in page
    review, confirm = response.context["tasks"]
    assert (review.kind, confirm.kind) == ("review", "confirm")
    # Each task's button says its own verb (검토, 확인) and leads to its page.
    assert f'href="{review.url}">{review.verb}</a>' in page
    assert f'href="{confirm.url}">{confirm.verb}</a>' in page
    assert str(review.verb) != str(confirm.verb)
    assert moment(people.meeting.review_deadline) in page


def test_a_signature_shows_when_the_text_was_confirmed_not_the_review_deadline(client, people):
    version = confirmed(people)
    # The review deadline a week ahead: a signature must not show it.
    deadline = Meeting.objects.get(pk=people.meeting.pk).review_deadline

    for url in (HOME, reverse("meetings:tasks")):
        client.force_login(people.member_a.person.user)
        page = client.get(url).content.decode()
        assert f'href="{reverse("meetings:sign", args=[people.meeting.pk])}">서명</a>' in page
        assert moment(version.frozen_at) in page
        assert moment(deadline) not in page
        assert "검토 기한" not in page


def test_nothing_waiting_says_so(client, world):
    response = home(client, world.member_a.person.user)

    assert "no-tasks" in read_minutes(response)[1]


def test_the_new_meeting_button_is_for_those_who_keep_a_committee(client, world):
    world.committee.secretaries.add(world.secretary.person.user)
    page = home(client, world.secretary.person.user).content.decode()
    assert 'id="new-meeting"' in page

    page = home(client, world.member_a.person.user).content.decode()
    assert 'id="new-meeting"' not in page


def test_a_secretary_without_staff_rights_reaches_the_committee_from_home(client, world):
    keeper = world.member_a.person.user  # a plain account: no staff flag, no permission
    assert not keeper.is_staff
    world.committee.secretaries.add(keeper)

    page = home(client, keeper).content.decode()

    assert 'id="nav-committees"' not in page
    assert f'href="{reverse("committees:list")}" id="home-committees"' in page
    assert world.committee.get_absolute_url() in client.get(reverse("committees:list")).text


def test_staff_with_the_committee_permission_find_committees_in_the_navbar_only(client, world):
    staff = world.secretary.person.user
    staff.user_permissions.add(Permission.objects.get(codename="change_committee"))
    world.committee.secretaries.add(staff)
    assert staff.is_staff

    page = home(client, staff).content.decode()

    assert 'id="nav-committees"' in page and 'id="home-committees"' not in page


# --- the meetings: filters, search, pages -------------------------------------------


def test_a_member_sees_only_their_committees_meetings(client, world):
    other = make_committee("재정계획위원회", slug="finance")
    make_meeting(other)

    response = home(client, world.member_a.person.user)

    assert listed(response) == ["2024년 1차 교통정책위원회"]
    choices = response.context["form"].fields["committee"].choices
    assert [slug for slug, _label in choices] == ["", "traffic"]


@pytest.fixture
def two_committees(world):
    """Staff sees both: 교통정책위원회 2024 1-3 (2 in review) and 2025 1; 재정계획위원회 2024 1."""
    more_meetings(world, 2)
    more_meetings(world, 1, year=2025)
    finance = make_committee("재정계획위원회", slug="finance")
    meeting = make_meeting(finance)
    Meeting.objects.filter(pk=meeting.pk).update(place="본관 대회의실")
    Meeting.objects.filter(committee=world.committee, sequence=2, year=2024).update(
        status=Meeting.Status.IN_REVIEW
    )
    world.secretary.person.user.user_permissions.add(
        Permission.objects.get(codename="view_meeting")
    )
    return world


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"committee": "finance"}, ["2024년 1차 재정계획위원회"]),
        ({"year": "2025"}, ["2025년 1차 교통정책위원회"]),
        ({"status": "in_review"}, ["2024년 2차 교통정책위원회"]),
        ({"q": "2024년 1차"}, ["2024년 1차 교통정책위원회", "2024년 1차 재정계획위원회"]),
        ({"q": "교통 3차"}, ["2024년 3차 교통정책위원회"]),
        ({"q": "대회의실"}, ["2024년 1차 재정계획위원회"]),
        ({"q": "2025 교통정책"}, ["2025년 1차 교통정책위원회"]),
        ({"q": "없는 위원회"}, []),
        ({"committee": "traffic", "year": "2024", "status": "draft"}, None),
    ],
)
def test_the_list_is_filtered_and_searched(client, two_committees, query, expected):
    response = home(client, two_committees.secretary.person.user, **query)

    assert response.status_code == 200
    if expected is None:
        expected = ["2024년 3차 교통정책위원회", "2024년 1차 교통정책위원회"]
    assert sorted(listed(response)) == sorted(expected)


def test_no_match_says_so_and_offers_the_whole_list(client, two_committees):
    response = home(client, two_committees.secretary.person.user, q="없는 위원회")

    assert "no-meetings" in read_minutes(response)[1]
    assert f'href="{HOME}"' in response.content.decode()


def test_the_list_is_newest_first_and_paginated(client, world):
    more_meetings(world, MEETINGS_PER_PAGE + 4)
    user = world.member_a.person.user

    first = home(client, user)
    second = home(client, user, page="2")

    assert len(listed(first)) == MEETINGS_PER_PAGE
    assert listed(first)[0] == f"2024년 {MEETINGS_PER_PAGE + 5}차 교통정책위원회"
    assert len(listed(second)) == 5 and listed(second)[-1] == "2024년 1차 교통정책위원회"
    assert 'href="?page=2"' in first.content.decode()


def test_the_page_links_keep_the_filters(client, world):
    more_meetings(world, MEETINGS_PER_PAGE + 4)

    response = home(client, world.member_a.person.user, q="교통", year="2024")

    assert 'href="?q=%EA%B5%90%ED%86%B5&amp;year=2024&amp;page=2"' in response.content.decode()


@pytest.mark.parametrize(
    "query, field",
    [
        ({"year": "abcd"}, "year"),
        ({"year": "1999"}, "year"),  # no meeting that year: not a choice
        ({"status": "burnt"}, "status"),
        ({"committee": "no-such"}, "committee"),
        ({"page": "0"}, "page"),
        ({"page": "x"}, "page"),
        ({"page": "99"}, "page"),  # past the last page
        ({"q": "교통\x00"}, "q"),
        ({"q": "가" * 101}, "q"),
    ],
)
def test_a_bad_filter_or_page_is_a_message_and_the_rest_still_applies(
    client, two_committees, query, field
):
    response = home(
        client, two_committees.secretary.person.user, **{"committee": "finance", **query}
    )

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert "filter-errors" in read_minutes(response)[1]
    if field != "committee":
        assert listed(response) == ["2024년 1차 재정계획위원회"]


@pytest.mark.parametrize("extra", [0, MEETINGS_PER_PAGE * 2])
def test_the_query_count_does_not_grow_with_the_meetings(
    client, world, extra, django_assert_num_queries
):
    more_meetings(world, extra)
    client.force_login(world.member_a.person.user)
    # the user (the session is read from the sessions cache); the committees
    # and years the filters offer; the tasks (shared with the navbar's badge);
    # whether the user keeps a committee; the count and the page of meetings
    # with their committees.
    with django_assert_num_queries(6):
        response = client.get(HOME, {"q": "교통", "status": "draft"})
    assert response.status_code == 200


# --- the history on the minutes page ------------------------------------------------


def test_the_minutes_page_shows_who_moved_them_and_who_signed(client, people):
    version = confirmed(people)
    signed_by(version, people.chair.person)
    client.force_login(people.secretary.person.user)

    response = client.get(people.meeting.get_absolute_url())

    history = response.context["history"]
    # Oldest first; the signature before the move to signing it caused.
    assert [e.change.to_status if e.change else "signature" for e in history] == [
        "in_review",
        "confirmed",
        "signature",
        "signing",
    ]
    text = read_minutes(response)[1]["history-events"]
    # Who (by name, not login), from what to what, when; who signed, when, to the second.
    assert "오세린: 작성 중 → 검토 중" in text
    assert "임채윤: 검토 중 → 확인 완료" in text
    assert f"{moment(history[0].at)} 오세린" in text
    assert f"{moment_seconds(history[2].at)} 한도윤 (" in text
    assert "확인 완료 → 서명 중" in text


def test_a_draft_has_no_history_yet(client, world):
    client.force_login(world.secretary.person.user)

    response = client.get(world.meeting.get_absolute_url())

    assert response.context["history"] == []
    assert "history" in read_minutes(response)[1]


def test_the_tasks_page_and_its_badge_share_one_query(client, people, django_assert_num_queries):
    reviewed(people)
    client.force_login(people.member_a.person.user)
    # the user (the session is cached), and tasks_for() once: for the table
    # and for the badge.
    with django_assert_num_queries(2):
        response = client.get(reverse("meetings:tasks"))
    assert 'id="task-count"' in response.content.decode()
