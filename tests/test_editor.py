"""The secretary's editor: who may use it, and how saves keep every word.

The remarks are saved as one document carrying the revision it was based
on. These tests drive the JSON endpoints the page's script uses, and the
overview form, and check what the database holds afterwards.
"""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agenda.models import Resolution, ReviewComment, SpeakerBlock, Statement
from meetings import services
from meetings.minutes import MinutesDocument, minutes_content
from meetings.models import Attendance, Meeting, NonMemberAttendee
from meetings.services import WorkflowError

from .conftest import add_block, make_committee, make_meeting, make_member
from .html import json_script

pytestmark = pytest.mark.django_db


def state_of(client, meeting):
    response = client.get(reverse("editor:state", args=[meeting.pk]))
    assert response.status_code == 200
    return response.json()


def save(client, meeting, document, base):
    return client.post(
        reverse("editor:save", args=[meeting.pk]),
        data=json.dumps({"base": base, "document": document}),
        content_type="application/json",
    )


def block(speaker, *statements, key=None, id=None, label="", agenda_item=None, written_name=""):
    return {
        "key": key or f"k{speaker}{len(statements)}{statements[:1]}",
        "id": id,
        "speaker": speaker,
        "label": label,
        "written_name": written_name,
        "agenda_item": agenda_item,
        "statements": list(statements),
    }


def stored_remarks(meeting):
    return [
        (b.heading(public=False), [s.text for s in b.statements.all()])
        for b in meeting.speaker_blocks.prefetch_related("statements")
    ]


# Who may edit -----------------------------------------------------------------


def test_the_secretary_opens_the_editor_with_the_remarks_and_the_speakers(secretary_client, world):
    world.add_remarks(3)
    response = secretary_client.get(reverse("editor:page", args=[world.meeting.pk]))
    assert response.status_code == 200
    config = json_script(response, "editor-config")
    assert [b["statements"] for b in config["state"]["blocks"]] == [
        ["발언 1-1", "발언 1-2"],
        ["발언 2-1", "발언 2-2", "발언 2-3"],
        ["발언 3-1"],
    ]
    offered = {(s["name"], s["label"]) for s in config["speakers"]}
    assert {
        ("한도윤", "위원장"),
        ("오세린", "간사"),
        ("임채윤", "교통데이터팀장"),
        ("", "위원"),
    } <= (offered)
    assert 'id="editor-config"' in response.content.decode()


def test_a_member_who_is_not_the_secretary_cannot_edit(client, world):
    client.force_login(world.member_a.person.user)
    assert client.get(reverse("editor:page", args=[world.meeting.pk])).status_code == 403
    response = save(client, world.meeting, {"blocks": []}, "x")
    assert response.status_code == 403


def test_someone_outside_the_committee_does_not_learn_the_meeting_exists(
    client, world, django_user_model
):
    client.force_login(django_user_model.objects.create_user("outsider"))
    assert client.get(reverse("editor:page", args=[world.meeting.pk])).status_code == 404


def test_the_minutes_page_offers_the_editor_to_the_secretary_only_while_editable(
    secretary_client, world
):
    page = secretary_client.get(world.meeting.get_absolute_url()).content.decode()
    assert reverse("editor:page", args=[world.meeting.pk]) in page


# Saving the remarks -------------------------------------------------------------


def test_a_save_stores_the_blocks_and_statements_in_order(secretary_client, world):
    base = state_of(secretary_client, world.meeting)["revision"]
    document = {
        "blocks": [
            block(f"m:{world.secretary.pk}", "개회 선언", "위원 소개", key="a"),
            block(f"m:{world.chair.pk}", "인사말씀", key="b", agenda_item=world.item.pk),
            block("c", "(다같이) 없음", key="c", label="위원"),
        ],
        "resolutions": [],
    }
    response = save(secretary_client, world.meeting, document, base)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["revision"] != base
    assert set(body["blocks"]) == {"a", "b", "c"}
    assert stored_remarks(world.meeting) == [
        ("오세린 간사", ["개회 선언", "위원 소개"]),
        ("한도윤 위원장", ["인사말씀"]),
        ("위원", ["(다같이) 없음"]),
    ]
    assert world.meeting.speaker_blocks.get(pk=body["blocks"]["b"]).agenda_item == world.item
    world.meeting.refresh_from_db()
    assert world.meeting.updated_by == world.secretary.person.user


