"""Stage directions and agenda headings: entries of the record nobody says.

A time mark "(10시 12분 개의)", a recess, a reaction "(“예” 하는 위원 있음)",
a chair handover, an agenda heading "1. 버스 노선 개편안": each is kept in the
remarks where it happened, printed as the source printed it, without a
speaker heading, and credited to nobody. Speech-only minutes keep the very
content (and hash) they always had; frozen versions without the new key
render as before.
"""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from agenda.models import SpeakerBlock
from agenda.services import replace_statements
from meetings import services
from meetings.minutes import (
    MinutesDocument,
    content_sha256,
    minutes_content,
    public_content,
    remark_changes,
)
from meetings.models import Meeting
from meetings.pdf import render_minutes_pdf

from .conftest import add_block
from .html import json_script, read_minutes
from .test_pdf import body_text, squashed

pytestmark = pytest.mark.django_db

Kind = SpeakerBlock.SpeakerKind
HANDOVER = "(배하늘 위원장직무대행, 한도윤 위원장과 사회교대)"


def add_unspoken(meeting, position, kind, text, *, agenda_item=None):
    block = SpeakerBlock(
        meeting=meeting, position=position, speaker_kind=kind, agenda_item=agenda_item
    )
    block.full_clean()
    block.save()
    replace_statements(block, [text])
    return block


@pytest.fixture
def staged(world):
    """heading, time mark, the chair's words, a handover naming two people, a member's words."""
    meeting = world.meeting
    add_unspoken(meeting, 1, Kind.HEADING, "1. 버스 노선 개편안", agenda_item=world.item)
    add_unspoken(meeting, 2, Kind.DIRECTION, "(15시 00분 개의)")
    add_block(meeting, 3, ["성원이 되었으므로 개의하겠습니다."], member=world.chair)
    add_unspoken(meeting, 4, Kind.DIRECTION, HANDOVER)
    add_block(meeting, 5, ["배하늘 위원님 말씀에 동의합니다."], member=world.member_a)
    return Meeting.objects.with_minutes().get(pk=meeting.pk)


# --- The model -----------------------------------------------------------------


def test_a_direction_names_no_speaker_and_needs_no_label(world):
    block = add_unspoken(world.meeting, 1, Kind.DIRECTION, "(10시 12분 개의)")
    assert (block.member, block.attendee, block.role_label, block.written_name) == (
        None,
        None,
        "",
        "",
    )
    assert not block.is_spoken
    assert str(block) == f"1. {Kind.DIRECTION.label}"


def test_a_direction_credited_to_a_member_is_refused_in_words(world):
    block = SpeakerBlock(
        meeting=world.meeting, position=1, speaker_kind=Kind.DIRECTION, member=world.chair
    )
    with pytest.raises(ValidationError) as refused:
        block.full_clean()
    assert "발언자" in str(refused.value) or "speaker" in str(refused.value)


