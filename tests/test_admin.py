"""The admin is the secretary's workspace: every page opens, a whole meeting can
be entered through it, and bad input is refused with a clear message while
everything already saved stays as it was."""

import datetime

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from agenda.admin import INLINE_SPEAKER_BLOCKS
from agenda.models import AgendaItem, Resolution, SpeakerBlock
from committees.models import Member, MemberRole
from meetings.models import Attendance, Meeting

from .conftest import add_block, make_committee, make_member
from .forms import add_inline_rows, form_data


@pytest.fixture
def secretary(world):
    user = world.secretary.person.user
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["committees", "meetings", "agenda"])
    )
    return user


@pytest.fixture
def secretary_admin(client, secretary):
    client.force_login(secretary)
    return client


class FakeRequest:
    """Enough of a request for has_add_permission() of a superuser."""

    class user:
        is_active = is_staff = is_superuser = True

        @staticmethod
        def has_perm(perm, obj=None):
            return True


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def test_every_admin_page_opens(admin_client, world):
    world.add_remarks(6)
    for model in admin.site._registry:
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert admin_client.get(changelist).status_code == 200, changelist
        assert admin_client.get(changelist, {"q": "위원"}).status_code == 200, changelist
        add = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
        can_add = admin.site._registry[model].has_add_permission(FakeRequest())
        assert admin_client.get(add).status_code == (200 if can_add else 403), add
        obj = model.objects.first()
        if obj is not None:
            assert admin_client.get(change_url(obj)).status_code == 200, meta.label


@pytest.mark.parametrize("app_label", ["committees", "meetings", "agenda"])
def test_admin_labels_are_korean(admin_client, app_label):
    for model in apps.get_app_config(app_label).get_models():
        if model in admin.site._registry:
            name = str(model._meta.verbose_name_plural)
            assert any("\uac00" <= ch <= "\ud7a3" for ch in name), name


def test_meeting_page_queries_do_not_grow_with_the_remarks(
    secretary_admin, world, django_assert_max_num_queries
):
    world.add_remarks(10)
    with django_assert_max_num_queries(200) as few:
        secretary_admin.get(change_url(world.meeting))
    for position in range(11, 61):
        add_block(world.meeting, position, ["추가 발언"], member=world.chair)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = secretary_admin.get(change_url(world.meeting))
    assert response.status_code == 200
    # Past INLINE_SPEAKER_BLOCKS the blocks are a link to the editor, not 60 forms.
    page = response.content.decode()
    assert 'name="speaker_blocks-' not in page
    assert reverse("editor:page", args=[world.meeting.pk]) in page
    assert "?meeting__id__exact=" in page


def test_a_short_record_keeps_its_speaker_blocks_on_the_meeting_page(secretary_admin, world):
    world.add_remarks(INLINE_SPEAKER_BLOCKS)
    page = secretary_admin.get(change_url(world.meeting)).content.decode()
    assert page.count('name="speaker_blocks-') > INLINE_SPEAKER_BLOCKS * 5


