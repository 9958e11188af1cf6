"""Account pages: changing and resetting a password, and the email settings."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpRequest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]
NEW_PASSWORD = "bus-route-2024-plan"


@pytest.fixture
def member_a(world):
    return world.member_a.person.user


def test_password_change_works(client, member_a):
    client.force_login(member_a)

    page = client.get(reverse("password_change"))
    response = client.post(
        reverse("password_change"),
        {"old_password": "pw", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert page.status_code == 200
    assert 'name="old_password"' in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    member_a.refresh_from_db()
    assert member_a.check_password(NEW_PASSWORD)
    # The session survives the change (update_session_auth_hash).
    assert client.get(reverse("password_change_done")).status_code == 200


def test_a_wrong_old_password_is_refused_in_korean(client, member_a):
    client.force_login(member_a)

    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "기존 비밀번호를 잘못 입력하셨습니다" in response.content.decode()
    member_a.refresh_from_db()
    assert member_a.check_password("pw")


def test_password_change_needs_a_login(client, db):
    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_navbar_links_to_tasks_and_password_change(client, member_a):
    client.force_login(member_a)

    page = client.get(reverse("meetings:list")).content.decode()

    assert f'href="{reverse("meetings:tasks")}"' in page
    assert f'href="{reverse("password_change")}"' in page


def test_password_reset_mails_a_link_that_sets_a_new_password(client, member_a, mailoutbox):
    member_a.email = "garam@example.kr"
    member_a.save()

    assert client.get(reverse("password_reset")).status_code == 200
    response = client.post(reverse("password_reset"), {"email": "garam@example.kr"})

    assert response["Location"] == reverse("password_reset_done")
    assert client.get(reverse("password_reset_done")).status_code == 200
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["garam@example.kr"]
    assert "\n" not in mail.subject
    assert "member_a" in mail.body
    link = re.search(r"https?://testserver(/accounts/reset/\S+/)", mail.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert 'name="new_password1"' in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert done["Location"] == reverse("password_reset_complete")
    assert client.get(reverse("password_reset_complete")).status_code == 200
    member_a.refresh_from_db()
    assert member_a.check_password(NEW_PASSWORD)
    client.logout()
    assert client.login(request=HttpRequest(), username="member_a", password=NEW_PASSWORD)
    # The link works once.
    again = client.get(link, follow=True)
    assert 'name="new_password1"' not in again.content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing(client, db, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.kr"})

    assert response["Location"] == reverse("password_reset_done")
    assert mailoutbox == []


def load_email_settings(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from minutes_site import settings as s;"
            "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS,"
            " s.DEFAULT_FROM_EMAIL)",
        ],
        cwd=ROOT,
        env={**clean, "DJANGO_SECRET_KEY": "k", **env},
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("port", ["smtp", "-1", "70000", "1_000", ""])
def test_a_bad_email_port_names_the_variable(port):
    result = load_email_settings(DJANGO_EMAIL_PORT=port)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_EMAIL_PORT" in result.stderr


def test_email_goes_to_the_console_by_default_and_smtp_by_settings():
    default = load_email_settings()
    smtp = load_email_settings(
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        DJANGO_EMAIL_HOST="mail.example.kr",
        DJANGO_EMAIL_PORT="587",
        DJANGO_EMAIL_USE_TLS="yes",
        DJANGO_DEFAULT_FROM_EMAIL="minutes@example.kr",
    )

    assert default.returncode == 0, default.stderr
    assert default.stdout.split() == [
        "django.core.mail.backends.console.EmailBackend",
        "localhost",
        "25",
        "False",
        "minutes@localhost",
    ]
    assert smtp.returncode == 0, smtp.stderr
    assert smtp.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "mail.example.kr",
        "587",
        "True",
        "minutes@example.kr",
    ]
