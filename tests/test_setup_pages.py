"""A secretary keeps committees, rosters and meetings in the app, not in the admin.

Who keeps a committee: its secretaries (Committee.secretaries), staff with the
committees' change permission, superusers. Nobody else learns a committee
exists (404), except its members (403). The new meeting's number, attendance
and copied parts follow the committee's last meeting.
"""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

from committees.models import Committee, Member, MemberRole, Person
from meetings.models import Meeting, NonMemberAttendee, Signatory

from .conftest import SEOUL, make_committee, make_meeting, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeper(world, django_user_model):
    """A plain account (not staff) named secretary of the world's committee."""
    user = django_user_model.objects.create_user("keeper", password="pw")
    world.committee.secretaries.add(user)
    return user


@pytest.fixture
def keeper_client(client, keeper):
    client.force_login(keeper)
    return client


@pytest.fixture
def other_committee(django_user_model):
    committee = make_committee("환경위원회", "environment")
    committee.secretaries.add(django_user_model.objects.create_user("green"))
    return committee


def new_meeting_data(**changes):
    data = {"day": "2024-05-16", "starts": "10:00", "ends": "12:00", "place": "본청 회의실"}
    data.update(changes)
    return data


# --- who keeps a committee ------------------------------------------------------------


def test_a_committee_is_kept_by_its_secretaries_and_by_staff_with_the_permission(
    world, keeper, other_committee, django_user_model
):
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="change_committee"))
    unprivileged_staff = django_user_model.objects.create_user("viewer", is_staff=True)

    assert list(Committee.objects.managed_by(keeper)) == [world.committee]
    assert set(Committee.objects.managed_by(clerk)) == {world.committee, other_committee}
    assert not Committee.objects.managed_by(unprivileged_staff).exists()


def test_the_list_shows_only_the_committees_the_user_keeps(keeper_client, world, other_committee):
    response = keeper_client.get(reverse("committees:list"))

    assert list(response.context["committees"]) == [world.committee]
    assert "환경위원회" not in response.content.decode()


def test_a_member_who_is_not_a_secretary_gets_403_and_an_outsider_404(
    client, world, other_committee, keeper
):
    client.force_login(world.member_a.person.user)  # sits on the committee
    assert client.get(world.committee.get_absolute_url()).status_code == 403
    assert client.get(other_committee.get_absolute_url()).status_code == 404
    assert client.get(reverse("meetings:new")).status_code == 403


def test_a_secretary_of_one_committee_cannot_touch_another(keeper_client, other_committee):
    url = reverse("committees:member_add", args=[other_committee.slug])

    response = keeper_client.post(url, {"name": "침입자", "kind": "external"})

    assert response.status_code == 404
    assert keeper_client.get(other_committee.get_absolute_url()).status_code == 404
    response = keeper_client.get(reverse("meetings:new"), {"committee": other_committee.slug})
    assert response.status_code == 400
    assert "committee" in response.context["choice"].errors
    assert not other_committee.members.exists()


def test_the_committee_page_shows_the_cover_the_secretaries_and_the_roster(
    keeper_client, world, keeper
):
    response = keeper_client.get(world.committee.get_absolute_url())
    page = response.content.decode()

    assert response.status_code == 200
    assert "교통정책관" in page and "(교통정책과)" in page
    assert "keeper" in page
    names = [m.person.name for m in response.context["current"]]
    assert sorted(names) == sorted(["한도윤", "오세린", "문가람", "배하늘", "서지안"])


# --- committees and rosters -------------------------------------------------------------


def test_staff_with_the_permission_create_a_committee_and_keep_it(client, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="add_committee"))
    client.force_login(clerk)
    data = {"name": "데이터정책위원회", "slug": "data-policy", "organisation": "데이터정책관"}

    response = client.post(reverse("committees:new"), data)

    committee = Committee.objects.get(slug="data-policy")
    assert response.status_code == 302 and response.url == committee.get_absolute_url()
    assert list(committee.secretaries.all()) == [clerk]


