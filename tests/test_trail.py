"""The trail is a hash chain: each status change and each signature carries the
SHA-256 of the row before it, so a changed, deleted, reordered or forged row
shows in verify_trail, even when whoever owns the tables made the change."""

import datetime
import importlib
import io
import threading
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.loader import MigrationLoader

from meetings import services
from meetings.hashchain import GENESIS
from meetings.models import Signature, StatusChange
from meetings.services import publish
from meetings.trail import verify_trail, walk_chain

from .conftest import SEOUL
from .test_signing import sign_both
from .test_workflow import confirmed

POSTGRES = connection.vendor == "postgresql"
CHAINED_TABLES = ("meetings_statuschange", "meetings_signature")


def publish_signed(world):
    sign_both(confirmed(world), world)
    publish(world.meeting, by=world.secretary.person.user)
    return world


@pytest.fixture
def published(people, monkeypatch):
    """The whole workflow: five status changes and two signatures.

    Without rendering the sealed files, which are not part of the trail and
    take seconds; the first test below goes the whole way.
    """
    monkeypatch.setattr(services, "sealed_files", lambda document, kinds, progress=None: [])
    return publish_signed(people)


@contextmanager
def as_the_owner(tables=CHAINED_TABLES):
    """A cursor that can rewrite the frozen ``tables``, as only their owner could.

    SQLite has no trigger to stop it; on PostgreSQL the test database's
    superuser switches the frozen-row triggers off for the statements.
    """
    with connection.cursor() as cursor:
        if POSTGRES:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_frozen")
        yield cursor
        if POSTGRES:
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_frozen")


def changes():
    return list(StatusChange.objects.order_by("pk"))


def problems(**options):
    return verify_trail(**options).problems


def test_a_workflow_leaves_two_unbroken_chains(people):
    publish_signed(people)
    trail = changes()
    signatures = list(Signature.objects.order_by("pk"))

    assert [row.previous_sha256 for row in trail] == [GENESIS] + [
        row.row_sha256 for row in trail[:-1]
    ]
    assert signatures[1].previous_sha256 == signatures[0].row_sha256
    report = verify_trail()
    assert report.problems == []
    assert [(chain.count, chain.head) for chain in report.chains] == [
        (5, trail[-1].row_sha256),
        (2, signatures[-1].row_sha256),
    ]


def test_verify_trail_prints_the_counts_and_the_heads(published):
    output = io.StringIO()
    call_command("verify_trail", stdout=output)

    out = output.getvalue()
    head = changes()[-1].row_sha256
    assert f"상태 변경: 5건, 사슬이 끊김 없이 이어져 있습니다. 마지막 SHA-256 {head}." in out
    assert "서명: 2건, 사슬이 끊김 없이 이어져 있습니다." in out
    assert "이력이 온전합니다." in out


def test_a_row_is_hashed_as_stored_whatever_time_zone_or_address_spelling(people):
    change = StatusChange.objects.create(
        meeting=people.meeting,
        from_status="draft",
        to_status="draft",
        by=people.secretary.person.user,
        at=datetime.datetime(2024, 4, 18, 17, 30, 0, 123456, tzinfo=SEOUL),
        note="시각은 서울 시각으로",
    )
    version = confirmed(people)
    signature = Signature.objects.create(
        version=version,
        person=people.chair.person,
        signer_name="한도윤",
        signer_role="열람·서명자",
        user=people.chair.person.user,
        content_sha256=version.content_sha256,
        method="drawn",
        image=b"\x89PNG",
        ip_address="2001:DB8:0:0:0:0:0:1",
    )

    assert StatusChange.objects.get(pk=change.pk).computed_sha256() == change.row_sha256
    assert Signature.objects.get(pk=signature.pk).computed_sha256() == signature.row_sha256


def test_a_changed_status_change_is_reported(published):
    target = changes()[1]
    with as_the_owner() as cursor:
        cursor.execute(
            "UPDATE meetings_statuschange SET note = %s WHERE id = %s", ["몰래 고침", target.pk]
        )

    assert problems() == [
        f"상태 변경 #{target.pk}이(가) 바뀌었습니다: 내용이 저장된 SHA-256과 맞지 않습니다."
    ]


def test_a_changed_signature_is_reported(published):
    target = Signature.objects.order_by("pk").first()
    with as_the_owner() as cursor:
        cursor.execute(
            "UPDATE meetings_signature SET ip_address = %s WHERE id = %s", ["10.0.0.1", target.pk]
        )

    assert problems() == [
        f"서명 #{target.pk}이(가) 바뀌었습니다: 내용이 저장된 SHA-256과 맞지 않습니다."
    ]


