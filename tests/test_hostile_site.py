"""Hostile input to the rest of the site: verification, logging in, accounts,
languages, addresses and query strings, and the admin's meeting page.

Public pages get the most hostile visitors: every case is a 4xx or the form
again with its error, never a server error, and nothing saved changes.
"""

import hashlib
import io
import random

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from meetings import verification
from meetings.models import ProceedingsItem

from .forms import form_data
from .hostile import (
    CONTROL_CHARACTERS,
    answered,
    form_errors,
    hostile_client,
    quickly,
    refused,
    refused_or_cleaned,
    snapshot,
)
from .test_verification import Signed

pytestmark = pytest.mark.django_db


# --- the verification page -----------------------------------------------------------


@pytest.fixture
def signed(world):
    return Signed(world)


def test_a_real_code_is_verified(signed):
    """The starting point: the page finds the signed version by its code."""
    response = answered(hostile_client().post(reverse("meetings:verify"), {"code": signed.code}))

    assert response.status_code == 200 and response.context["found"] is not None


@pytest.mark.parametrize(
    "path",
    [
        "/meetings/verify/%00/",
        "/meetings/verify/" + "A" * 5000 + "/",
        "/meetings/verify/%00/public-pdfa3b.pdf",
        "/meetings/verify/%00/minutes.pdf",
        "/meetings/verify/%ED%A0%80/",  # a lone surrogate, UTF-8 encoded
        "/meetings/verify/%FF%FE/",  # not UTF-8 at all
        "/meetings/verify/..%2F..%2Fetc%2Fpasswd/",
        "/meetings/verify/" + "가" * 3000 + "/internal-pdfa3b.pdf",
    ],
)
def test_an_impossible_code_in_the_address_is_404(signed, path):
    response = answered(hostile_client().get(path))

    assert response.status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"code": "AB12\x00CD34"}, id="code-nul"),
        pytest.param({"code": "AB12\x07CD34"}, id="code-bell"),
        pytest.param({"code": "A" * 5000}, id="code-long"),
        pytest.param({"sha256": "\x00" * 64}, id="sha256-nul"),
        pytest.param({"sha256": "g" * 64}, id="sha256-not-hex"),
        pytest.param({"sha256": "a" * 5000}, id="sha256-long"),
        pytest.param({}, id="nothing"),
    ],
)
def test_an_impossible_code_or_hash_in_the_form_is_a_field_error(signed, data):
    response = refused(hostile_client().post(reverse("meetings:verify"), data))

    assert response.status_code == 400 and form_errors(response)


def random_bytes(size, seed=7):
    return random.Random(seed).randbytes(size)


def small_pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "회의록"})
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"GIF89a" + random_bytes(1000), id="not-a-pdf"),
        pytest.param(random_bytes(2 * 1024 * 1024 + 1), id="random-2mb"),
        pytest.param(b"%PDF-" + b"\x00" * (verification.MAX_PDF_BYTES + 1), id="over-the-limit"),
    ],
)
def test_an_upload_that_is_no_pdf_is_a_field_error(signed, data):
    upload = SimpleUploadedFile("minutes.pdf", data, "application/pdf")

    response = refused(hostile_client().post(reverse("meetings:verify"), {"pdf": upload}))

    assert response.status_code == 400 and form_errors(response)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(small_pdf()[: len(small_pdf()) // 2], id="truncated-pdf"),
        pytest.param(b"%PDF-1.7\n" + random_bytes(2 * 1024 * 1024), id="random-2mb-pdf-header"),
        pytest.param(b"%PDF-1.7\n" + b"[" * 100_000, id="nested-arrays"),
        pytest.param(small_pdf() + b"\x00" * 1000, id="trailing-garbage"),
    ],
)
def test_a_broken_pdf_is_answered_with_no_match(signed, data):
    """A broken PDF is still a file one may ask about: the answer is that no
    signed minutes match it, and its seal could not be read."""
    upload = SimpleUploadedFile("minutes.pdf", data, "application/pdf")

    response = answered(hostile_client().post(reverse("meetings:verify"), {"pdf": upload}))

    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.context["found"] is None
        assert response.context["seal_check"] is not None


