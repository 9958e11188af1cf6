"""A backup restores into a fresh database that proves the same record.

The procedure of the README's production section: pg_dump -Fc, pg_restore into
a new database, migrate has nothing to do, verify_trail passes with the same
heads, and every stored signed file there is byte for byte the one that was
sealed, recognised and with an intact seal (verify_minutes --all, and
verify_minutes on each file as a reader would have it).
"""

import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from meetings.models import SealedFile
from meetings.services import publish
from meetings.trail import verify_trail

from .test_signing import sign_both
from .test_trail import as_the_owner
from .test_workflow import confirmed

ROOT = Path(__file__).resolve().parents[1]
PG_DUMP, PG_RESTORE = "/usr/bin/pg_dump", "/usr/bin/pg_restore"

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_dump and pg_restore back up PostgreSQL; SQLite is a file (CI runs both)",
)


def server_options():
    settings = connection.settings_dict
    options = [f"--username={settings['USER']}"]
    if settings["HOST"]:
        options.append(f"--host={settings['HOST']}")
    if settings["PORT"]:
        options.append(f"--port={settings['PORT']}")
    return options


def server_env():
    return {**os.environ, "PGPASSWORD": connection.settings_dict["PASSWORD"] or ""}


def database_url(name):
    settings = connection.settings_dict
    login = quote(settings["USER"], safe="")
    if settings["PASSWORD"]:
        login += ":" + quote(settings["PASSWORD"], safe="")
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{login}@{settings['HOST'] or 'localhost'}{port}/{name}"


# The operator's checks after a restore, in one process (each start takes seconds).
CHECKS = """
import sys

import django
from django.core.management import call_command

django.setup()
call_command("migrate", "--check")
call_command("verify_trail")
call_command("verify_minutes", "--all")
for path in sys.argv[1:]:
    call_command("verify_minutes", path)
"""


def check_restored(database, pdfs):
    """migrate --check, verify_trail, verify_minutes --all and on each of ``pdfs``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "-c", CHECKS, *map(str, pdfs)],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "minutes_site.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "test-only-not-secret",
            "DATABASE_URL": database_url(database),
        },
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def fresh_database(transactional_db):
    """An empty database next to the test database, dropped afterwards."""
    name = connection.settings_dict["NAME"] + "_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def stored_files(database):
    settings = connection.settings_dict
    with psycopg2.connect(
        dbname=database,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
    ) as restored:
        with restored.cursor() as cursor:
            cursor.execute("SELECT kind, sha256, pdf FROM meetings_sealedfile ORDER BY kind")
            rows = [(kind, sha256, bytes(pdf)) for kind, sha256, pdf in cursor.fetchall()]
    restored.close()
    return rows


@postgresql_only
@pytest.mark.skipif(not Path(PG_DUMP).exists() and not os.environ.get("CI"), reason=f"no {PG_DUMP}")
# pg_dump reads from its own connection: the data must be committed.
@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_proves_the_same_signed_record(people, fresh_database, tmp_path):
    sign_both(confirmed(people), people)
    publish(people.meeting, by=people.secretary.person.user)
    sealed = dict(SealedFile.objects.values_list("kind", "sha256"))
    heads = [chain.head for chain in verify_trail().chains]
    backup = tmp_path / "minutes.dump"

    subprocess.run(
        [
            PG_DUMP,
            "--format=custom",
            f"--file={backup}",
            *server_options(),
            connection.settings_dict["NAME"],
        ],
        env=server_env(),
        check=True,
    )
    subprocess.run(
        [
            PG_RESTORE,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            f"--dbname={fresh_database}",
            *server_options(),
            str(backup),
        ],
        env=server_env(),
        check=True,
    )

    files = stored_files(fresh_database)
    assert {kind: sha256 for kind, sha256, _pdf in files} == sealed
    pdfs = []
    for kind, sha256, pdf in files:
        assert hashlib.sha256(pdf).hexdigest() == sha256
        pdfs.append(tmp_path / f"{kind}.pdf")
        pdfs[-1].write_bytes(pdf)
    checked = check_restored(fresh_database, pdfs)

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert all(head in checked.stdout for head in heads)
    assert "이력이 온전합니다." in checked.stdout
    assert checked.stdout.count("FAIL") == 0
    assert "저장된 파일 3개가 모든 확인을 통과했습니다." in checked.stdout
    assert checked.stdout.count("파일이 모든 확인을 통과했습니다.") == len(sealed) == 3


# --- verify_minutes --all: every stored file, on any database -------------------------


@pytest.fixture
def sealed(people):
    return sign_both(confirmed(people), people)


def test_verify_minutes_all_checks_every_stored_file(sealed):
    output = io.StringIO()
    call_command("verify_minutes", "--all", stdout=output)

    lines = output.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines[:3]] == [
        f"PASS  traffic-2024-1-v1-{kind}.pdf"
        for kind in ["internal-pdfa3b", "internal-pdfa1b", "public-pdfa3b"]
    ]
    assert "SHA-256이 등록된 값과 같습니다." in lines[0]
    assert lines[-1] == "저장된 파일 3개가 모든 확인을 통과했습니다."


def test_verify_minutes_all_reports_a_changed_stored_file(sealed):
    changed = sealed.files.get(kind="public-pdfa3b")
    with as_the_owner(["meetings_sealedfile"]) as cursor:
        cursor.execute(
            "UPDATE meetings_sealedfile SET pdf = %s WHERE id = %s",
            [bytes(changed.pdf) + b"%%EOF\n", changed.pk],
        )
    output = io.StringIO()

    with pytest.raises(
        CommandError, match="저장된 파일 3개 중 1개가 확인을 모두 통과하지 못했습니다."
    ):
        call_command("verify_minutes", "--all", stdout=output)

    failed = [line for line in output.getvalue().splitlines() if line.startswith("FAIL")]
    assert len(failed) == 1
    assert failed[0].startswith(
        "FAIL  traffic-2024-1-v1-public-pdfa3b.pdf: 저장된 파일의 SHA-256은"
    )


def test_verify_minutes_wants_a_file_or_all(db):
    for arguments in [(), ("x.pdf", "--all")]:
        with pytest.raises(CommandError, match="PDF 파일이나 --all 중 하나를 주세요."):
            call_command("verify_minutes", *arguments)
