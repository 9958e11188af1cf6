"""manage.py import_minutes FILE: the upload page's path from the command line.

TXT, PDF, HWPX and HWP files are read by the same extract_text(); --dry-run
is the page's preview (nothing saved); --year, --sequence, --date, --starts,
--ends and --place win over the document like the preview's form.
"""

import datetime
import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from django.utils.translation import gettext

from meetings.models import Meeting

from .hostile import command_refused
from .test_upload import TRANSCRIPT, needs_reference, reference_pdf, transcript_hwpx

pytestmark = pytest.mark.django_db


def run(path, *args):
    out = io.StringIO()
    call_command("import_minutes", str(path), "--committee", "traffic", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    "name, make",
    [
        ("회의록.txt", lambda: TRANSCRIPT.encode("cp949")),
        ("회의록.hwpx", transcript_hwpx),
        ("회의록.hwp", lambda: transcript_hwpx(hwp=True)),
    ],
)
def test_every_kind_of_file_imports_from_the_command(world, tmp_path, name, make):
    path = tmp_path / name
    path.write_bytes(make())

    output = run(path)

    meeting = Meeting.objects.get(committee=world.committee, year=2031)
    assert meeting.speaker_blocks.count() == 3
    assert f"/meetings/{meeting.pk}/edit/" in output


@needs_reference
def test_a_pdf_printed_by_our_renderer_imports_completely(world, tmp_path):
    path = tmp_path / "minutes.pdf"
    path.write_bytes(reference_pdf())

    output = run(path)

    meeting = Meeting.objects.exclude(pk=world.meeting.pk).get(committee=world.committee)
    assert meeting.speaker_blocks.exclude(speaker_kind__in=["direction", "heading"]).count() == 57
    assert "PDF" in output


def test_a_dry_run_reports_and_saves_nothing(world, tmp_path):
    path = tmp_path / "회의록.hwpx"
    path.write_bytes(transcript_hwpx())
    before = Meeting.objects.count()

    output = run(path, "--dry-run")

    assert Meeting.objects.count() == before
    with translation.override(settings.LANGUAGE_CODE):  # commands speak the site's language
        dry_run = gettext("Dry run: nothing was saved.")
    assert output.rstrip().endswith(dry_run)


def test_the_flags_win_over_the_document(world, tmp_path):
    path = tmp_path / "회의록.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")

    run(
        path,
        "--year",
        "2032",
        "--sequence",
        "9",
        "--date",
        "2032-05-06",
        "--starts",
        "09:30",
        "--ends",
        "11:00",
        "--place",
        "시청 대회의실",
    )

    meeting = Meeting.objects.get(committee=world.committee, year=2032)
    starts = timezone.localtime(meeting.starts_at)
    assert (meeting.sequence, meeting.place) == (9, "시청 대회의실")
    assert (starts.date(), starts.time()) == (datetime.date(2032, 5, 6), datetime.time(9, 30))
    assert timezone.localtime(meeting.ends_at).time() == datetime.time(11, 0)


@pytest.mark.parametrize(
    "flag, value",
    [
        ("--year", "1900"),
        ("--sequence", "0"),
        ("--date", "2031-02-30"),
        ("--date", "0001-01-01"),
        ("--starts", "25:00"),
        ("--place", "시청\x00회의실"),
        ("--place", "가" * 201),
    ],
)
def test_an_impossible_flag_is_refused_before_anything_is_read(world, tmp_path, flag, value):
    path = tmp_path / "회의록.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    before = Meeting.objects.count()

    command_refused("import_minutes", str(path), "--committee", "traffic", flag, value)

    assert Meeting.objects.count() == before


@pytest.mark.parametrize(
    "name, data",
    [
        ("회의록.pdf", b"%PDF-1.7\n1 0 obj"),
        ("회의록.txt", b"MZ\x90\x00" + bytes(range(256)) * 4),
        ("회의록.pdf", TRANSCRIPT.encode()),
    ],
)
def test_an_unreadable_file_is_one_clear_line(world, tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)

    error = command_refused("import_minutes", str(path), "--committee", "traffic")

    assert name in str(error)
    assert not Meeting.objects.filter(year=2031).exists()


def test_a_file_over_the_limit_is_refused(world, tmp_path, settings):  # noqa: F811
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    path = tmp_path / "회의록.txt"
    path.write_bytes(b"a" * (1024 * 1024 + 1))

    with pytest.raises(CommandError, match="MB"):
        run(path)