def test_a_file_name_with_nul_and_slashes_is_only_a_name(signed):
    upload = SimpleUploadedFile("../../\x00minutes.pdf", small_pdf(), "application/pdf")

    response = answered(hostile_client().post(reverse("meetings:verify"), {"pdf": upload}))

    assert response.status_code in (200, 400)


def test_a_hash_of_nothing_stored_is_not_found(signed):
    digest = hashlib.sha256(b"nothing").hexdigest()

    response = answered(hostile_client().post(reverse("meetings:verify"), {"sha256": digest}))

    assert response.status_code == 200 and response.context["found"] is None


# --- logging in ------------------------------------------------------------------


def login(data, **extra):
    return hostile_client().post(reverse("login"), data, **extra)


def test_the_login_form_logs_in(world):
    """The starting point of every case below."""
    response = answered(login({"username": "secretary", "password": "pw"}))

    assert response.status_code == 302


@pytest.mark.parametrize("field", ["username", "password"])
@pytest.mark.parametrize("character", CONTROL_CHARACTERS)
def test_control_characters_in_the_login_form_are_a_form_error(world, field, character):
    data = {"username": "secretary", "password": "pw"}
    data[field] += character

    response = refused(login(data))

    assert "_auth_user_id" not in response.wsgi_request.session


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"username": "가" * 100_000, "password": "pw"}, id="long-username"),
        pytest.param({"username": "secretary", "password": "p" * 1_000_000}, id="long-password"),
        pytest.param({"username": ["a", "b"], "password": "pw"}, id="two-usernames"),
        pytest.param({"password": "pw"}, id="no-username"),
    ],
)
def test_an_impossible_login_is_a_form_error(world, data):
    refused(login(data))


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "javascript:alert(1)",
        "https:evil.example",
        "/%0d%0aSet-Cookie:x=1",
    ],
)
def test_logging_in_never_sends_the_user_elsewhere(world, target):
    response = answered(login({"username": "secretary", "password": "pw", "next": target}))

    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
    assert "evil" not in location and "\n" not in location and "\r" not in location


def test_the_language_switch_never_sends_the_user_elsewhere(world):
    response = answered(
        hostile_client().post(
            reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
        )
    )

    assert response.status_code == 302
    assert "evil" not in response["Location"]


@pytest.mark.parametrize("language", ["\x00", "../../etc", "x" * 10_000, "zz"])
def test_an_unknown_language_is_ignored(world, language):
    client = hostile_client(world.secretary.person.user)
    answered(client.post(reverse("set_language"), {"language": language, "next": "/"}))

    response = answered(client.get(reverse("meetings:list")))

    assert response.status_code == 200
    assert response["Content-Language"] == "ko"


@pytest.mark.parametrize(
    "header, cookie",
    [
        pytest.param("\x00;q=zz, en;q=99999999999999999999", None, id="header-nul"),
        pytest.param("a" * 10_000, None, id="header-long"),
        pytest.param(None, "../../etc/passwd", id="cookie-path"),
        pytest.param(None, "x" * 5000, id="cookie-long"),
    ],
)
def test_a_garbage_language_header_or_cookie_is_ignored(world, settings, header, cookie):
    client = hostile_client(world.secretary.person.user)
    if cookie is not None:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    extra = {"HTTP_ACCEPT_LANGUAGE": header} if header is not None else {}

    response = answered(client.get(reverse("meetings:list"), **extra))

    assert response.status_code == 200
    assert response["Content-Language"] == "ko"


# --- accounts -------------------------------------------------------------------------


