"""Hardening: password guessing is throttled, the client's address cannot be forged,
production settings pass Django's deploy check, every page carries a strict
Content-Security-Policy, and nothing with real names is kept in a browser's cache."""

import datetime
import html
import io
import ipaddress
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from meetings.models import Signature
from minutes_site.client_ip import client_ip

from .test_sign_page import signing_data
from .test_signing import sign_both
from .test_workflow import confirmed

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery"
LOCKED = "비밀번호가 여러 번 틀렸습니다"


def limit():
    """The real limit, as configured (MINUTES_LOGIN_FAILURES, 5 unless set)."""
    return django_settings.AXES_FAILURE_LIMIT


def text(response):
    return " ".join(html.unescape(response.content.decode()).split())


def log_in(client, username, password, *, address="192.0.2.10", url=None, **headers):
    data = {"username": username, "password": password}
    return client.post(url or reverse("login"), data, REMOTE_ADDR=address, **headers)


def is_logged_in(client):
    return "_auth_user_id" in client.session


def travel(monkeypatch, delta):
    """Axes takes the time of each attempt from timezone.now(): move it by ``delta``."""
    later = timezone.now() + delta
    monkeypatch.setattr("axes.handlers.proxy.now", lambda: later)


@pytest.fixture
def garam(django_user_model):
    return django_user_model.objects.create_user("garam", password=PASSWORD)


@pytest.fixture
def haneul(django_user_model):
    return django_user_model.objects.create_user("haneul", password=PASSWORD)


def lock_account(client, username, *, address="192.0.2.10"):
    """Exactly the limit of wrong passwords: the last one locks."""
    for _attempt in range(limit()):
        response = log_in(client, username, "wrong", address=address)
    return response


# --- throttling: the login page -------------------------------------------------