def test_editing_keeps_rows_in_place_reorders_and_deletes(secretary_client, world):
    first, second, third = world.add_remarks(3)
    statement_ids = list(first.statements.values_list("pk", flat=True))
    state = state_of(secretary_client, world.meeting)
    blocks = state["blocks"]
    blocks[0]["statements"] = ["발언 1-1 고침", "발언 1-2"]
    document = {"blocks": [blocks[2], blocks[0]], "resolutions": []}  # second deleted
    response = save(secretary_client, world.meeting, document, state["revision"])
    assert response.status_code == 200, response.content
    assert list(world.meeting.speaker_blocks.values_list("pk", flat=True)) == [
        third.pk,
        first.pk,
    ]
    assert list(first.statements.values_list("pk", "text")) == [
        (statement_ids[0], "발언 1-1 고침"),
        (statement_ids[1], "발언 1-2"),
    ]
    assert not SpeakerBlock.objects.filter(pk=second.pk).exists()
    assert not Statement.objects.filter(block_id=second.pk).exists()


def test_a_save_based_on_an_old_revision_is_a_conflict_and_writes_nothing(secretary_client, world):
    world.add_remarks(2)
    state = state_of(secretary_client, world.meeting)
    theirs = json.loads(json.dumps(state))
    theirs["blocks"][0]["statements"] = ["그쪽이 먼저 고친 문장"]
    assert save(secretary_client, world.meeting, theirs, state["revision"]).status_code == 200
    before = stored_remarks(world.meeting)

    mine = state  # still based on the first revision
    mine["blocks"][1]["statements"] = ["내가 고친 문장"]
    response = save(secretary_client, world.meeting, mine, state["revision"])

    assert response.status_code == 409
    conflict = response.json()["conflict"]
    assert conflict["theirs"]["blocks"][0]["statements"] == ["그쪽이 먼저 고친 문장"]
    assert conflict["by"] == "secretary"
    assert stored_remarks(world.meeting) == before


def test_keeping_my_text_after_a_conflict_is_an_explicit_second_save(secretary_client, world):
    world.add_remarks(1)
    state = state_of(secretary_client, world.meeting)
    other = json.loads(json.dumps(state))
    other["blocks"][0]["statements"] = ["그쪽"]
    save(secretary_client, world.meeting, other, state["revision"])
    state["blocks"][0]["statements"] = ["내 것"]
    conflict = save(secretary_client, world.meeting, state, state["revision"]).json()["conflict"]
    response = save(secretary_client, world.meeting, state, conflict["theirs"]["revision"])
    assert response.status_code == 200
    assert stored_remarks(world.meeting)[0][1] == ["내 것"]


def test_an_unknown_speaker_is_refused_with_the_remark_number_and_nothing_is_written(
    secretary_client, world
):
    world.add_remarks(1)
    before = stored_remarks(world.meeting)
    stranger = make_member(make_committee(name="다른위원회", slug="other"), "남궁민")
    state = state_of(secretary_client, world.meeting)
    state["blocks"].append(block(f"m:{stranger.pk}", "끼어든 발언", key="x"))
    response = save(secretary_client, world.meeting, state, state["revision"])
    assert response.status_code == 400
    messages = [e["message"] for e in response.json()["errors"]]
    assert messages == ["2번 발언: 명단에 없는 위원입니다."]
    assert stored_remarks(world.meeting) == before


def test_a_typed_speaker_not_on_the_roster_is_kept_unidentified_and_masked_in_public(
    secretary_client, world
):
    base = state_of(secretary_client, world.meeting)["revision"]
    document = {
        "blocks": [block("u", "김철수 의견입니다.", key="u1", label="김철수 위원")],
        "resolutions": [],
    }
    assert save(secretary_client, world.meeting, document, base).status_code == 200
    stored = world.meeting.speaker_blocks.get()
    assert (stored.speaker_kind, stored.written_name, stored.role_label) == (
        "unidentified",
        "김철수",
        "위원",
    )
    content = minutes_content(Meeting.objects.with_minutes().get(pk=world.meeting.pk))
    public = MinutesDocument(content, public=True)
    assert public.remarks[0].heading == "000위원"
    assert public.remarks[0].statements == ["000 의견입니다."]


def test_the_minutes_cannot_go_to_review_while_a_speaker_is_unidentified(secretary_client, world):
    world.add_remarks(2)
    state = state_of(secretary_client, world.meeting)
    state["blocks"].append(block("u", "누구인지 모를 발언", key="u1", label="000위원"))
    save(secretary_client, world.meeting, state, state["revision"])
    with pytest.raises(WorkflowError, match="3번 발언의 발언자를 선택하세요"):
        services.send_for_review(
            world.meeting,
            by=world.secretary.person.user,
            deadline=timezone.now() + datetime.timedelta(days=3),
        )