@pytest.mark.parametrize("slug", ["new", "search"])
def test_a_short_name_the_site_uses_for_its_own_pages_is_refused(client, django_user_model, slug):
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="add_committee"))
    client.force_login(clerk)

    response = client.post(
        reverse("committees:new"), {"name": "검색위원회", "slug": slug, "organisation": "총무과"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["slug"] == [
        "이미 예약된 약칭입니다. 다른 약칭을 입력하세요."
    ]
    assert not Committee.objects.filter(slug=slug).exists()


def test_a_secretary_without_the_permission_cannot_create_committees(keeper_client):
    assert keeper_client.get(reverse("committees:new")).status_code == 403


def test_the_secretary_adds_a_new_person_with_a_role_and_a_login(
    keeper_client, world, django_user_model
):
    account = django_user_model.objects.create_user("newmember")
    url = reverse("committees:member_add", args=[world.committee.slug])

    response = keeper_client.post(
        url,
        {
            "name": "고은비",
            "affiliation": "한빛대학교 교수",
            "login": "newmember",
            "kind": "external",
            "role": "vice_chair",
            "term_start": "2024-03-01",
        },
    )

    assert response.status_code == 302
    member = Member.objects.get(person__name="고은비")
    assert member.person.user == account
    assert member.role_on(datetime.date(2024, 4, 1)) == MemberRole.Role.VICE_CHAIR


def test_an_existing_person_gets_a_seat(keeper_client, world):
    person = Person.objects.create(name="고은비", position="교통안전팀장")
    url = reverse("committees:member_add", args=[world.committee.slug])

    response = keeper_client.post(
        url, {"person": person.pk, "kind": "internal", "role": "member", "term_start": "2024-01-01"}
    )

    assert response.status_code == 302
    assert Person.objects.filter(name="고은비").count() == 1
    assert world.committee.members.filter(person=person).exists()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"term_end": "2023-12-31"}, "term_end"),
        ({"name": ""}, "name"),
        ({"term_start": "0001-01-01"}, "term_start"),
        ({"login": "nobody"}, "login"),
        ({"login": "member_a"}, "login"),  # already 문가람's
        ({"kind": "visitor"}, "kind"),
        ({"person": "99999999999999999999"}, "person"),
        ({"name": "이름\x00"}, "name"),
    ],
)
def test_a_bad_member_is_a_field_error_and_nothing_is_saved(keeper_client, world, changes, field):
    data = {"name": "고은비", "kind": "external", "role": "member", "term_start": "2024-01-01"}
    data.update(changes)
    before = (Member.objects.count(), Person.objects.count())

    response = keeper_client.post(
        reverse("committees:member_add", args=[world.committee.slug]), data
    )

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert (Member.objects.count(), Person.objects.count()) == before


def test_a_second_term_starting_the_same_day_is_refused(keeper_client, world):
    data = {
        "person": world.chair.person.pk,
        "kind": "external",
        "role": "member",
        "term_start": "2024-01-01",
    }
    url = reverse("committees:member_add", args=[world.committee.slug])

    response = keeper_client.post(url, data)

    assert response.status_code == 400
    assert "같은 날" in str(response.context["form"].errors)


def test_ending_a_term_ends_the_open_roles_with_it(keeper_client, world):
    url = reverse("committees:member_end", args=[world.committee.slug, world.chair.pk])

    response = keeper_client.post(url, {"term_end": "2024-06-30"})

    assert response.status_code == 302
    world.chair.refresh_from_db()
    assert world.chair.term_end == datetime.date(2024, 6, 30)
    assert world.chair.roles.get().until == datetime.date(2024, 6, 30)
    assert not world.chair.serves_on(datetime.date(2024, 7, 1))