def test_wrong_passwords_below_the_limit_are_only_refused(client, garam):
    for _attempt in range(limit() - 1):
        response = log_in(client, "garam", "wrong")
        assert response.status_code == 200
        assert "올바른 사용자 이름와/과 비밀번호를 입력하십시오" in text(response)

    assert log_in(client, "garam", PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_after_the_limit_even_the_right_password_is_refused(client, garam):
    locking = lock_account(client, "garam")

    assert locking.status_code == 429
    page = text(locking)
    assert LOCKED in page and "15분 동안" in page
    assert "위원회 회의록" in page  # the site's layout (navbar), not a bare message
    assert "private" in locking["Cache-Control"] and "no-store" in locking["Cache-Control"]

    right = log_in(client, "garam", PASSWORD)
    assert right.status_code == 429 and LOCKED in text(right)
    assert not is_logged_in(client)


def test_the_lock_lasts_the_cool_down_and_then_lifts(client, garam, monkeypatch):
    lock_account(client, "garam")
    cool_down = django_settings.AXES_COOLOFF_TIME
    assert cool_down == datetime.timedelta(minutes=15)

    travel(monkeypatch, cool_down - datetime.timedelta(minutes=1))
    assert log_in(client, "garam", PASSWORD).status_code == 429

    # That try started the cool-down again: it must pass in full.
    travel(monkeypatch, 2 * cool_down)
    assert log_in(client, "garam", PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_an_administrator_lifts_a_lock_at_once(client, garam):
    lock_account(client, "garam")

    call_command("axes_reset_username", "garam", stdout=io.StringIO())

    assert log_in(client, "garam", PASSWORD).status_code == 302


def test_one_account_guessed_from_many_addresses_is_locked(client, garam, haneul):
    for number in range(limit()):
        log_in(client, "garam", "wrong", address=f"198.51.100.{number + 1}")

    assert log_in(Client(), "garam", PASSWORD, address="203.0.113.99").status_code == 429
    # Another account from that same address is not affected.
    assert log_in(Client(), "haneul", PASSWORD, address="203.0.113.99").status_code == 302


def test_one_address_trying_many_accounts_is_locked(client, garam):
    for number in range(limit()):
        log_in(client, f"guess{number}", "wrong", address="198.51.100.7")

    assert log_in(Client(), "garam", PASSWORD, address="198.51.100.7").status_code == 429
    # The same account from another address logs in.
    assert log_in(Client(), "garam", PASSWORD, address="198.51.100.8").status_code == 302


def test_the_admin_login_goes_through_the_same_throttle(client, django_user_model):
    django_user_model.objects.create_user("clerk", password=PASSWORD, is_staff=True)
    admin_login = reverse("admin:login")
    for _attempt in range(limit()):
        response = log_in(client, "clerk", "wrong", url=admin_login)

    assert response.status_code == 429 and LOCKED in text(response)
    assert log_in(client, "clerk", PASSWORD, url=admin_login).status_code == 429
    assert log_in(Client(), "clerk", PASSWORD).status_code == 429


# --- throttling: the sign page ----------------------------------------------------


def sign_page(world):
    return reverse("meetings:sign", args=[world.meeting.pk])


def signer_client(person, address="192.0.2.20"):
    person.user.set_password(PASSWORD)
    person.user.save()
    client = Client(REMOTE_ADDR=address)
    client.force_login(person.user)
    return client


def test_wrong_passwords_on_the_sign_page_count_and_lock_the_account(people):
    version = confirmed(people)
    signer = signer_client(people.member_a.person)
    wrong = signing_data(version, password="wrong")

    for _attempt in range(limit() - 1):
        response = signer.post(sign_page(people), wrong)
        assert response.status_code == 200
        assert response.context["form"].errors["password"] == ["비밀번호가 맞지 않습니다."]
    locking = signer.post(sign_page(people), wrong)
    right = signer.post(sign_page(people), signing_data(version, password=PASSWORD))

    for response in (locking, right):
        assert response.status_code == 429
        # Next to the password field, on the sign page itself (the minutes stay on it).
        [message] = response.context["form"].errors["password"]
        assert LOCKED in message
        page = text(response)
        assert page.index('name="password"') < page.index(LOCKED)
        assert 'id="sign-form"' in page and version.content_sha256 in page
    assert not Signature.objects.exists()
    # The same account is locked on the login page too, from anywhere.
    username = people.member_a.person.user.username
    assert log_in(Client(), username, PASSWORD, address="203.0.113.5").status_code == 429


def test_a_locked_sign_page_does_not_check_the_password(people, monkeypatch):
    version = confirmed(people)
    signer = signer_client(people.member_a.person)
    for _attempt in range(limit()):
        signer.post(sign_page(people), signing_data(version, password="wrong"))

    def must_not_run(user, raw_password):
        raise AssertionError("the password was checked during a lockout")

    monkeypatch.setattr(get_user_model(), "check_password", must_not_run)
    response = signer.post(sign_page(people), signing_data(version, password=PASSWORD))

    assert response.status_code == 429


def test_other_signers_are_unaffected_by_a_locked_signer(people):
    version = confirmed(people)
    locked = signer_client(people.member_a.person, address="192.0.2.20")
    for _attempt in range(limit()):
        locked.post(sign_page(people), signing_data(version, password="wrong"))

    chair = signer_client(people.chair.person, address="192.0.2.21")
    response = chair.post(sign_page(people), signing_data(version, password=PASSWORD))

    assert response.status_code == 302
    assert Signature.objects.get().user == people.chair.person.user


# --- the client's address ---------------------------------------------------------

PROXIES = [ipaddress.ip_network("10.0.0.0/24"), ipaddress.ip_network("2001:db8::1")]


def address_of(remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **headers), PROXIES)


def test_a_forwarded_header_from_anyone_else_is_ignored():
    assert address_of("198.51.100.4", "203.0.113.1") == "198.51.100.4"
    assert address_of("198.51.100.4", "10.0.0.1") == "198.51.100.4"


def test_behind_our_proxy_the_client_is_the_right_most_address_not_ours():
    assert address_of("10.0.0.2", "203.0.113.9") == "203.0.113.9"
    # The client wrote the left part itself; our proxies appended the rest.
    assert address_of("10.0.0.2", "198.51.100.1, 203.0.113.9, 10.0.0.3") == "203.0.113.9"
    assert address_of("2001:db8::1", "2001:db8:ffff::7") == "2001:db8:ffff::7"
    # A request from inside, through our proxies only.
    assert address_of("10.0.0.2", "10.0.0.77") == "10.0.0.77"


@pytest.mark.parametrize(
    "forwarded",
    [None, "", "garbage", "203.0.113.9:443", "evil.example", "203.0.113.9, \x00", "1" * 5000],
)
def test_a_missing_or_unreadable_forwarded_header_falls_back_to_the_connection(forwarded):
    assert address_of("10.0.0.2", forwarded) == "10.0.0.2"


def test_no_address_at_all_is_none():
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR=""), PROXIES) is None