def test_a_resolution_is_stored_after_the_block_where_it_was_taken(secretary_client, world):
    base = state_of(secretary_client, world.meeting)["revision"]
    document = {
        "blocks": [
            block(f"m:{world.chair.pk}", "이의 있으십니까?", key="q"),
            block("c", "(다같이) 없음", key="a", label="위원"),
        ],
        "resolutions": [
            {
                "key": "r1",
                "after": "a",
                "agenda_item": world.item.pk,
                "question": "버스 노선 개편안 의결",
                "method": "no_objection",
                "outcome": "passed_as_amended",
            }
        ],
    }
    response = save(secretary_client, world.meeting, document, base)
    assert response.status_code == 200, response.content
    resolution = Resolution.objects.get(pk=response.json()["resolutions"]["r1"])
    assert resolution.after_block_id == response.json()["blocks"]["a"]
    assert (resolution.agenda_item, resolution.outcome) == (world.item, "passed_as_amended")
    again = state_of(secretary_client, world.meeting)
    assert again["resolutions"][0]["after"] == again["blocks"][1]["key"]


def test_a_vote_without_counts_is_refused(secretary_client, world):
    base = state_of(secretary_client, world.meeting)["revision"]
    document = {
        "blocks": [],
        "resolutions": [
            {"key": "r", "question": "표결", "method": "show_of_hands", "outcome": "passed"}
        ],
    }
    response = save(secretary_client, world.meeting, document, base)
    assert response.status_code == 400
    assert "찬성과 반대" in response.json()["errors"][0]["message"]


def test_a_block_with_review_comments_cannot_be_deleted_from_the_editor(secretary_client, world):
    first, second = world.add_remarks(2)
    ReviewComment.objects.create(
        meeting=world.meeting,
        speaker_block=second,
        author=world.member_a.person.user,
        proposed_text="고친 문장",
        reason="오기",
    )
    state = state_of(secretary_client, world.meeting)
    state["blocks"] = state["blocks"][:1]
    response = save(secretary_client, world.meeting, state, state["revision"])
    assert response.status_code == 400
    assert SpeakerBlock.objects.filter(pk=second.pk).exists()


def test_confirmed_minutes_are_read_only_in_the_editor(secretary_client, world):
    world.add_remarks(1)
    state = state_of(secretary_client, world.meeting)
    Meeting.objects.filter(pk=world.meeting.pk).update(status=Meeting.Status.CONFIRMED)
    state["blocks"][0]["statements"] = ["확정 후 고침"]
    response = save(secretary_client, world.meeting, state, state["revision"])
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == (
        "회의록이 확정되었습니다. 고치려면 정정(새 판)을 시작하세요."
    )
    assert stored_remarks(world.meeting)[0][1] != ["확정 후 고침"]
    page = secretary_client.get(reverse("editor:page", args=[world.meeting.pk]))
    assert 'id="read-only"' in page.content.decode()
    assert json_script(page, "editor-config")["editable"] is False