@pytest.mark.parametrize("character", CONTROL_CHARACTERS)
def test_control_characters_in_a_new_password_are_refused_or_kept_whole(world, character):
    user = world.member_a.person.user
    client = hostile_client(user)
    new = f"bus-route{character}2024-plan"

    response = answered(
        client.post(
            reverse("password_change"),
            {"old_password": "pw", "new_password1": new, "new_password2": new},
        )
    )

    user.refresh_from_db()
    if response.status_code == 302:
        assert user.check_password(new)  # the whole password, not a cut one
    else:
        refused(response)
        assert user.check_password("pw")


@pytest.mark.parametrize("email", ["a\x00@example.com", "a@example.com\r\nBcc: x@evil.example"])
def test_a_hostile_password_reset_address_is_refused_or_ignored(world, email, mailoutbox):
    response = answered(hostile_client().post(reverse("password_reset"), {"email": email}))

    assert response.status_code in (200, 302, 400)
    assert not mailoutbox


@pytest.mark.parametrize(
    "uid, token", [("%00", "x"), ("A" * 5000, "set-password"), ("MQ", "\x00" * 3)]
)
def test_a_forged_password_reset_link_is_refused(world, uid, token):
    response = answered(hostile_client().get(f"/accounts/reset/{uid}/{token}/"))

    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert response.context["validlink"] is False


@pytest.mark.parametrize("character", CONTROL_CHARACTERS)
def test_control_characters_in_a_password_set_by_reset_link_are_refused_or_kept_whole(
    world, character
):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = world.member_a.person.user
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    client = hostile_client()
    link = answered(
        client.get(f"/accounts/reset/{uid}/{default_token_generator.make_token(user)}/")
    )
    assert link.status_code == 302  # to the set-password page, the token kept in the session
    new = f"bus-route{character}2024-plan"

    response = answered(client.post(link["Location"], {"new_password1": new, "new_password2": new}))

    user.refresh_from_db()
    if response.status_code == 302:
        assert user.check_password(new)
    else:
        refused(response)
        assert user.check_password("pw")


# --- addresses and query strings --------------------------------------------------


HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", f"/meetings/{HUGE}/"),
        ("get", "/meetings/-1/"),
        ("get", f"/meetings/{HUGE}/minutes.pdf"),
        ("get", f"/meetings/{HUGE}/sign/"),
        ("post", f"/meetings/{HUGE}/sign/"),
        ("post", f"/meetings/{HUGE}/confirm/"),
        ("post", "/meetings/١٢٣/confirm/"),  # Arabic-Indic digits match \d
        ("get", f"/meetings/{HUGE}/edit/"),
        ("post", f"/meetings/{HUGE}/edit/"),
        ("get", f"/meetings/{HUGE}/edit/remarks/"),
        ("post", f"/meetings/{HUGE}/edit/remarks/save/"),
        ("post", f"/meetings/{HUGE}/edit/paste/"),
        ("get", f"/meetings/{HUGE}/edit/preview/"),
        ("get", f"/review/{HUGE}/"),
        ("post", f"/review/{HUGE}/comment/"),
        ("post", f"/review/comments/{HUGE}/accept/"),
        ("post", f"/review/comments/{HUGE}/decline/"),
        ("get", "/meetings/verify/" + "0" * 64 + "/"),
    ],
)
def test_an_id_that_cannot_exist_is_404(world, method, path):
    client = hostile_client(world.secretary.person.user)
    before = snapshot(world.meeting)

    response = answered(getattr(client, method)(path))

    assert response.status_code == 404
    assert snapshot(world.meeting) == before


@pytest.mark.parametrize(
    "query",
    [
        {"version": "abc", "variant": "../../"},
        {"version": "\x00"},
        {"version": ["public", "internal"]},
        {"variant": "x" * 10_000},
    ],
)
def test_garbage_in_the_query_string_is_ignored(world, query):
    client = hostile_client(world.secretary.person.user)

    for url in (
        world.meeting.get_absolute_url(),
        reverse("editor:preview", args=[world.meeting.pk]),
    ):
        assert answered(client.get(url, query)).status_code == 200