def test_a_term_cannot_end_before_it_starts(keeper_client, world):
    url = reverse("committees:member_end", args=[world.committee.slug, world.chair.pk])

    response = keeper_client.post(url, {"term_end": "2023-01-01"})

    assert response.status_code == 400
    assert "term_end" in response.context["end_form"].errors


def test_a_new_role_from_a_date_closes_the_previous_one_the_day_before(keeper_client, world):
    url = reverse("committees:member_role", args=[world.committee.slug, world.member_b.pk])

    response = keeper_client.post(url, {"role": "chair", "since": "2024-07-01"})

    assert response.status_code == 302
    assert world.member_b.role_on(datetime.date(2024, 6, 30)) == MemberRole.Role.MEMBER
    assert world.member_b.role_on(datetime.date(2024, 7, 1)) == MemberRole.Role.CHAIR


@pytest.mark.parametrize(
    "data, field",
    [
        ({"role": "chair", "since": "2023-01-01"}, "since"),  # before the term
        ({"role": "chair", "since": "2024-01-01"}, "role"),  # already the chair
        ({"role": "king", "since": "2024-07-01"}, "role"),
        ({"role": "member", "since": "9999-12-31"}, "since"),
    ],
)
def test_a_bad_role_change_is_a_field_error(keeper_client, world, data, field):
    url = reverse("committees:member_role", args=[world.committee.slug, world.chair.pk])

    response = keeper_client.post(url, data)

    assert response.status_code == 400
    assert field in response.context["role_form"].errors
    assert world.chair.roles.count() == 1


def test_a_member_of_another_committee_is_not_found(keeper_client, world, other_committee):
    stranger = make_member(other_committee, "남궁민")
    url = reverse("committees:member_end", args=[world.committee.slug, stranger.pk])

    assert keeper_client.post(url, {"term_end": "2024-06-30"}).status_code == 404
    stranger.refresh_from_db()
    assert stranger.term_end is None


# --- 새 회의 ---------------------------------------------------------------------------


def test_the_next_number_is_proposed_from_the_committees_meetings_of_that_year(
    keeper_client, world
):
    make_meeting(world.committee, sequence=2, day=datetime.date(2024, 5, 2))

    response = keeper_client.post(reverse("meetings:new"), new_meeting_data())

    meeting = Meeting.objects.get(committee=world.committee, sequence=3)
    assert response.status_code == 302
    assert response.url == reverse("editor:page", args=[meeting.pk])
    assert (meeting.year, meeting.document_date) == (2024, datetime.date(2024, 5, 1))
    assert meeting.starts_at == datetime.datetime(2024, 5, 16, 10, 0, tzinfo=SEOUL)
    assert meeting.status == Meeting.Status.DRAFT


def test_the_first_meeting_of_a_new_year_is_number_one(keeper_client, world):
    keeper_client.post(reverse("meetings:new"), new_meeting_data(day="2025-01-20"))

    assert Meeting.objects.get(year=2025).sequence == 1


def test_the_checklist_records_everybody_serving_present_or_absent(keeper_client, world):
    ended = make_member(world.committee, "퇴임자")
    ended.term_end = datetime.date(2024, 2, 1)
    ended.save()

    keeper_client.post(
        reverse("meetings:new"),
        new_meeting_data(present=[world.chair.pk, world.secretary.pk]),
    )

    meeting = Meeting.objects.get(sequence=2)
    statuses = dict(meeting.attendances.values_list("member__person__name", "status"))
    assert statuses == {
        "한도윤": "present",
        "오세린": "present",
        "문가람": "absent",
        "배하늘": "absent",
        "서지안": "absent",
    }


def test_the_form_offers_the_last_meetings_place_and_times(keeper_client, world):
    response = keeper_client.get(reverse("meetings:new"))

    form = response.context["form"]
    assert form.initial["place"] == "시청 영상회의실(6층)"
    assert form.initial["starts"] == datetime.time(15, 0)
    assert set(form.initial["present"]) == {m.pk for m in world.committee.members.all()}


