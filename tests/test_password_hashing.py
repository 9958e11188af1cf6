"""Passwords are stored with Argon2id; older PBKDF2 hashes move to it at the next login."""

import importlib

import pytest
from django.contrib.auth.hashers import make_password

SITE_HASHERS = importlib.import_module("minutes_site.settings").PASSWORD_HASHERS


@pytest.fixture
def site_hashers(settings):
    # conftest.py swaps in a fast hasher for every test; these tests need the site's own.
    settings.PASSWORD_HASHERS = SITE_HASHERS


@pytest.mark.django_db
def test_a_new_password_is_stored_with_argon2id(site_hashers, django_user_model):
    user = django_user_model.objects.create_user("reader", password="long-enough-phrase-1")

    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password("long-enough-phrase-1")
    assert not user.check_password("long-enough-phrase-2")


@pytest.mark.django_db
def test_a_pbkdf2_password_still_logs_in_and_is_rehashed_with_argon2(
    site_hashers, client, django_user_model
):
    user = django_user_model.objects.create(
        username="old-account",
        password=make_password("long-enough-phrase-1", hasher="pbkdf2_sha256"),
    )
    assert user.password.startswith("pbkdf2_sha256$")

    response = client.post(
        "/accounts/login/", {"username": "old-account", "password": "long-enough-phrase-1"}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
