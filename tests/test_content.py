"""Minutes content: the plain data every rendering and every version is made from."""

import datetime
import json
import unicodedata

from meetings.minutes import (
    MinutesDocument,
    canonical_json,
    content_sha256,
    minutes_content,
    public_content,
)
from meetings.models import Meeting
from meetings.pdf import Variant, render_minutes_pdf

from .conftest import add_block


def content_of(meeting):
    return minutes_content(Meeting.objects.with_minutes().get(pk=meeting.pk))


def test_content_is_the_record_in_print_order(world):
    world.add_remarks(4)
    content = content_of(world.meeting)

    assert [s["role"] for s in content["signature_block"]] == [
        "signer",
        "signer",
        "confirmer",
        "author",
    ]
    assert content["attendance"]["external"] == ["문가람", "한도윤"]
    assert content["attendance"]["absent"] == ["배하늘"]
    assert [r["speaker"] for r in content["remarks"]] == ["한도윤", "문가람", "임채윤", ""]
    assert content["agenda"][0]["kind_label"] == "심의"


def test_canonical_json_is_deterministic_nfc_and_lf(world):
    decomposed = unicodedata.normalize("NFD", "데이터 공유\r\n방안")
    add_block(world.meeting, 1, [decomposed], member=world.chair)
    content = content_of(world.meeting)

    first, second = canonical_json(content), canonical_json(json.loads(canonical_json(content)))

    assert first == second
    assert "데이터 공유\\n방안".encode() in first
    assert list(json.loads(first)) == sorted(json.loads(first))


def test_the_hash_follows_every_printed_change(world):
    block = add_block(world.meeting, 1, ["원문"], member=world.chair)
    before = content_sha256(content_of(world.meeting))
    assert content_sha256(content_of(world.meeting)) == before

    block.statements.update(text="수정문")

    assert content_sha256(content_of(world.meeting)) != before


def test_public_content_keeps_no_name_outside_attendance_and_signatures(world):
    world.add_remarks(6)
    add_block(world.meeting, 7, ["문가람 위원 의견에 동의함."], member=world.internal)
    content = content_of(world.meeting)

    public = public_content(content)

    assert "redact" not in public and public["version"] == "public"
    spoken = json.dumps([public["remarks"], public["decisions"]], ensure_ascii=False)
    for name in content["redact"]:
        assert name not in spoken
    printed = {key: value for key, value in content["attendance"].items() if key != "absent"}
    assert public["attendance"] == printed
    # Absent members are never printed, so the public data does not name them.
    assert content["attendance"]["absent"] == ["배하늘"]
    assert "배하늘" not in json.dumps(public, ensure_ascii=False)
    assert public_content(public) is public


def test_rendering_reads_the_content_not_the_database(world):
    add_block(world.meeting, 1, ["확정된 발언"], member=world.chair)
    content = content_of(world.meeting)
    created = datetime.datetime(2024, 4, 19, 9, 0, tzinfo=datetime.UTC)
    before = render_minutes_pdf(content, variant=Variant.PDFA_3B, created=created)

    world.meeting.speaker_blocks.all().delete()

    assert render_minutes_pdf(content, variant=Variant.PDFA_3B, created=created) == before
    assert MinutesDocument(content, public=False).remarks[0].statements == ["확정된 발언"]