def test_copying_the_last_meeting_copies_attendees_and_the_signature_block(keeper_client, world):
    group = NonMemberAttendee.objects.get(meeting=world.meeting, description="담당 팀장 등")
    world.staff.included_in = group
    world.staff.save()
    present = [world.chair.pk, world.secretary.pk, world.internal.pk]  # 문가람 absent

    response = keeper_client.post(
        reverse("meetings:new"),
        new_meeting_data(present=present, copy_non_members="on", copy_signatories="on"),
    )

    meeting = Meeting.objects.get(sequence=2)
    attendees = list(meeting.non_member_attendees.order_by("position"))
    assert [a.display_name for a in attendees] == ["임채윤 교통데이터팀장", "담당 팀장 등"]
    assert attendees[0].included_in == attendees[1]
    block = sorted(meeting.signatories.values_list("role", "person__name"))
    # 문가람 did not attend this time, so is not copied as a signer.
    assert block == [("author", "오세린"), ("confirmer", "임채윤"), ("signer", "한도윤")]
    assert "문가람" in str(list(response.wsgi_request._messages))


def test_without_the_options_nothing_is_copied(keeper_client, world):
    keeper_client.post(reverse("meetings:new"), new_meeting_data())

    meeting = Meeting.objects.get(sequence=2)
    assert not meeting.non_member_attendees.exists() and not meeting.signatories.exists()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"day": "2024-02-30"}, "day"),
        ({"day": "0001-01-01"}, "day"),
        ({"day": "2101-01-01"}, "day"),
        ({"ends": "09:00"}, "ends"),
        ({"ends": "10:00"}, "ends"),
        ({"starts": "25:00"}, "starts"),
        ({"sequence": "1"}, "sequence"),  # 2024 1차 exists
        ({"sequence": "0"}, "sequence"),
        ({"sequence": "99999999999999999999"}, "sequence"),
        ({"present": ["99999999999999999999"]}, "present"),
        ({"present": ["abc"]}, "present"),
        ({"place": ""}, "place"),
        ({"place": "회의실\x00"}, "place"),
        ({"place": "가" * 201}, "place"),
        ({"day": "2023-06-01", "present": ["MEMBER"]}, "present"),  # not yet serving
    ],
)
def test_a_bad_new_meeting_is_a_field_error_and_nothing_is_created(
    keeper_client, world, changes, field
):
    if changes.get("present") == ["MEMBER"]:
        late = make_member(world.committee, "신입")
        late.term_start = datetime.date(2024, 1, 1)
        late.save()
        changes["present"] = [world.chair.pk]
        Member.objects.filter(pk=world.chair.pk).update(term_start=datetime.date(2023, 12, 1))
        Member.objects.filter(pk=late.pk).update(term_start=datetime.date(2024, 1, 1))
        changes["present"] = [late.pk]
    before = Meeting.objects.count()

    response = keeper_client.post(reverse("meetings:new"), new_meeting_data(**changes))

    assert response.status_code == 400
    assert field in response.context["form"].errors, response.context["form"].errors
    assert Meeting.objects.count() == before


def test_a_member_of_another_committee_cannot_be_ticked_present(
    keeper_client, world, other_committee
):
    stranger = make_member(other_committee, "남궁민")

    response = keeper_client.post(reverse("meetings:new"), new_meeting_data(present=[stranger.pk]))

    assert response.status_code == 400 and "present" in response.context["form"].errors


def test_a_user_who_keeps_several_committees_chooses_one_first(
    keeper_client, keeper, other_committee
):
    other_committee.secretaries.add(keeper)

    response = keeper_client.get(reverse("meetings:new"))

    assert response.status_code == 200 and response.context["choice"] is not None
    response = keeper_client.get(reverse("meetings:new"), {"committee": "environment"})
    assert response.status_code == 200 and response.context["committee"] == other_committee