def test_the_signature_records_the_client_behind_our_proxy(people, settings):
    settings.TRUSTED_PROXIES = PROXIES
    version = confirmed(people)
    signer = signer_client(people.member_a.person, address="10.0.0.2")

    response = signer.post(
        sign_page(people),
        signing_data(version, password=PASSWORD),
        HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.50",
    )

    assert response.status_code == 302
    assert Signature.objects.get().ip_address == "203.0.113.50"


def test_the_throttle_counts_the_client_behind_our_proxy_not_the_proxy(client, garam, settings):
    settings.TRUSTED_PROXIES = PROXIES
    for number in range(limit()):
        log_in(
            client, f"guess{number}", "wrong", address="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4"
        )

    def from_behind_the_proxy(forwarded):
        return log_in(
            Client(), "garam", PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded
        )

    assert from_behind_the_proxy("1.2.3.4").status_code == 429
    assert from_behind_the_proxy("5.6.7.8").status_code == 302


# --- settings from the environment ------------------------------------------------


def run_python(code, **env):
    """``code`` in a fresh interpreter with exactly ``env`` set (none of ours inherited)."""
    ours = ("DJANGO_", "DATABASE_", "MINUTES_")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


SHOW_SETTINGS = (
    "from minutes_site import settings as s;"
    "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
    " s.SECURE_HSTS_PRELOAD, getattr(s, 'SECURE_PROXY_SSL_HEADER', None), s.SESSION_COOKIE_AGE,"
    " s.SESSION_EXPIRE_AT_BROWSER_CLOSE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SECURE,"
    " s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds(), s.TRUSTED_PROXIES)"
)


def test_production_defaults_are_https_only_with_short_sessions():
    result = run_python(SHOW_SETTINGS, DJANGO_SECRET_KEY="k")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == (
        "True 31536000 True True None 28800 True True True 5 900.0 []".split()
    )


