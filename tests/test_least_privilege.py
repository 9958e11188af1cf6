"""The app connects as a role that owns nothing: it does the app's work, and no more.

grant_app_role (run by the tables' owner) gives it read and write on the
ordinary tables and only read and insert on the frozen record, so neither a
bug nor a stolen app password can truncate the trail, switch off its
triggers, drop or create a table, or change a signed row.
"""

import secrets
from contextlib import contextmanager

import psycopg2
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from meetings.models import Meeting, StatusChange
from meetings.services import publish
from meetings.trail import verify_trail

from .test_signing import sign_both
from .test_workflow import confirmed

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="roles and grants are PostgreSQL's; SQLite has neither (CI runs both)",
)
FROZEN_TABLES = [
    "meetings_minutesversion",
    "meetings_signature",
    "meetings_signeddocument",
    "meetings_sealedfile",
    "meetings_statuschange",
]
INSUFFICIENT_PRIVILEGE = "42501"


@pytest.fixture
def app_role(transactional_db):
    """A fresh login role (role names are shared by the whole server: a unique one)."""
    name = f"minutes_test_app_{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(16)
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{name}" LOGIN PASSWORD %s', [password])
    yield name, password
    connection.close()  # in case a test left the connection as the role
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{name}"')
        cursor.execute(f'DROP ROLE "{name}"')


@pytest.fixture
def app(app_role):
    """A psycopg2 connection as the app's role, after grant_app_role."""
    name, password = app_role
    call_command("grant_app_role", name)
    settings = connection.settings_dict
    app = psycopg2.connect(
        dbname=settings["NAME"],
        user=name,
        password=password,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
    )
    app.autocommit = True
    yield app
    app.close()


def refusal(app, sql, params=()):
    """The SQLSTATE ``sql`` fails with as the app's role, or None when it succeeds."""
    with app.cursor() as cursor:
        try:
            cursor.execute(sql, params)
        except psycopg2.Error as error:
            return error.pgcode
    return None


@contextmanager
def connected_as(name, password):
    """Django's own connection logs in as ``name`` for the block, then as before."""
    settings = connection.settings_dict
    before = settings["USER"], settings["PASSWORD"]
    connection.close()
    settings["USER"], settings["PASSWORD"] = name, password
    try:
        yield
    finally:
        connection.close()
        settings["USER"], settings["PASSWORD"] = before


@postgresql_only
def test_the_app_role_does_the_apps_work(people, app):
    meeting = people.meeting
    user = people.secretary.person.user

    work = [
        ("SELECT count(*) FROM meetings_meeting", []),
        ("UPDATE meetings_meeting SET place = %s WHERE id = %s", ["별관 회의실", meeting.pk]),
        (
            "INSERT INTO meetings_statuschange (meeting_id, from_status, to_status, by_id, at, "
            "note, previous_sha256, row_sha256) VALUES (%s, 'draft', 'draft', %s, now(), '', "
            "%s, %s)",
            [meeting.pk, user.pk, "1" * 64, "2" * 64],
        ),
        ("SELECT note FROM meetings_statuschange", []),
        (
            "INSERT INTO django_session (session_key, session_data, expire_date) "
            "VALUES ('k', 'd', now())",
            [],
        ),
        ("DELETE FROM django_session WHERE session_key = 'k'", []),
        ("SELECT pg_advisory_xact_lock(1)", []),
    ]

    assert {sql: refusal(app, sql, params) for sql, params in work} == {
        sql: None for sql, _params in work
    }
    assert StatusChange.objects.count() == 1


@postgresql_only
def test_the_app_role_cannot_touch_the_record_or_the_schema(people, app):
    attacks = [
        "TRUNCATE meetings_statuschange CASCADE",
        "TRUNCATE meetings_meeting CASCADE",
        "ALTER TABLE meetings_signature DISABLE TRIGGER ALL",
        "ALTER TABLE meetings_statuschange DISABLE TRIGGER meetings_statuschange_frozen",
        "DROP TABLE meetings_statuschange",
        "CREATE TABLE minutes_intruder (id integer)",
        "DELETE FROM django_migrations",
        *[f"UPDATE {table} SET id = id" for table in FROZEN_TABLES],
        *[f"DELETE FROM {table}" for table in FROZEN_TABLES],
    ]

    assert {sql: refusal(app, sql) for sql in attacks} == {
        sql: INSUFFICIENT_PRIVILEGE for sql in attacks
    }


@postgresql_only
def test_the_whole_workflow_runs_as_the_app_role(people, app_role):
    """Review, confirmation, both signatures with sealing, publication: the app
    never needs to update or delete a frozen row."""
    name, password = app_role
    call_command("grant_app_role", name)

    with connected_as(name, password):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == name
        sign_both(confirmed(people), people)
        publish(people.meeting, by=people.secretary.person.user)
        assert verify_trail().problems == []

    assert Meeting.objects.get(pk=people.meeting.pk).status == "published"


@postgresql_only
def test_granting_again_changes_nothing_and_later_tables_are_the_apps(people, app):
    name = app.info.user

    def privileges():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT table_name, privilege_type FROM information_schema.role_table_grants "
                "WHERE grantee = %s ORDER BY 1, 2",
                [name],
            )
            return cursor.fetchall()

    before = privileges()
    call_command("grant_app_role", name)
    assert privileges() == before
    assert ("meetings_statuschange", "INSERT") in before
    assert ("meetings_statuschange", "UPDATE") not in before

    # A table a later migration adds (another app's, say) is the app's at once.
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE minutes_later (id serial PRIMARY KEY, note text)")
    try:
        assert refusal(app, "INSERT INTO minutes_later (note) VALUES ('x')") is None
        assert refusal(app, "UPDATE minutes_later SET note = 'y'") is None
        assert refusal(app, "DROP TABLE minutes_later") == INSUFFICIENT_PRIVILEGE
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE minutes_later")


@postgresql_only
def test_it_refuses_an_unknown_role_the_owner_and_a_superuser(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]

    with pytest.raises(CommandError, match="역할이 없습니다"):
        call_command("grant_app_role", "no_such_role_for_minutes")
    with pytest.raises(CommandError, match="슈퍼유저입니다"):
        call_command("grant_app_role", owner)


@postgresql_only
def test_it_refuses_the_tables_owner(app_role):
    name, _password = app_role
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        cursor.execute(f'GRANT "{cursor.fetchone()[0]}" TO "{name}"')

    with pytest.raises(CommandError, match="아무것도 소유하지 않은 역할"):
        call_command("grant_app_role", name)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal is SQLite's")
def test_it_refuses_on_sqlite(db):
    with pytest.raises(CommandError, match="PostgreSQL에서만"):
        call_command("grant_app_role", "minutes_app")


@postgresql_only
def test_it_must_be_run_by_the_tables_owner(app_role):
    name, password = app_role

    with connected_as(name, password), pytest.raises(CommandError, match="테이블 소유자"):
        call_command("grant_app_role", name)
