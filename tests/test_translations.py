"""Korean first, English available: every message has a Korean translation."""

import html
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.urls import reverse

PO = Path(__file__).resolve().parents[1] / "locale" / "ko" / "LC_MESSAGES" / "django.po"


def test_every_message_is_translated_to_korean():
    catalog = polib.pofile(str(PO))
    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []


def test_the_catalog_covers_every_message_in_the_code(tmp_path):
    """makemessages would add nothing: no string was left out of the catalog."""
    before = {(e.msgctxt, e.msgid) for e in polib.pofile(str(PO)) if not e.obsolete}
    root = PO.parents[3]
    workdir = tmp_path / "src"
    shutil.copytree(
        root,
        workdir,
        ignore=shutil.ignore_patterns(".venv", ".git", "*.mo", "db.sqlite3", "node_modules"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ko", "--ignore=tests", "-v0"],
        cwd=workdir,
        check=True,
        env={"DJANGO_DEBUG": "1", "PATH": "/usr/bin:/bin"},
    )
    after = {
        (e.msgctxt, e.msgid)
        for e in polib.pofile(str(workdir / "locale" / "ko" / "LC_MESSAGES" / "django.po"))
        if not e.obsolete
    }
    assert after - before == set()


@pytest.mark.django_db
def test_english_is_available(client, world):
    client.force_login(world.secretary.person.user)
    client.post(reverse("set_language"), {"language": "en"})

    page = html.unescape(client.get(world.meeting.get_absolute_url()).content.decode())

    assert "Meeting overview" in page
    assert "Members present : 3" in page
    assert "'24. 4. 18.(Thu) 15:00~17:00" in page


@pytest.mark.django_db
def test_korean_is_the_default_whatever_the_browser_asks(client, world):
    client.force_login(world.secretary.person.user)

    response = client.get(world.meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en-US,en")

    assert response["Content-Language"] == "ko"
    assert "회의개요" in response.content.decode()