def test_a_deleted_row_is_reported(published):
    trail = changes()
    with as_the_owner() as cursor:
        cursor.execute("DELETE FROM meetings_statuschange WHERE id = %s", [trail[2].pk])

    found = problems()
    assert f"상태 변경 #{trail[3].pk}의 앞 행이 없습니다: 그 앞의 행이 삭제되었습니다." in found
    # The meeting's own trail no longer adds up either.
    assert any(f"상태 변경 #{trail[3].pk}은(는) 서명 중에서 시작하지만" in line for line in found)


def test_a_deleted_signature_leaves_a_gap(published):
    first, second = Signature.objects.order_by("pk")
    with as_the_owner() as cursor:
        cursor.execute("DELETE FROM meetings_signature WHERE id = %s", [first.pk])

    assert f"서명 #{second.pk}의 앞 행이 없습니다: 그 앞의 행이 삭제되었습니다." in problems()


def test_reordered_rows_are_reported(published):
    first, second = Signature.objects.order_by("pk")
    with as_the_owner() as cursor:
        for old, new in [(first.pk, -1), (second.pk, first.pk), (-1, second.pk)]:
            cursor.execute("UPDATE meetings_signature SET id = %s WHERE id = %s", [new, old])

    assert problems() == [
        f"서명 #{first.pk}의 앞 행이 맞지 않습니다(있어야 할 앞 행: 사슬의 시작, "
        f"가리키는 앞 행: #{second.pk}): 행의 순서가 바뀌었거나 행이 끼워 넣어졌습니다.",
        f"서명 #{second.pk}의 앞 행이 맞지 않습니다(있어야 할 앞 행: #{first.pk}, "
        "가리키는 앞 행: 사슬의 시작): 행의 순서가 바뀌었거나 행이 끼워 넣어졌습니다.",
    ]


def forge_change(people, *, previous, row_sha256, to_status="draft"):
    with as_the_owner() as cursor:
        cursor.execute(
            "INSERT INTO meetings_statuschange "
            "(meeting_id, from_status, to_status, by_id, at, note, previous_sha256, row_sha256) "
            "VALUES (%s, 'published', %s, %s, %s, '', %s, %s)",
            [
                people.meeting.pk,
                to_status,
                people.secretary.person.user.pk,
                datetime.datetime(2024, 5, 1, tzinfo=SEOUL),
                previous,
                row_sha256,
            ],
        )
    return StatusChange.objects.order_by("pk").last()


def test_a_forged_row_is_reported(published, people):
    forged = forge_change(people, previous=changes()[-1].row_sha256, row_sha256="f" * 64)

    found = problems()
    assert (
        f"상태 변경 #{forged.pk}이(가) 바뀌었습니다: 내용이 저장된 SHA-256과 맞지 않습니다."
        in found
    )
    assert (
        "2024년 1차 교통정책위원회의 상태는 공개인데 상태 변경 이력은 작성 중(으)로 끝납니다."
        in found
    )


def test_a_forged_row_with_a_well_made_hash_still_disagrees_with_the_meeting(published, people):
    """Whoever knows the hashing can append a row the chain accepts; the meeting
    it claims to have moved says otherwise."""
    head = changes()[-1]
    forged = forge_change(people, previous=head.row_sha256, row_sha256=head.row_sha256[::-1])
    with as_the_owner() as cursor:
        cursor.execute(
            "UPDATE meetings_statuschange SET row_sha256 = %s WHERE id = %s",
            [forged.computed_sha256(), forged.pk],
        )

    assert problems() == [
        "2024년 1차 교통정책위원회의 상태는 공개인데 상태 변경 이력은 작성 중(으)로 끝납니다."
    ]


def test_a_rewritten_chain_is_caught_by_a_head_recorded_earlier(published):
    recorded = verify_trail().chains[0].head
    # The owner changes a row and rewrites every hash after it.
    with as_the_owner() as cursor:
        cursor.execute(
            "UPDATE meetings_statuschange SET note = %s WHERE id = %s", ["고침", changes()[0].pk]
        )
        previous = GENESIS
        for row in changes():
            row.previous_sha256 = previous
            previous = row.computed_sha256()
            cursor.execute(
                "UPDATE meetings_statuschange SET previous_sha256 = %s, row_sha256 = %s "
                "WHERE id = %s",
                [row.previous_sha256, previous, row.pk],
            )

    assert problems() == []
    assert problems(anchors=[recorded]) == [
        f"기록해 둔 SHA-256 {recorded}이(가) 이력에 없습니다: "
        "그때까지의 행이 다시 쓰였거나 삭제되었습니다."
    ]


