"""The editor page prints its overview form once per text (agenda.editor.overview_html).

The overview fields and the agenda table are kept in the "pages" cache by the
meeting's revision and status, the content generation, the language and the
time zone. These tests say when a kept copy must not be shown: after any
edit of what the form prints, in another language, and that nothing of one
user's is kept for another.
"""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from agenda.forms import OverviewForm
from meetings.models import Attendance

from .test_editor import overview_data

pytestmark = pytest.mark.django_db


def editor_url(meeting):
    return reverse("editor:page", args=[meeting.pk])


def overview(response):
    """The <form id="overview-form"> of the editor page, without its CSRF token."""
    page = response.content.decode()
    form = page[
        page.index('id="overview-form"') : page.index("</form>", page.index("overview-form"))
    ]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", form)


def test_a_second_visit_prints_the_overview_without_building_the_form(
    secretary_client, world, monkeypatch, django_assert_max_num_queries
):
    first = secretary_client.get(editor_url(world.meeting))
    built = []
    original = OverviewForm.__init__

    def counting(self, *args, **kwargs):
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(OverviewForm, "__init__", counting)
    again = secretary_client.get(editor_url(world.meeting))

    assert again.status_code == 200
    assert built == []
    assert overview(again) == overview(first)
    assert "버스 노선 개편안" in overview(again) and "임채윤" in overview(again)


def test_an_overview_save_shows_at_once(secretary_client, world):
    url = editor_url(world.meeting)
    secretary_client.get(url)
    data = overview_data(world.meeting, place="별관 2층 소회의실")
    assert secretary_client.post(url, data).status_code == 302

    assert "별관 2층 소회의실" in overview(secretary_client.get(url))


def test_changes_made_elsewhere_show_at_once(secretary_client, world):
    """Not through the editor: a person renamed, an attendance changed (admin,
    import): the content generation moves on, and the form is printed again."""
    url = editor_url(world.meeting)
    before = overview(secretary_client.get(url))
    assert "배하늘" in before

    world.member_b.person.name = "배하람"
    world.member_b.person.save()
    Attendance.objects.filter(meeting=world.meeting, member=world.member_b).update(
        status=Attendance.Status.PRESENT
    )  # an update() sends no signal: the rename above is what moves the generation
    after = overview(secretary_client.get(url))

    assert "배하람" in after and "배하늘" not in after
    checked = re.search(
        rf'value="{world.member_b.pk}"[^>]*>', after.split("attendance-checklist")[1]
    )
    assert "checked" in checked.group(0)


def test_a_refused_post_prints_its_own_errors_not_the_kept_form(secretary_client, world):
    url = editor_url(world.meeting)
    secretary_client.get(url)
    response = secretary_client.post(url, overview_data(world.meeting, ends="25:99"))

    assert response.status_code == 400
    assert "is-invalid" in overview(response)
    assert 'id="overview-panel" open' in response.content.decode()
    assert "is-invalid" not in overview(secretary_client.get(url))


def test_each_language_has_its_own_copy(secretary_client, world):
    url = editor_url(world.meeting)
    korean = overview(secretary_client.get(url))
    secretary_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = overview(secretary_client.get(url))

    assert "안건" in korean and "Agenda items" not in korean
    assert "Agenda items" in english


def test_nothing_of_one_user_is_kept_for_another(client, secretary_client, world):
    """A second manager sees the same form with their own token and name; a user
    who may not manage the meeting is refused even with the form kept."""
    url = editor_url(world.meeting)
    first = secretary_client.get(url)
    other = get_user_model().objects.create_user(
        "deputy", password="pw", first_name="대리", is_staff=True
    )
    other.user_permissions.add(Permission.objects.get(codename="change_meeting"))
    client.force_login(other)
    second = client.get(url)

    assert second.status_code == 200
    assert overview(second) == overview(first)
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert token.findall(first.content.decode()) != token.findall(second.content.decode())
    assert "대리" in second.content.decode() and "대리" not in first.content.decode()

    client.force_login(world.member_a.person.user)  # reads the meeting, does not manage it
    assert client.get(url).status_code == 403