def test_garbage_in_the_pdf_query_string_is_ignored(world):
    client = hostile_client(world.secretary.person.user)

    response = answered(
        client.get(reverse("meetings:pdf", args=[world.meeting.pk]), {"variant": "../../x"})
    )

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    "query",
    [
        {"committee": "traffic\x00", "year": "2024"},
        {"committee": "traffic", "year": "99999999999999999999"},
        {"committee": "traffic", "year": "1e3"},
        {"committee": ["traffic", "other"], "year": "2024"},
    ],
)
def test_the_archive_page_refuses_impossible_input(world, django_user_model, query):
    client = hostile_client(django_user_model.objects.create_superuser("root", password="pw"))

    response = refused(client.get(reverse("meetings:archive"), {**query, "download": "1"}))

    assert response.status_code == 400 and form_errors(response)


# --- the admin's meeting page -----------------------------------------------------------


@pytest.fixture
def admin_page(world):
    """The secretary on the meeting's admin page, and the page's form as rendered."""
    user = world.secretary.person.user
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["committees", "meetings", "agenda"])
    )
    world.add_remarks(3)
    ProceedingsItem.objects.create(meeting=world.meeting, position=2, depth=0, text="개회")
    client = hostile_client(user)
    url = reverse("admin:meetings_meeting_change", args=[world.meeting.pk])
    page = answered(client.get(url))
    assert page.status_code == 200
    return client, url, form_data(page, "meeting_form")


def admin_save(client, url, data):
    return client.post(url, {**data, "_continue": "1"})


def test_the_admin_page_as_rendered_saves(world, admin_page):
    """The starting point of every admin case below."""
    client, url, data = admin_page

    response = answered(admin_save(client, url, data))

    assert response.status_code == 302, response.context and response.context["errors"]


@pytest.mark.parametrize(
    "field",
    [
        "place",
        "unplaced_text",
        "speaker_blocks-0-statements_text",
        "speaker_blocks-0-role_label",
        "proceedings-0-text",
        "non_member_attendees-1-description",
    ],
)
@pytest.mark.parametrize("character", CONTROL_CHARACTERS)
def test_control_characters_in_the_admin_are_refused_or_removed(
    world, admin_page, field, character
):
    client, url, data = admin_page
    if field not in data:
        pytest.fail(f"{field} is not on the admin page", pytrace=False)
    data[field] = f"{data[field] or '본청'}{character}끝"
    before = snapshot(world.meeting)

    response = admin_save(client, url, data)

    refused_or_cleaned(response, world.meeting, before, [character])


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"starts_at_0": "0001-01-01", "ends_at_0": "0001-01-01"}, id="year-1"),
        pytest.param({"starts_at_0": "9999-12-31", "ends_at_0": "9999-12-31"}, id="year-9999"),
        pytest.param({"document_date": "0001-01-01"}, id="document-year-1"),
        pytest.param({"year": "99999"}, id="year-overflow"),
    ],
)
def test_impossible_dates_in_the_admin_are_field_errors(world, admin_page, changes):
    client, url, data = admin_page
    data.update(changes)
    before = snapshot(world.meeting)

    response = refused(admin_save(client, url, data))

    assert response.status_code == 200
    assert snapshot(world.meeting) == before
    assert answered(client.get(reverse("meetings:list"))).status_code == 200


def admin_prefixes():
    return [
        "attendances",
        "non_member_attendees",
        "proceedings",
        "agenda_items",
        "speaker_blocks",
        "resolutions",
        "signatories",
    ]


@pytest.mark.parametrize("prefix", admin_prefixes())
def test_a_forged_inline_count_in_the_admin_is_refused_quickly(world, admin_page, prefix):
    client, url, data = admin_page
    assert f"{prefix}-TOTAL_FORMS" in data, sorted(k for k in data if k.endswith("TOTAL_FORMS"))
    data[f"{prefix}-TOTAL_FORMS"] = "100000"
    before = snapshot(world.meeting)

    with quickly(5):
        refused(admin_save(client, url, data))

    assert snapshot(world.meeting) == before