def test_secretary_enters_a_whole_meeting_through_the_admin(secretary_admin, world):
    committee = world.committee
    add_page = secretary_admin.get(reverse("admin:meetings_meeting_add"))
    data = form_data(add_page, "meeting_form")
    data.update(
        {
            "committee": str(committee.pk),
            "year": "2024",
            "sequence": "2",
            "starts_at_0": "2024-06-20",
            "starts_at_1": "14:00",
            "ends_at_0": "2024-06-20",
            "ends_at_1": "16:30",
            "place": "시청 대회의실",
            "document_date": "2024-06-01",
            "_continue": "1",
        }
    )
    response = secretary_admin.post(reverse("admin:meetings_meeting_add"), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    meeting = Meeting.objects.get(committee=committee, sequence=2)

    # The change page lists every roster member for attendance, present by default.
    change_page = secretary_admin.get(change_url(meeting))
    data = form_data(change_page, "meeting_form")
    assert data["attendances-TOTAL_FORMS"] == "5"
    for index in range(5):
        if data[f"attendances-{index}-member"] == str(world.member_b.pk):
            data[f"attendances-{index}-status"] = "absent"
    add_inline_rows(
        data,
        "non_member_attendees",
        [{"position": "1", "description": "담당 팀장 등"}],
    )
    add_inline_rows(
        data,
        "proceedings",
        [
            {"position": "", "depth": "0", "text": "개회 및 참석자 소개"},
            {"position": "", "depth": "0", "text": "안건 심의"},
            {"position": "", "depth": "1", "text": "버스 노선 개편안 심의"},
        ],
    )
    add_inline_rows(
        data,
        "agenda_items",
        [
            {"kind": "deliberation", "number": "1", "title": "노선 개편안", "outcome": ""},
            {"kind": "report_advisory", "number": "1", "title": "이용 현황 보고"},
        ],
    )
    for index in range(4):
        data.pop(f"signatories-{index}-role", None)
    add_inline_rows(
        data,
        "signatories",
        [
            {"role": "signer", "position": "1", "person": str(world.chair.person.pk)},
            {"role": "signer", "position": "2", "person": str(world.member_a.person.pk)},
            {"role": "confirmer", "position": "1", "person": str(world.internal.person.pk)},
            {"role": "author", "position": "1", "person": str(world.secretary.person.pk)},
        ],
    )
    response = secretary_admin.post(change_url(meeting), data)
    assert response.status_code == 302, response.context["errors"]

    # Speakers and agenda items exist now: enter the remarks and the decision.
    data = form_data(secretary_admin.get(change_url(meeting)), "meeting_form")
    item = meeting.agenda_items.get(kind="deliberation")
    add_inline_rows(
        data,
        "speaker_blocks",
        [
            {
                "speaker_kind": "member",
                "member": str(world.secretary.pk),
                "statements_text": "개회 및 진행 안내\n위원 소개",
            },
            {
                "speaker_kind": "member",
                "member": str(world.member_a.pk),
                "agenda_item": str(item.pk),
                "statements_text": "- 배차 간격 자료 요청.",
            },
            {
                "speaker_kind": "collective",
                "role_label": "위원",
                "agenda_item": str(item.pk),
                "statements_text": "(다같이) 없음",
            },
        ],
    )
    add_inline_rows(
        data,
        "resolutions",
        [
            {
                "agenda_item": str(item.pk),
                "question": "안건1 수정안 의결",
                "method": "no_objection",
                "outcome": "passed_as_amended",
            }
        ],
    )
    response = secretary_admin.post(change_url(meeting), data)
    assert response.status_code == 302, response.context["errors"]

    meeting.refresh_from_db()
    assert meeting.updated_by == world.secretary.person.user
    assert meeting.attendances.filter(status="present").count() == 4
    assert list(meeting.proceedings.values_list("position", "depth", "text")) == [
        (1, 0, "개회 및 참석자 소개"),
        (2, 0, "안건 심의"),
        (3, 1, "버스 노선 개편안 심의"),
    ]
    blocks = list(meeting.speaker_blocks.all())
    assert [b.position for b in blocks] == [1, 2, 3]
    assert [b.role_label for b in blocks] == ["간사", "위원", "위원"]
    assert [[s.text for s in b.statements.all()] for b in blocks] == [
        ["개회 및 진행 안내", "위원 소개"],
        ["배차 간격 자료 요청."],
        ["(다같이) 없음"],
    ]
    resolution = Resolution.objects.get(meeting=meeting)
    assert resolution.agenda_item == item
    assert meeting.signatories.count() == 4

    page = secretary_admin.get(meeting.get_absolute_url()).content.decode()
    assert "&lt;문가람 위원&gt;" in page
    assert "배차 간격 자료 요청." in page


def test_editing_a_statement_keeps_the_other_statements(secretary_admin, world):
    block = add_block(world.meeting, 1, ["첫째", "둘째", "셋째"], member=world.chair)
    second = block.statements.get(position=2)
    data = form_data(secretary_admin.get(change_url(world.meeting)), "meeting_form")
    data["speaker_blocks-0-statements_text"] = "첫째\n둘째 (수정)\n셋째\n넷째"

    response = secretary_admin.post(change_url(world.meeting), data)

    assert response.status_code == 302, response.context["errors"]
    assert [s.text for s in block.statements.all()] == ["첫째", "둘째 (수정)", "셋째", "넷째"]
    second.refresh_from_db()
    assert second.text == "둘째 (수정)"


def test_blocks_can_be_reordered_by_renumbering(secretary_admin, world):
    world.add_remarks(3)
    data = form_data(secretary_admin.get(change_url(world.meeting)), "meeting_form")
    data["speaker_blocks-0-position"], data["speaker_blocks-2-position"] = "3", "1"

    response = secretary_admin.post(change_url(world.meeting), data)

    assert response.status_code == 302, response.context["errors"]
    assert [b.statements.first().text for b in world.meeting.speaker_blocks.all()] == [
        "발언 3-1",
        "발언 2-1",
        "발언 1-1",
    ]


def rejected(client, meeting, data):
    """POST ``data`` and return the page's error text; the save must be refused."""
    response = client.post(change_url(meeting), data)
    assert response.status_code == 200, "the change should have been refused"
    return response.content.decode()


def test_a_meeting_cannot_end_before_it_starts(secretary_admin, world):
    data = form_data(secretary_admin.get(change_url(world.meeting)), "meeting_form")
    data.update({"ends_at_1": "14:00", "place": "바뀐 장소"})

    page = rejected(secretary_admin, world.meeting, data)

    assert "회의 종료 시각은 시작 시각보다 뒤여야 합니다." in page
    assert 'value="바뀐 장소"' in page  # what was typed is still on the form
    world.meeting.refresh_from_db()
    assert world.meeting.place == "시청 영상회의실(6층)"


def test_an_agenda_number_is_used_once_per_kind(secretary_admin, world):
    data = form_data(secretary_admin.get(change_url(world.meeting)), "meeting_form")
    add_inline_rows(
        data, "agenda_items", [{"kind": "deliberation", "number": "1", "title": "중복 안건"}]
    )
    page = rejected(secretary_admin, world.meeting, data)
    assert "중복 안건" in page
    assert world.meeting.agenda_items.count() == 1


def test_a_speaker_block_needs_a_statement(secretary_admin, world):
    world.add_remarks(2)
    data = form_data(secretary_admin.get(change_url(world.meeting)), "meeting_form")
    data["speaker_blocks-0-statements_text"] = "  \n- \n"
    data["place"] = "바뀐 장소"

    page = rejected(secretary_admin, world.meeting, data)

    assert "발언자마다 발언 내용을 한 줄 이상 입력해 주세요." in page
    assert world.meeting.speaker_blocks.get(position=1).statements.count() == 2
    world.meeting.refresh_from_db()
    assert world.meeting.place == "시청 영상회의실(6층)"


def test_a_signer_must_have_attended(secretary_admin, world):
    data = form_data(secretary_admin.get(change_url(world.meeting)), "meeting_form")
    # Member A is a signer; marking them absent in the same submission is refused.
    for index in range(int(data["attendances-TOTAL_FORMS"])):
        if data[f"attendances-{index}-member"] == str(world.member_a.pk):
            data[f"attendances-{index}-status"] = "absent"

    page = rejected(secretary_admin, world.meeting, data)

    assert "문가람 님은 이 회의에 위원으로 참석하지 않아 회의록에 서명할 수 없습니다." in page
    assert Attendance.objects.get(meeting=world.meeting, member=world.member_a).is_present


def test_an_absent_member_cannot_be_made_a_signer(secretary_admin, world):
    data = form_data(secretary_admin.get(change_url(world.meeting)), "meeting_form")
    for index in range(int(data["signatories-TOTAL_FORMS"])):
        if data[f"signatories-{index}-person"] == str(world.member_a.person.pk):
            data[f"signatories-{index}-person"] = str(world.member_b.person.pk)

    page = rejected(secretary_admin, world.meeting, data)

    assert "배하늘 님은 이 회의에 위원으로 참석하지 않아 회의록에 서명할 수 없습니다." in page


def test_a_member_of_another_committee_cannot_be_marked_present(secretary_admin, world):
    other = make_member(make_committee("환경위원회", "environment"), "노을빛")
    data = form_data(secretary_admin.get(change_url(world.meeting)), "meeting_form")
    add_inline_rows(data, "attendances", [{"member": str(other.pk), "status": "present"}])

    rejected(secretary_admin, world.meeting, data)

    assert not Attendance.objects.filter(member=other).exists()


def test_status_is_not_editable_in_the_admin(secretary_admin, world):
    data = form_data(secretary_admin.get(change_url(world.meeting)), "meeting_form")
    data["status"] = "signed"

    secretary_admin.post(change_url(world.meeting), data)

    world.meeting.refresh_from_db()
    assert world.meeting.status == Meeting.Status.DRAFT


def test_outline_cannot_skip_a_level(secretary_admin, world):
    world.meeting.proceedings.all().delete()  # the outline below is the whole of it
    data = form_data(secretary_admin.get(change_url(world.meeting)), "meeting_form")
    add_inline_rows(
        data,
        "proceedings",
        [
            {"position": "1", "depth": "0", "text": "개회"},
            {"position": "2", "depth": "2", "text": "x"},
        ],
    )
    page = rejected(secretary_admin, world.meeting, data)
    assert "2번째 줄이 윗줄보다 두 단계 이상 들여쓰기되어 있습니다." in page
    assert not world.meeting.proceedings.exists()


def test_duplicate_order_numbers_are_refused(secretary_admin, world):
    world.add_remarks(2)
    data = form_data(secretary_admin.get(change_url(world.meeting)), "meeting_form")
    data["speaker_blocks-1-position"] = data["speaker_blocks-0-position"]

    page = rejected(secretary_admin, world.meeting, data)

    assert "순서 번호가 같은 줄이 있습니다. 줄마다 다른 번호를 넣어 주세요." in page
    assert sorted(world.meeting.speaker_blocks.values_list("position", flat=True)) == [1, 2]


def test_member_roles_change_over_time(world):
    day = world.meeting.meeting_day
    world.member_a.roles.create(role=MemberRole.Role.CHAIR, since=day + datetime.timedelta(days=1))

    assert world.member_a.role_on(day) == MemberRole.Role.MEMBER
    assert world.member_a.role_on(day + datetime.timedelta(days=1)) == MemberRole.Role.CHAIR
    assert isinstance(world.member_a, Member)
    assert SpeakerBlock and AgendaItem  # models the admin registers


def test_a_speaker_block_edited_on_its_own_page_needs_its_order(secretary_admin, world):
    block = add_block(world.meeting, 1, ["원래 발언"], member=world.chair)
    url = change_url(block)
    data = form_data(secretary_admin.get(url), "speakerblock_form")
    data.update({"position": "", "statements_text": "고친 발언"})

    page = rejected_at(secretary_admin, url, data)

    assert "필수 항목입니다." in page
    assert [s.text for s in block.statements.all()] == ["원래 발언"]

    data["position"] = "1"
    assert secretary_admin.post(url, data).status_code == 302
    assert [s.text for s in block.statements.all()] == ["고친 발언"]


def rejected_at(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 200, "the change should have been refused"
    return response.content.decode()


def test_two_secretaries_saving_the_same_meeting_get_a_conflict_not_a_loss(
    secretary_admin, world, client, django_user_model
):
    first = form_data(secretary_admin.get(change_url(world.meeting)), "meeting_form")
    other = django_user_model.objects.create_superuser("second", password="pw")
    second_client = client.__class__()
    second_client.force_login(other)
    second = form_data(second_client.get(change_url(world.meeting)), "meeting_form")

    second["place"] = "두 번째 간사가 고친 장소"
    assert second_client.post(change_url(world.meeting), second).status_code == 302
    first["place"] = "첫 번째 간사가 고친 장소"
    page = rejected(secretary_admin, world.meeting, first)

    assert "second" in page and "이 회의록을 저장했습니다" in page
    assert 'value="첫 번째 간사가 고친 장소"' in page  # the typing is still there
    world.meeting.refresh_from_db()
    assert world.meeting.place == "두 번째 간사가 고친 장소"