def test_malformed_json_is_refused_without_a_server_error(secretary_client, world):
    response = secretary_client.post(
        reverse("editor:save", args=[world.meeting.pk]),
        data="{not json",
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"]


def test_a_save_costs_the_same_queries_for_10_and_60_blocks(
    secretary_client, world, django_assert_max_num_queries
):
    def document(count):
        return {
            "blocks": [
                block(f"m:{world.chair.pk}", f"문장 {n}-1", f"문장 {n}-2", key=f"k{n}")
                for n in range(count)
            ],
            "resolutions": [],
        }

    for count in (10, 60):
        base = state_of(secretary_client, world.meeting)["revision"]
        with django_assert_max_num_queries(25):
            assert save(secretary_client, world.meeting, document(count), base).status_code == 200


# The overview form ----------------------------------------------------------------


def overview_data(meeting, **changes):
    from agenda.forms import OverviewForm

    form = OverviewForm(instance=meeting)
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name == "present":
            data[name] = [str(v) for v in value]
        elif isinstance(value, datetime.date):
            data[name] = value.strftime("%Y-%m" if name == "document_date" else "%Y-%m-%d")
        elif isinstance(value, datetime.time):
            data[name] = value.strftime("%H:%M")
        elif value is not None:
            data[name] = value
    data.update({"year": meeting.year, "sequence": meeting.sequence, "place": meeting.place})
    items = list(meeting.agenda_items.all())
    data.update(
        {
            "items-TOTAL_FORMS": len(items) + 1,
            "items-INITIAL_FORMS": len(items),
            "items-MIN_NUM_FORMS": 0,
            "items-MAX_NUM_FORMS": 1000,
        }
    )
    for index, item in enumerate(items):
        data.update(
            {
                f"items-{index}-id": item.pk,
                f"items-{index}-kind": item.kind,
                f"items-{index}-number": item.number,
                f"items-{index}-title": item.title,
                f"items-{index}-outcome": item.outcome,
            }
        )
    data.update(changes)
    return data


def test_the_overview_form_saves_times_attendance_attendees_and_proceedings(
    secretary_client, world
):
    meeting = world.meeting
    staff_id = world.staff.pk
    data = overview_data(
        meeting,
        starts="14:00",
        ends="16:30",
        place="본청 3층 대회의실",
        present=[str(world.chair.pk), str(world.secretary.pk), str(world.member_b.pk)],
        signer_2=str(world.member_b.pk),  # 문가람 is absent now, so cannot sign
        non_members="임채윤 교통데이터팀장\n담당 팀장 등\n  고은비 교통안전팀장\n기록 담당자",
        proceedings_text="개회\n안건 심의\n  버스 노선 개편안\n폐회",
    )
    response = secretary_client.post(reverse("editor:page", args=[meeting.pk]), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "14:00"
    assert timezone.localtime(meeting.ends_at).strftime("%H:%M") == "16:30"
    assert meeting.place == "본청 3층 대회의실"
    statuses = dict(meeting.attendances.values_list("member__person__name", "status"))
    assert statuses == {
        "한도윤": "present",
        "오세린": "present",
        "배하늘": "present",
        "문가람": "absent",
        "서지안": "absent",
    }
    attendees = list(meeting.non_member_attendees.all())
    assert [a.display_name for a in attendees] == [
        "임채윤 교통데이터팀장",
        "담당 팀장 등",
        "고은비 교통안전팀장",
        "기록 담당자",
    ]
    assert attendees[0].pk == staff_id  # the same row: remarks may refer to it
    assert attendees[2].included_in == attendees[1]
    assert list(meeting.proceedings.values_list("depth", "text")) == [
        (0, "개회"),
        (0, "안건 심의"),
        (1, "버스 노선 개편안"),
        (0, "폐회"),
    ]


def test_an_attendee_who_spoke_cannot_be_removed_and_nothing_is_saved(secretary_client, world):
    world.add_remarks(4)  # block 3 is the staff attendee's
    data = overview_data(world.meeting, non_members="담당 팀장 등", place="바뀐 장소")
    response = secretary_client.post(reverse("editor:page", args=[world.meeting.pk]), data)
    assert response.status_code == 400
    assert "발언" in str(response.context["form"].errors["non_members"])
    assert "배석자에서 뺄 수 없습니다" in response.content.decode()
    world.meeting.refresh_from_db()
    assert world.meeting.place == "시청 영상회의실(6층)"
    assert NonMemberAttendee.objects.filter(pk=world.staff.pk).exists()


def test_an_overview_saved_from_a_stale_page_is_refused_with_who_saved(secretary_client, world):
    data = overview_data(world.meeting, place="내가 바꾼 장소")
    Meeting.objects.filter(pk=world.meeting.pk).update(updated_at=timezone.now())
    response = secretary_client.post(reverse("editor:page", args=[world.meeting.pk]), data)
    assert response.status_code == 400
    assert "열어 둔 뒤에" in str(response.context["form"].errors)
    assert "열어 둔 뒤에" in response.content.decode()  # shown, not only set
    world.meeting.refresh_from_db()
    assert world.meeting.place != "내가 바꾼 장소"


def test_the_overview_refuses_an_end_before_the_start(secretary_client, world):
    data = overview_data(world.meeting, starts="17:00", ends="15:00")
    response = secretary_client.post(reverse("editor:page", args=[world.meeting.pk]), data)
    assert response.status_code == 400
    assert response.context["form"].errors["ends"] == [
        "회의 종료 시각은 시작 시각보다 뒤여야 합니다."
    ]


def test_unticking_members_records_them_absent_not_deleted(secretary_client, world):
    data = overview_data(world.meeting, present=[str(world.chair.pk)], signer_2="")
    secretary_client.post(reverse("editor:page", args=[world.meeting.pk]), data)
    assert Attendance.objects.filter(meeting=world.meeting).count() == 5
    assert Attendance.objects.filter(meeting=world.meeting, status="present").count() == 1


# Paste and preview ----------------------------------------------------------------


def test_pasted_text_comes_back_as_blocks_matched_to_the_meetings_people(secretary_client, world):
    text = "### <간사>\n- 개회 선언\n\n### <위원장>\n- 인사말씀\n\n### <000위원>\n- 질문 있음\n"
    response = secretary_client.post(
        reverse("editor:parse", args=[world.meeting.pk]),
        data=json.dumps({"text": text}),
        content_type="application/json",
    )
    assert response.status_code == 200
    blocks = response.json()["blocks"]
    assert [(b["speaker"], b["statements"]) for b in blocks] == [
        (f"m:{world.secretary.pk}", ["개회 선언"]),
        (f"m:{world.chair.pk}", ["인사말씀"]),
        ("u", ["질문 있음"]),
    ]
    assert blocks[2]["identified"] is False
    assert blocks[2]["note"]


def test_an_empty_paste_gets_a_message(secretary_client, world):
    response = secretary_client.post(
        reverse("editor:parse", args=[world.meeting.pk]),
        data=json.dumps({"text": "  "}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "먼저 텍스트를 붙여 넣으세요."


def test_the_preview_prints_the_saved_minutes_internal_or_public(secretary_client, world):
    world.add_remarks(3)
    url = reverse("editor:preview", args=[world.meeting.pk])
    internal = secretary_client.get(url, {"version": "internal"}).json()["html"]
    public = secretary_client.get(url, {"version": "public"}).json()["html"]
    assert "&lt;문가람 위원&gt;" in internal
    assert "&lt;000위원&gt;" in public and "문가람 위원" not in public


def test_an_ended_session_gets_a_401_the_script_can_explain(client, world):
    response = save(client, world.meeting, {"blocks": []}, "x")
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"].startswith("로그인이 만료되었습니다")


def test_the_editor_page_costs_the_same_queries_for_10_and_60_blocks(secretary_client, world):
    """Both visits print a text not shown before; a first visit keeps what is
    kept per user (permissions, the count of tasks) out of the comparison."""
    url = reverse("editor:page", args=[world.meeting.pk])
    secretary_client.get(url)
    world.add_remarks(10)
    with CaptureQueriesContext(connection) as ten:
        assert secretary_client.get(url).status_code == 200
    for position in range(11, 61):
        add_block(world.meeting, position, [f"문장 {position}"], member=world.chair)
    with CaptureQueriesContext(connection) as sixty:
        assert secretary_client.get(url).status_code == 200
    assert len(sixty) == len(ten)


def test_the_editor_page_costs_the_same_queries_for_a_roster_of_5_and_25(secretary_client, world):
    url = reverse("editor:page", args=[world.meeting.pk])
    secretary_client.get(url)
    world.committee.save()  # a new content generation: a text not shown before, as below
    with CaptureQueriesContext(connection) as five:
        assert secretary_client.get(url).status_code == 200
    for number in range(20):
        make_member(world.committee, f"추가위원{number}")
    with CaptureQueriesContext(connection) as twenty_five:
        assert secretary_client.get(url).status_code == 200
    assert len(twenty_five) == len(five)


def test_a_meeting_number_already_taken_is_refused_not_a_server_error(secretary_client, world):
    make_meeting(world.committee, sequence=2)
    data = overview_data(world.meeting, sequence=2)
    response = secretary_client.post(reverse("editor:page", args=[world.meeting.pk]), data)
    assert response.status_code == 400
    assert response.context["form"].errors["sequence"] == [
        "이 위원회에는 그해 같은 차수의 회의가 이미 있습니다."
    ]


def test_two_agenda_items_with_one_number_are_refused_and_nothing_is_saved(secretary_client, world):
    data = overview_data(
        world.meeting,
        place="바뀐 장소",
        **{
            "items-1-kind": "deliberation",
            "items-1-number": 1,
            "items-1-title": "같은 번호의 두 번째 안건",
        },
    )
    response = secretary_client.post(reverse("editor:page", args=[world.meeting.pk]), data)
    assert response.status_code == 400
    formset = response.context["formset"]
    assert "중복된 데이터를 고쳐주세요" in str(formset.non_form_errors())
    assert "중복된 데이터를 고쳐주세요" in response.content.decode()
    world.meeting.refresh_from_db()
    assert world.meeting.place == "시청 영상회의실(6층)"
    assert world.meeting.agenda_items.count() == 1


def test_a_new_agenda_item_is_added_from_the_overview(secretary_client, world):
    data = overview_data(
        world.meeting,
        **{"items-1-kind": "report", "items-1-number": 1, "items-1-title": "교통 현황 보고"},
    )
    response = secretary_client.post(reverse("editor:page", args=[world.meeting.pk]), data)
    assert response.status_code == 302
    assert list(world.meeting.agenda_items.values_list("kind", "title")) == [
        ("deliberation", "버스 노선 개편안"),
        ("report", "교통 현황 보고"),
    ]