def test_verify_trail_fails_with_one_line_per_problem(published):
    target = changes()[0]
    with as_the_owner() as cursor:
        cursor.execute(
            "UPDATE meetings_statuschange SET at = %s WHERE id = %s",
            [datetime.datetime(2020, 1, 1, tzinfo=SEOUL), target.pk],
        )

    output = io.StringIO()
    with pytest.raises(CommandError, match="이력에서 문제 2건을 찾았습니다."):
        call_command("verify_trail", anchor=["0" * 64], stdout=output)

    lines = output.getvalue().splitlines()
    assert lines == [
        f"FAIL  상태 변경 #{target.pk}이(가) 바뀌었습니다: 내용이 저장된 SHA-256과 맞지 않습니다.",
        f"FAIL  기록해 둔 SHA-256 {'0' * 64}이(가) 이력에 없습니다: "
        "그때까지의 행이 다시 쓰였거나 삭제되었습니다.",
    ]


def test_two_rows_after_the_same_predecessor_are_refused(published, people):
    first = changes()[0]
    fork = StatusChange(
        meeting=people.meeting,
        from_status="draft",
        to_status="in_review",
        by=people.secretary.person.user,
        previous_sha256=first.previous_sha256,
        row_sha256="a" * 64,
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        StatusChange.objects.bulk_create([fork])


def test_the_migration_links_existing_rows_exactly_as_the_models_do(published):
    """Migration 0008 hashed the rows it found; its hashes are the ones new rows get."""
    originals = {
        model: list(model.objects.order_by("pk").values_list("previous_sha256", "row_sha256"))
        for model in (StatusChange, Signature)
    }
    with as_the_owner() as cursor:
        for model in originals:
            for pk in model.objects.values_list("pk", flat=True):
                cursor.execute(
                    f"UPDATE {model._meta.db_table} SET previous_sha256 = %s, row_sha256 = %s "
                    "WHERE id = %s",
                    [f"{pk:064d}", f"{pk:064d}", pk],
                )
    assert problems() != []

    migration = importlib.import_module("meetings.migrations.0008_trail_hash_chain")
    state = MigrationLoader(connection).project_state(("meetings", "0008_trail_hash_chain"))
    migration.link_existing_rows(state.apps, SchemaEditor())

    assert problems() == []
    for model, links in originals.items():
        assert list(model.objects.order_by("pk").values_list("previous_sha256", "row_sha256")) == (
            links
        )


class SchemaEditor:
    """What link_existing_rows uses of a schema editor (SQLite's refuses to open
    inside the test's transaction)."""

    connection = connection

    def execute(self, sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)


@pytest.mark.skipif(not POSTGRES, reason="SQLite writes one transaction at a time anyway")
@pytest.mark.django_db(transaction=True)
def test_concurrent_inserts_wait_for_the_chain(world):
    """The second insert waits for the first transaction to commit, then follows its row."""
    user = world.secretary.person.user
    first_inserted, first_may_commit = threading.Event(), threading.Event()

    def add_change(note):
        return StatusChange.objects.create(
            meeting=world.meeting, from_status="draft", to_status="draft", by=user, note=note
        )

    def first():
        try:
            with transaction.atomic():
                add_change("첫째")
                first_inserted.set()
                first_may_commit.wait(10)
        finally:
            connection.close()

    def second():
        try:
            add_change("둘째")
        finally:
            connection.close()

    one = threading.Thread(target=first)
    one.start()
    assert first_inserted.wait(10)
    two = threading.Thread(target=second)
    two.start()
    two.join(0.5)
    assert two.is_alive(), "the second insert should wait for the first to commit"
    first_may_commit.set()
    one.join(10)
    two.join(10)

    rows = changes()
    assert [row.note for row in rows] == ["첫째", "둘째"]
    assert rows[1].previous_sha256 == rows[0].row_sha256
    assert walk_chain(StatusChange)[1] == []


def test_an_anchor_must_be_a_sha256(db):
    with pytest.raises(CommandError, match=r"'zz'은\(는\) SHA-256\(16진수 64자리\)이 아닙니다."):
        call_command("verify_trail", anchor=["zz"])
