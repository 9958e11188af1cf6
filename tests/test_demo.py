"""`manage.py load_demo` gives a newcomer a meeting in the reference's format and size."""

from collections import Counter

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.http import HttpRequest
from django.urls import reverse

from agenda.models import AgendaItem, Resolution, SpeakerBlock, Statement
from committees.models import Committee, Member, Person
from meetings.models import Attendance, Meeting, Signatory

from .html import read_minutes

pytestmark = pytest.mark.django_db


def load_demo():
    call_command("load_demo", stdout=open("/dev/null", "w"))
    return Meeting.objects.get()


def counts():
    models = [
        Committee,
        Person,
        Member,
        Meeting,
        Attendance,
        AgendaItem,
        SpeakerBlock,
        Statement,
        Resolution,
        Signatory,
    ]
    return {model.__name__: model.objects.count() for model in models}


def test_it_is_idempotent():
    load_demo()
    first = counts()
    load_demo()
    assert counts() == first


def test_the_meeting_has_the_reference_shape():
    meeting = load_demo()

    blocks = list(meeting.speaker_blocks.prefetch_related("statements"))
    assert len(blocks) >= 50
    assert sum(len(b.statements.all()) for b in blocks) >= len(blocks) + 10
    assert sum(len(b.statements.all()) > 1 for b in blocks) >= 5
    labels = Counter(b.role_label for b in blocks)
    assert {"간사", "위원장", "위원", "팀장"} <= set(labels)
    kinds = Counter(b.speaker_kind for b in blocks)
    assert kinds["member"] and kinds["attendee"] and kinds["collective"] == 1
    items = Counter(meeting.agenda_items.values_list("kind", flat=True))
    assert items == {"deliberation": 1, "report_advisory": 3}
    resolution = meeting.resolutions.get(agenda_item__kind="deliberation")
    assert (resolution.method, resolution.outcome) == ("no_objection", "passed_as_amended")
    assert meeting.attendances.filter(status="absent").exists()
    assert meeting.non_member_attendees.filter(person__isnull=True).exists()
    assert meeting.proceedings.filter(depth=1).exists()
    roles = Counter(meeting.signatories.values_list("role", flat=True))
    assert roles == {"signer": 2, "confirmer": 1, "author": 1}


def test_demo_accounts_log_in_and_the_secretary_sees_the_minutes(client):
    meeting = load_demo()
    for username in ["secretary", "signer1", "signer2", "confirmer", "archivist", "admin"]:
        assert authenticate(HttpRequest(), username=username, password="minutes-demo"), username

    assert client.login(request=HttpRequest(), username="secretary", password="minutes-demo")
    response = client.get(meeting.get_absolute_url())
    remarks, texts = read_minutes(response)
    assert len(remarks) == meeting.speaker_blocks.count()
    assert texts["overview-members"].startswith("◆ 참석위원 : 12명")
    admin_page = client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    assert admin_page.status_code == 200


def test_signers_read_the_minutes_and_public_names_are_masked(client):
    meeting = load_demo()
    client.login(request=HttpRequest(), username="signer1", password="minutes-demo")

    response = client.get(meeting.get_absolute_url(), {"version": "public"})

    _, texts = read_minutes(response)
    names = Person.objects.values_list("name", flat=True)
    leaked = [name for name in names if name in texts["remarks"]]
    assert leaked == []
    internal, _ = read_minutes(client.get(meeting.get_absolute_url()))
    assert any(name in heading for heading, _ in internal for name in names)


def test_archivist_may_view_but_not_change_in_the_admin(client):
    meeting = load_demo()
    client.login(request=HttpRequest(), username="archivist", password="minutes-demo")

    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    page = client.get(url)

    assert page.status_code == 200
    assert b'name="_save"' not in page.content
