"""Error pages: in Korean, in the site's layout, saying what happened and what to do.

Django's own 400 and CSRF pages are bare English text; a reader who sent
something the site cannot take must learn that nothing was changed.
"""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

LAYOUT = '<nav class="navbar'


def test_an_unknown_address_is_a_korean_404_in_the_layout(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert LAYOUT in html and "페이지를 찾을 수 없습니다" in html


def test_a_404_written_for_the_reader_says_its_own_message(client):
    response = client.get(reverse("meetings:signed_file", args=["AAAA-BBBB-CCCC", "public-pdfa3b"]))
    assert response.status_code == 404
    assert "이 주소와 일치하는 서명본 파일이 없습니다" in response.content.decode()


def test_a_page_the_user_may_not_open_is_a_korean_403(world, client):
    client.force_login(world.member_a.person.user)
    response = client.get(reverse("editor:page", args=[world.meeting.pk]))
    assert response.status_code == 403
    html = response.content.decode()
    assert LAYOUT in html and "허용되지 않습니다" in html


def test_an_expired_form_is_a_korean_csrf_page_and_nothing_changes(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.secretary.person.user)
    response = client.post(reverse("meetings:transition", args=[world.meeting.pk, "confirm"]))
    assert response.status_code == 403
    html = response.content.decode()
    assert LAYOUT in html and "아무것도 바뀌지 않았습니다" in html
    world.meeting.refresh_from_db()
    assert world.meeting.status == "draft"


def test_a_body_django_refuses_is_a_korean_400(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = client.post(reverse("login"), {"username": "x" * 200, "password": "y"})
    assert response.status_code == 400
    html = response.content.decode()
    assert LAYOUT in html and "아무것도 바뀌지 않았습니다" in html


def test_the_500_page_needs_neither_a_request_nor_the_database():
    html = render_to_string("500.html")
    assert "문제가 생겼습니다" in html
