"""Settings come from the environment and refuse what they cannot understand."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def load_settings(**env):
    """Import the settings in a fresh interpreter with exactly ``env`` set."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from minutes_site import settings as s;"
            "print(s.DEBUG, s.ALLOWED_HOSTS, s.DATABASES['default']['ENGINE'], s.LANGUAGE_CODE,"
            " s.TIME_ZONE)",
        ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )
    return result


def test_production_refuses_to_start_without_a_secret_key():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    result = subprocess.run(
        [sys.executable, "-c", "import minutes_site.wsgi"],
        cwd=ROOT,
        env={**clean, "DJANGO_DEBUG": "false"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_management_commands_that_sign_nothing_run_without_a_key():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_a_bad_boolean_names_the_variable():
    result = load_settings(DJANGO_DEBUG="maybe", DJANGO_SECRET_KEY="k")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be one of" in result.stderr


def test_a_bad_database_url_names_the_variable():
    result = load_settings(DJANGO_SECRET_KEY="k", DATABASE_URL="nonsense://")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


@pytest.mark.parametrize(
    "env, expected",
    [
        ({"DJANGO_SECRET_KEY": "k"}, "False [] django.db.backends.sqlite3 ko Asia/Seoul"),
        ({"DJANGO_DEBUG": "yes"}, "True ['127.0.0.1', 'localhost'] django.db.backends.sqlite3"),
        (
            {
                "DJANGO_SECRET_KEY": "k",
                "DJANGO_ALLOWED_HOSTS": "minutes.example.kr, a.kr",
                "DATABASE_URL": "postgres://u@db:5432/minutes",
            },
            "False ['minutes.example.kr', 'a.kr'] django.db.backends.postgresql ko",
        ),
    ],
)
def test_environment_is_parsed(env, expected):
    result = load_settings(**env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(expected)