def test_the_committees_secretary_manages_its_meetings(keeper_client, world):
    assert keeper_client.get(world.meeting.get_absolute_url()).status_code == 200
    assert keeper_client.get(reverse("editor:page", args=[world.meeting.pk])).status_code == 200


# --- the signature block in the editor ----------------------------------------------------


def overview_form(client, meeting):
    from .forms import form_data

    return form_data(client.get(reverse("editor:page", args=[meeting.pk])), "overview-form")


def test_the_editor_designates_the_signature_block(keeper_client, world):
    Signatory.objects.filter(meeting=world.meeting).delete()
    world.staff_person.user = type(world.secretary.person.user).objects.create_user("head")
    world.staff_person.save()
    data = overview_form(keeper_client, world.meeting)
    data.update(
        signer_1=world.chair.pk,
        signer_2=world.member_a.pk,
        confirmer=world.staff_person.pk,
        author=world.secretary.person.pk,
    )

    response = keeper_client.post(reverse("editor:page", args=[world.meeting.pk]), data)

    assert response.status_code == 302
    block = list(world.meeting.signatories.values_list("role", "position", "person__name"))
    assert sorted(block) == [
        ("author", 1, "오세린"),
        ("confirmer", 1, "임채윤"),
        ("signer", 1, "한도윤"),
        ("signer", 2, "문가람"),
    ]


def test_the_editor_shows_the_stored_block_and_keeps_it_when_saved_unchanged(keeper_client, world):
    before = list(world.meeting.signatories.values_list("pk", "role", "person_id"))
    data = overview_form(keeper_client, world.meeting)
    assert data["signer_1"] == str(world.chair.pk)
    assert data["author"] == str(world.secretary.person.pk)

    response = keeper_client.post(reverse("editor:page", args=[world.meeting.pk]), data)

    assert response.status_code == 302
    assert list(world.meeting.signatories.values_list("pk", "role", "person_id")) == before


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"signer_2": "CHAIR"}, "signer_2", ""),
        ({"signer_2": "ABSENT"}, "signer_2", "참석하지 않아"),
        ({"signer_1": "99999999999999999999"}, "signer_1", ""),
        ({"confirmer": "PERSON_WITHOUT_LOGIN"}, "confirmer", ""),
    ],
)
def test_a_wrong_signature_block_is_refused_at_its_field(
    keeper_client, world, change, field, message
):
    values = {
        "CHAIR": world.chair.pk,
        "ABSENT": world.member_b.pk,
        "PERSON_WITHOUT_LOGIN": Person.objects.create(name="무계정").pk,
    }
    data = overview_form(keeper_client, world.meeting)
    data.update({k: values.get(v, v) for k, v in change.items()})
    before = list(world.meeting.signatories.values_list("pk", "role", "person_id"))

    response = keeper_client.post(reverse("editor:page", args=[world.meeting.pk]), data)

    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert list(world.meeting.signatories.values_list("pk", "role", "person_id")) == before


def test_a_stale_overview_does_not_change_the_signature_block(keeper_client, world):
    data = overview_form(keeper_client, world.meeting)
    data["signer_2"] = world.internal.pk
    Meeting.objects.filter(pk=world.meeting.pk).update(updated_at=world.meeting.updated_at)
    world.meeting.place = "다른 사람이 바꾼 장소"
    world.meeting.save()

    response = keeper_client.post(reverse("editor:page", args=[world.meeting.pk]), data)

    assert response.status_code == 400
    assert not world.meeting.signatories.filter(person=world.internal.person).exists()


# --- the admin ---------------------------------------------------------------------------


def test_the_admins_delete_action_is_ours_not_djangos_stock_korean():
    """Django's "선택된 회의 을/를 삭제합니다." becomes "선택한 회의 삭제"."""
    action = admin.site.get_action("delete_selected")

    with translation.override("en"):
        assert str(action.short_description) == "Delete the selected %(verbose_name_plural)s"
    assert action.allowed_permissions == ["delete"]