def test_the_database_refuses_a_heading_with_a_speaker(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        SpeakerBlock.objects.create(
            meeting=world.meeting, position=1, speaker_kind=Kind.HEADING, member=world.chair
        )


def test_a_direction_clears_a_label_left_from_a_speaker(world):
    block = SpeakerBlock(
        meeting=world.meeting, position=1, speaker_kind=Kind.DIRECTION, role_label="위원장"
    )
    block.full_clean()
    assert block.role_label == ""


# --- The content -------------------------------------------------------------------


def test_only_unspoken_entries_carry_a_kind(staged):
    remarks = minutes_content(staged)["remarks"]
    assert [entry.get("kind") for entry in remarks] == [
        "heading",
        "direction",
        None,
        "direction",
        None,
    ]
    assert remarks[1] == {
        "kind": "direction",
        "speaker": "",
        "label": "",
        "statements": ["(15시 00분 개의)"],
    }


def test_speech_only_minutes_keep_the_content_and_hash_they_always_had(people):
    """The shape a speech entry had before directions existed, hashed the same."""
    meeting = Meeting.objects.with_minutes().get(pk=people.meeting.pk)
    content = minutes_content(meeting)
    before = {
        **content,
        "remarks": [
            {
                "speaker": block.speaker_name,
                "label": block.role_label,
                "statements": [s.text for s in block.statements.all()],
            }
            for block in meeting.speaker_blocks.all()
        ],
    }
    assert all(set(entry) == {"speaker", "label", "statements"} for entry in content["remarks"])
    assert content_sha256(content) == content_sha256(before)


def test_the_public_version_masks_names_in_directions_too(staged):
    public = public_content(minutes_content(staged))
    handover = public["remarks"][3]
    assert handover == {
        "kind": "direction",
        "heading": "",
        "statements": ["(000 위원장직무대행, 000 위원장과 사회교대)"],
    }
    assert "배하늘" not in json.dumps(public, ensure_ascii=False)
    assert public["remarks"][0] == {
        "kind": "heading",
        "heading": "",
        "statements": ["1. 버스 노선 개편안"],
    }


def test_a_frozen_version_without_kinds_renders_as_speech(people):
    meeting = Meeting.objects.with_minutes().get(pk=people.meeting.pk)
    stored = json.loads(json.dumps(minutes_content(meeting)))  # as a version keeps it
    document = MinutesDocument(stored, public=False)
    assert [remark.kind for remark in document.remarks] == ["speech"] * 6
    assert all(remark.heading for remark in document.remarks)


# --- The page and the PDF -----------------------------------------------------------


def test_the_page_prints_directions_as_written_without_a_speaker(staged, admin_client):
    response = admin_client.get(staged.get_absolute_url())
    remarks, texts = read_minutes(response)
    # Only the two speakers have headings; nobody is credited with the directions.
    assert remarks == [
        ("<한도윤 위원장>", ["성원이 되었으므로 개의하겠습니다."]),
        ("<문가람 위원>", ["배하늘 위원님 말씀에 동의합니다."]),
    ]
    assert texts["remark-1"] == "1. 버스 노선 개편안"
    assert texts["remark-2"] == "(15시 00분 개의)"
    assert texts["remark-4"] == HANDOVER
    html = response.content.decode()
    assert '<p class="agenda-heading">1. 버스 노선 개편안</p>' in html
    assert "&lt;&gt;" not in html


def test_the_public_page_masks_the_handover(staged, admin_client):
    response = admin_client.get(staged.get_absolute_url(), {"version": "public"})
    _remarks, texts = read_minutes(response)
    assert texts["remark-4"] == "(000 위원장직무대행, 000 위원장과 사회교대)"


def test_the_pdf_prints_directions_in_place_without_a_bullet(staged):
    text = body_text(render_minutes_pdf(minutes_content(staged), public=False))
    flat = squashed(text)
    order = [
        "1.버스노선개편안",
        "(15시00분개의)",
        "<한도윤위원장>",
        squashed(HANDOVER),
        "<문가람위원>",
    ]
    positions = [flat.index(squashed(part), flat.index("위원발언내용")) for part in order]
    assert positions == sorted(positions)
    assert "○(15시" not in flat and "<>" not in flat


# --- What changed, and review --------------------------------------------------------


def test_remark_changes_show_a_direction_without_a_heading(staged):
    old = minutes_content(staged)
    block = staged.speaker_blocks.get(position=2)
    replace_statements(block, ["(15시 05분 개의)"])
    new = minutes_content(Meeting.objects.with_minutes().get(pk=staged.pk))
    [change] = remark_changes(old, new)
    assert change.kind == "changed"
    assert change.before == [
        {"kind": "direction", "heading": "", "statements": ["(15시 00분 개의)"]}
    ]
    assert change.after[0]["statements"] == ["(15시 05분 개의)"]


def test_a_direction_turned_into_speech_is_a_change(staged):
    old = minutes_content(staged)
    staged.speaker_blocks.filter(position=2).update(speaker_kind=Kind.COLLECTIVE, role_label="위원")
    new = minutes_content(Meeting.objects.with_minutes().get(pk=staged.pk))
    [change] = remark_changes(old, new)
    assert change.before[0]["kind"] == "direction"
    assert change.after[0] == {
        "kind": "speech",
        "heading": "위원",
        "statements": ["(15시 00분 개의)"],
    }


def test_directions_are_not_unidentified_speakers_for_review(staged):
    problems = services.review_problems(staged)
    assert not any("Choose who spoke" in p or "발언자를 선택" in p for p in map(str, problems))


# --- The editor ------------------------------------------------------------------------


def editor_state(client, meeting):
    return client.get(reverse("editor:state", args=[meeting.pk])).json()


def editor_save(client, meeting, blocks, base):
    return client.post(
        reverse("editor:save", args=[meeting.pk]),
        data=json.dumps({"base": base, "document": {"blocks": blocks, "resolutions": []}}),
        content_type="application/json",
    )


def test_the_editor_offers_a_direction_and_a_heading_like_speakers(secretary_client, world):
    response = secretary_client.get(reverse("editor:page", args=[world.meeting.pk]))
    config = json_script(response, "editor-config")
    keys = [option["key"] for option in config["speakers"]]
    assert keys[-2:] == ["d", "h"]


def test_the_secretary_adds_reorders_and_deletes_directions(secretary_client, world):
    chair = f"m:{world.chair.pk}"
    base = editor_state(secretary_client, world.meeting)["revision"]
    blocks = [
        {
            "key": "k1",
            "speaker": "h",
            "label": "안건 제목",
            "agenda_item": world.item.pk,
            "statements": ["1. 버스 노선 개편안"],
        },
        {"key": "k2", "speaker": chair, "statements": ["개의하겠습니다."]},
        {
            "key": "k3",
            "speaker": "d",
            "label": "진행 기록",
            "statements": ["(“예” 하는 위원 있음)"],
        },
    ]
    response = editor_save(secretary_client, world.meeting, blocks, base)
    assert response.status_code == 200, response.content
    stored = list(
        world.meeting.speaker_blocks.values_list("speaker_kind", "role_label", "agenda_item")
    )
    assert stored == [
        ("heading", "", world.item.pk),
        ("member", "위원장", None),
        ("direction", "", None),
    ]

    state = editor_state(secretary_client, world.meeting)
    assert [b["speaker"] for b in state["blocks"]] == ["h", chair, "d"]
    # The direction moves before the chair's words; the heading is deleted.
    heading, words, direction = state["blocks"]
    response = editor_save(secretary_client, world.meeting, [direction, words], state["revision"])
    assert response.status_code == 200, response.content
    assert list(world.meeting.speaker_blocks.values_list("speaker_kind", "position")) == [
        ("direction", 1),
        ("member", 2),
    ]


def test_pasted_directions_stay_directions(secretary_client, world):
    text = "○위원장 한도윤  개의하겠습니다.\n(“예” 하는 위원 있음)\n○문가람 위원  질의하겠습니다.\n"
    response = secretary_client.post(
        reverse("editor:parse", args=[world.meeting.pk]),
        data=json.dumps({"text": text}),
        content_type="application/json",
    )
    assert response.status_code == 200
    blocks = response.json()["blocks"]
    assert [(b["speaker"], b["statements"]) for b in blocks] == [
        (f"m:{world.chair.pk}", ["개의하겠습니다."]),
        ("d", ["(“예” 하는 위원 있음)"]),
        (f"m:{world.member_a.pk}", ["질의하겠습니다."]),
    ]