def test_make_run_on_plain_http_gets_no_redirect_and_no_hsts():
    result = run_python(SHOW_SETTINGS, DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["False", "0"]
    assert result.stdout.split()[8] == "False"  # cookies over plain http too


def test_every_setting_can_be_changed_from_the_environment():
    result = run_python(
        SHOW_SETTINGS,
        DJANGO_SECRET_KEY="k",
        DJANGO_SSL_REDIRECT="no",
        DJANGO_HSTS_SECONDS="600",
        DJANGO_HSTS_INCLUDE_SUBDOMAINS="no",
        DJANGO_HSTS_PRELOAD="no",
        DJANGO_TLS_PROXY="yes",
        DJANGO_SESSION_HOURS="2",
        DJANGO_SESSION_BROWSER_CLOSE="no",
        MINUTES_LOGIN_FAILURES="3",
        MINUTES_LOCKOUT_MINUTES="30",
        MINUTES_TRUSTED_PROXIES="10.0.0.5, 10.1.0.0/16",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "False 600 False False ('HTTP_X_FORWARDED_PROTO', 'https') 7200 False True True 3 1800.0 "
        "[IPv4Network('10.0.0.5/32'), IPv4Network('10.1.0.0/16')]"
    )


@pytest.mark.parametrize(
    "variable, value",
    [
        ("MINUTES_LOGIN_FAILURES", "five"),
        ("MINUTES_LOGIN_FAILURES", "0"),
        ("MINUTES_LOCKOUT_MINUTES", "-1"),
        ("DJANGO_HSTS_SECONDS", "1 year"),
        ("DJANGO_SESSION_HOURS", "0"),
        ("MINUTES_TRUSTED_PROXIES", "10.0.0.1, proxy.internal"),
        ("DJANGO_TLS_PROXY", "maybe"),
    ],
)
def test_a_bad_value_names_the_variable(variable, value):
    result = run_python("import minutes_site.settings", DJANGO_SECRET_KEY="k", **{variable: value})
    assert result.returncode != 0
    assert variable in result.stderr.splitlines()[-1]


def readme_production_variables():
    """The variables of the README's production example, as NAME=VALUE pairs."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Production\n", 1)[1].split("\n## ", 1)[0]
    example = section.split("```sh\n", 1)[1].split("```", 1)[0]
    exports = example.split("\n.venv/", 1)[0]
    return dict(re.findall(r"([A-Z][A-Z0-9_]+)=(\S+)", exports))


def test_the_deploy_check_is_clean_with_the_readme_production_variables(
    organisation_seal, tmp_path
):
    env = readme_production_variables()
    assert env["DJANGO_SECRET_KEY"] == "..."
    seal_file, seal_password = organisation_seal
    (tmp_path / "seal.password").write_text(seal_password + "\n")
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        # Where the README's paths point in production, a real seal here.
        MINUTES_SEAL_FILE=str(seal_file),
        MINUTES_SEAL_PASSWORD_FILE=str(tmp_path / "seal.password"),
    )
    ours = ("DJANGO_", "DATABASE_", "MINUTES_")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(ours)}

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


# --- response headers ---------------------------------------------------------------


def policy(response):
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def test_every_page_carries_a_strict_content_security_policy(client, garam):
    client.force_login(garam)
    for url in [reverse("login"), reverse("meetings:list"), reverse("meetings:verify")]:
        response = client.get(url)
        directives = policy(response)

        assert directives["default-src"] == ["'self'"], url
        assert directives["script-src"][0] == "'self'"
        # A nonce only where a page asked for one; none does today.
        assert all(source.startswith("'nonce-") for source in directives["script-src"][1:])
        assert directives["style-src"] == ["'self'"]
        assert directives["img-src"] == ["'self'", "data:"]
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["form-action"] == ["'self'"]
        assert directives["base-uri"] == ["'self'"]
        assert "unsafe" not in response["Content-Security-Policy"]
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"


INLINE = [
    (re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>"), "inline script"),
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "inline event handler"),
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), "style attribute"),
    (re.compile(r"javascript:", re.IGNORECASE), "javascript: URL"),
]


def test_no_template_needs_inline_script_or_style():
    pages = [
        path
        for path in sorted(ROOT.glob("templates/**/*.html"))
        # Printed by WeasyPrint, never served to a browser.
        if "pdf" not in path.relative_to(ROOT / "templates").parts
    ]
    assert pages
    found = [
        f"{path.relative_to(ROOT)}: {what}"
        for path in pages
        for pattern, what in INLINE
        if pattern.search(path.read_text())
    ]
    assert found == []


def cache_control(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


def test_the_internal_minutes_page_is_never_stored(secretary_client, world):
    response = secretary_client.get(world.meeting.get_absolute_url())

    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)


def test_pages_for_anybody_are_never_stored_either(client, db):
    for url in [reverse("login"), reverse("meetings:verify")]:
        assert "no-store" in cache_control(client.get(url)), url


def test_a_draft_pdf_with_names_is_never_stored(secretary_client, world):
    url = reverse("meetings:pdf", args=[world.meeting.pk])
    internal = secretary_client.get(url)
    public = secretary_client.get(url, {"version": "public"})

    assert internal.status_code == public.status_code == 200
    assert {"private", "no-store"} <= cache_control(internal)
    # Redacted, but it may change with the text: asked for again every time.
    assert cache_control(public) == {"private", "no-cache"}


@pytest.fixture
def sealed(people):
    return sign_both(confirmed(people), people)


def test_signed_files_with_names_are_never_stored_the_public_one_may_be(client, sealed, people):
    client.force_login(people.secretary.person.user)

    def signed_file(kind):
        return reverse("meetings:signed_file", args=[sealed.verification_code, kind])

    internal = client.get(signed_file("internal-pdfa3b"))
    archive = client.get(signed_file("internal-pdfa1b"))
    public = client.get(signed_file("public-pdfa3b"))
    again = client.get(signed_file("public-pdfa3b"), HTTP_IF_NONE_MATCH=public["ETag"])

    assert {"private", "no-store"} <= cache_control(internal)
    assert {"private", "no-store"} <= cache_control(archive)
    assert cache_control(public) == {"private"}
    assert again.status_code == 304
