"""Hostile input to the management commands: files and places that cannot be
read or written, and values no meeting has.

Each command stops with one clean line (a CommandError, no traceback) and
saves nothing, or, for a stray control character in an imported document,
imports the text without it.
"""

import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError

from agenda.models import Statement
from committees.models import Committee, Person
from meetings.models import Meeting

from .hostile import (
    CONTROL_CHARACTERS,
    command_refused,
    contains,
    snapshot,
)
from .test_import import TRANSCRIPT, run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def bigdata(db):
    return Committee.objects.create(
        name="빅데이터심의위원회",
        slug="bigdata",
        organisation="디지털정책관",
        department="빅데이터담당관",
    )


def counts():
    return (Meeting.objects.count(), Person.objects.count(), Statement.objects.count())


# --- import_minutes --------------------------------------------------------------------


def test_the_transcript_imports(bigdata, tmp_path):
    """The starting point of the import cases."""
    path = tmp_path / "minutes.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")

    run_import(path, "--committee", "bigdata")

    assert Meeting.objects.count() == 1


@pytest.mark.parametrize("character", CONTROL_CHARACTERS)
def test_an_import_with_control_characters_is_refused_or_imported_without_them(
    bigdata, tmp_path, character
):
    path = tmp_path / "minutes.txt"
    path.write_text(
        TRANSCRIPT.replace("질의하겠습니다.", f"질의{character}하겠습니다.").replace(
            "본청 대회의실", f"본청{character}대회의실"
        ),
        encoding="utf-8",
    )
    before = counts()

    try:
        run_import(path, "--committee", "bigdata")
    except CommandError:
        assert counts() == before
        return
    meeting = Meeting.objects.get()
    assert not contains(snapshot(meeting), [character]), f"imported with {character!r}"


@pytest.mark.parametrize(
    "when",
    [
        pytest.param("0001. 6. 5.(목) 10:00~11:30", id="year-1"),
        pytest.param("9999. 12. 31.(금) 10:00~11:30", id="year-9999"),
        pytest.param("1947. 6. 5.(목) 10:00~11:30", id="year-1947"),
        pytest.param("2025. 2. 30.(목) 10:00~11:30", id="february-30"),
        pytest.param("2025. 6. 5.(목) 25:00~26:30", id="hour-25"),
        pytest.param("2025. 6. 5.(목) 11:30~10:00", id="ends-before-it-starts"),
    ],
)
def test_an_import_with_an_impossible_date_makes_a_draft_with_a_check(bigdata, tmp_path, when):
    """Never refused for what it lacks: a placeholder, and a point to check before review."""
    path = tmp_path / "minutes.txt"
    path.write_text(TRANSCRIPT.replace("2025. 6. 5.(목) 10:00~11:30", when), encoding="utf-8")

    run_import(path, "--committee", "bigdata")

    meeting = Meeting.objects.get()
    assert 1948 <= meeting.year <= 2100
    assert meeting.ends_at > meeting.starts_at
    assert meeting.checks.filter(topic__in=["day", "starts", "ends", "year"]).exists()


@pytest.mark.parametrize(
    "kind", ["directory", "missing", "binary", "png", "utf16-without-bom", "empty", "nul-only"]
)
def test_an_import_of_something_that_is_not_minutes_is_refused(bigdata, tmp_path, kind):
    path = tmp_path / "minutes.txt"
    if kind == "directory":
        path.mkdir()
    elif kind == "binary":
        path.write_bytes(bytes(range(256)) * 40)
    elif kind == "png":
        from .conftest import signature_png

        path.write_bytes(signature_png())
    elif kind == "utf16-without-bom":  # with its byte-order mark it is read (test_upload.py)
        path.write_text(TRANSCRIPT, encoding="utf-16-le")
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "nul-only":
        path.write_bytes(b"\x00" * 1000)
    before = counts()

    command_refused("import_minutes", str(path), "--committee", "bigdata")

    assert counts() == before


@pytest.mark.parametrize(
    "slug",
    [
        pytest.param("big\x00data", id="nul"),
        pytest.param("\x1b[2J", id="escape"),
        pytest.param("가" * 1000, id="long"),
    ],
)
def test_an_import_into_a_committee_that_cannot_exist_is_refused(bigdata, tmp_path, slug):
    path = tmp_path / "minutes.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")

    command_refused("import_minutes", str(path), "--committee", slug)

    assert not Meeting.objects.exists()


# --- render_minutes -------------------------------------------------------------------


@pytest.mark.parametrize("where", ["directory", "/proc/x.pdf", "missing-folder", "nul"])
def test_render_minutes_refuses_a_place_it_cannot_write(world, tmp_path, where):
    output = {
        "directory": str(tmp_path),
        "/proc/x.pdf": "/proc/x.pdf",
        "missing-folder": str(tmp_path / "no" / "such" / "x.pdf"),
        "nul": str(tmp_path / "x\x00.pdf"),
    }[where]

    command_refused("render_minutes", str(world.meeting.pk), "--output", output)


@pytest.mark.parametrize(
    "meeting",
    [
        pytest.param("99999999999999999999", id="huge-id"),
        pytest.param("-1", id="negative-id"),
        pytest.param("²", id="superscript-two"),
        pytest.param("\x00", id="nul"),
        pytest.param("traffic-9999999999-1", id="huge-year"),
        pytest.param("", id="empty"),
    ],
)
def test_render_minutes_refuses_a_meeting_that_cannot_exist(world, tmp_path, meeting):
    command_refused("render_minutes", meeting, "--output", str(tmp_path / "x.pdf"))

    assert not (tmp_path / "x.pdf").exists()


# --- verify_minutes, export_archive, verify_archive ------------------------------------


@pytest.mark.parametrize(
    "content", [b"", b"garbage", b"%PDF-1.7\n" + b"[" * 100_000, b"\x00" * 10_000]
)
def test_verify_minutes_on_garbage_is_a_clean_failure(world, tmp_path, content):
    path = tmp_path / "minutes.pdf"
    path.write_bytes(content)

    command_refused("verify_minutes", str(path))


@pytest.mark.parametrize("where", ["directory", "nul"])
def test_verify_minutes_refuses_what_it_cannot_read(world, tmp_path, where):
    path = str(tmp_path) if where == "directory" else str(tmp_path / "x\x00.pdf")

    command_refused("verify_minutes", path)


@pytest.mark.parametrize(
    "where", ["directory", "/proc/x.zip", "/dev/full", "missing-folder", "nul"]
)
def test_export_archive_refuses_a_place_it_cannot_write(world, tmp_path, where):
    output = {
        "directory": str(tmp_path),
        "/proc/x.zip": "/proc/x.zip",
        "/dev/full": "/dev/full",
        "missing-folder": str(tmp_path / "no" / "x.zip"),
        "nul": str(tmp_path / "x\x00.zip"),
    }[where]

    command_refused(
        "export_archive", "--committee", "traffic", "--year", "2024", "--output", output
    )


@pytest.mark.parametrize(
    "slug, year", [("traffic\x00", "2024"), ("traffic", "99999999999999999999")]
)
def test_export_archive_refuses_impossible_values(world, tmp_path, slug, year):
    output = tmp_path / "x.zip"

    command_refused("export_archive", "--committee", slug, "--year", year, "--output", str(output))

    assert not output.exists()


def zip_bytes(tmp_path, members):
    path = tmp_path / "made.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path.read_bytes()


@pytest.mark.parametrize(
    "kind", ["garbage", "empty", "truncated", "no-manifest", "bad-manifest", "traversal", "dir"]
)
def test_verify_archive_on_garbage_is_a_clean_failure(world, tmp_path, kind):
    path = tmp_path / "archive.zip"
    if kind == "garbage":
        path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 10)
    elif kind == "empty":
        path.write_bytes(zip_bytes(tmp_path, {}))
    elif kind == "truncated":
        whole = zip_bytes(tmp_path, {"manifest.json": "[]", "a.pdf": "x" * 5000})
        path.write_bytes(whole[: len(whole) // 2])
    elif kind == "no-manifest":
        path.write_bytes(zip_bytes(tmp_path, {"a.pdf": "%PDF-1.7"}))
    elif kind == "bad-manifest":
        path.write_bytes(
            zip_bytes(tmp_path, {"manifest.json": "[" * 5000, "manifest.csv": "\x00,\x00"})
        )
    elif kind == "traversal":
        path.write_bytes(
            zip_bytes(tmp_path, {"../../etc/passwd": "x", "manifest.json": '{"files": 1}'})
        )
    elif kind == "dir":
        path = tmp_path

    command_refused("verify_archive", str(path))


# --- the other commands -----------------------------------------------------------------


@pytest.mark.parametrize("where", ["directory", "/proc/demo.p12", "nul"])
def test_create_demo_seal_refuses_a_place_it_cannot_write(tmp_path, where):
    target = {
        "directory": str(tmp_path),
        "/proc/demo.p12": "/proc/demo.p12",
        "nul": str(tmp_path / "demo\x00.p12"),
    }[where]

    command_refused("create_demo_seal", "--output", target)


def test_send_reminders_refuses_an_impossible_number_of_hours(people):
    from .test_workflow import reviewed

    reviewed(people)
    user = get_user_model().objects.get(username="member_a")
    user.email = "member@example.com"
    user.save()

    command_refused("send_reminders", "--hours", "99999999999", "--dry-run")


@pytest.mark.parametrize(
    "anchor",
    [
        pytest.param("\x00", id="nul"),
        pytest.param("zz", id="not-hex"),
        pytest.param("a" * 10_000, id="long"),
    ],
)
def test_verify_trail_refuses_an_anchor_that_is_no_hash(world, anchor):
    command_refused("verify_trail", "--anchor", anchor)


@pytest.mark.parametrize(
    "role",
    [
        pytest.param("\x00", id="nul"),
        pytest.param('app"; DROP TABLE meetings_meeting; --', id="quote"),
        pytest.param("no_such_role_h4", id="unknown"),
        pytest.param("x" * 1000, id="long"),
    ],
)
def test_grant_app_role_refuses_a_role_that_cannot_be(world, role):
    before = snapshot(world.meeting)

    command_refused("grant_app_role", role)

    assert snapshot(world.meeting) == before
