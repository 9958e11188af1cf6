"""One date style in every page and e-mail: 2026. 4. 16.(목) 15:00, 15:00~17:00.

The demo is loaded (a draft and a signed meeting), the draft is carried
through review, confirmation and a first signature, the signed one is
published, and at each step the pages its people open are read as text: no
ISO date (2026-04-16) and no 오전/오후 or AM/PM anywhere. Form inputs are
excepted (a date input's value is ISO by the HTML standard), and so are the
page's scripts and data (not read by people).
"""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from agenda.management.commands.load_demo import demo_signature
from committees.models import Person
from meetings.models import Meeting
from meetings.services import confirm, publish, send_for_review, sign

pytestmark = pytest.mark.django_db

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
TWELVE_HOUR = re.compile(r"오전|오후|\b(?:AM|PM|a\.m\.|p\.m\.)(?!\w)")
# 2026. 4. 16.(목) 15:00, with seconds where they are evidence.
OUR_STYLE = re.compile(r"\b\d{4}\. \d{1,2}\. \d{1,2}\.\(.\) \d{2}:\d{2}")


class _Text(HTMLParser):
    """What a person reads: text and titles, not inputs' values, scripts or data."""

    SKIPPED = {"script", "style", "textarea", "template"}

    def __init__(self):
        super().__init__()
        self.parts = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self._skipping += 1
        for name, value in attrs:
            if name in ("title", "aria-label", "alt") and value:
                self.parts.append(value)
            if tag == "option" and name == "label" and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in self.SKIPPED:
            self._skipping = max(0, self._skipping - 1)

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def readable_text(html):
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def wrong_dates(text):
    """Every ISO date and 12-hour time in ``text``, with a little context."""
    found = []
    for pattern in (ISO_DATE, TWELVE_HOUR):
        for match in pattern.finditer(text):
            found.append(text[max(0, match.start() - 30) : match.end() + 30])
    return found


class Reader:
    """Opens pages as one of the demo's people and keeps what each page said."""

    def __init__(self, client):
        self.client = client
        self.read = {}  # "who url" -> readable text

    def open(self, username, url, status=200):
        user = get_user_model().objects.get(username=username)
        self.client.force_login(user)
        response = self.client.get(url)
        assert response.status_code == status, (username, url, response.status_code)
        self.read[f"{username} {url}"] = readable_text(response.content.decode())
        return response

    def problems(self):
        return {page: found for page, text in self.read.items() if (found := wrong_dates(text))}


def test_the_scanner_finds_what_it_is_for():
    assert wrong_dates(readable_text("<p>2026-04-16 15:00</p>"))
    assert wrong_dates(readable_text("<p>2026년 6월 18일 3:00 오후</p>"))
    assert wrong_dates(readable_text("<p>June 18, 2026, 3:00 p.m.</p>"))
    assert not wrong_dates(readable_text('<input type="date" value="2026-04-16">'))
    assert not wrong_dates(readable_text("<p>2026. 4. 16.(목) 15:00~17:00</p>"))
    assert not wrong_dates(readable_text("<p>AMEND PMO</p>"))


def test_no_page_or_email_prints_a_date_another_way(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    call_command("load_demo", "--signed", stdout=open("/dev/null", "w"))
    draft = Meeting.objects.get(status=Meeting.Status.DRAFT)
    signed = Meeting.objects.exclude(pk=draft.pk).get()
    code = signed.current_version().signed_document.verification_code
    for person in Person.objects.all():  # the demo's people have no address
        Person.objects.filter(pk=person.pk).update(email=f"person{person.pk}@example.kr")
    reader = Reader(client)

    def everybody_reads(meeting):
        for username in ("secretary", "signer1", "confirmer", "archivist", "admin"):
            reader.open(username, reverse("meetings:list"))
            reader.open(username, reverse("meetings:tasks"))
            reader.open(username, meeting.get_absolute_url())
        reader.open("secretary", meeting.get_absolute_url() + "?version=public")

    # A draft: home, tasks, the minutes, the editor, the admin's pages.
    everybody_reads(draft)
    reader.open("secretary", reverse("editor:page", args=[draft.pk]))
    reader.open("admin", reverse("admin:meetings_meeting_changelist"))
    reader.open("admin", reverse("admin:meetings_meeting_change", args=[draft.pk]))

    # In review: the review page, and the e-mail to the reviewers.
    secretary = get_user_model().objects.get(username="secretary")
    with django_capture_on_commit_callbacks(execute=True):
        send_for_review(draft, by=secretary, deadline=timezone.now() + datetime.timedelta(days=7))
    everybody_reads(draft)
    reader.open("signer1", reverse("agenda:review", args=[draft.pk]))

    # Confirmed, then signed by one of the two: the sign page, the history.
    confirmer = get_user_model().objects.get(username="confirmer")
    with django_capture_on_commit_callbacks(execute=True):
        version = confirm(draft, by=confirmer)
    everybody_reads(draft)
    reader.open("signer1", reverse("meetings:sign", args=[draft.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        sign(
            version,
            user=get_user_model().objects.get(username="signer1"),
            shown_sha256=version.content_sha256,
            method="drawn",
            image=demo_signature(1),
        )
    everybody_reads(draft)
    reader.open("signer2", reverse("meetings:sign", args=[draft.pk]))

    # Signed and published: the minutes, the verification page, the archive.
    everybody_reads(signed)
    with django_capture_on_commit_callbacks(execute=True):
        publish(signed, by=secretary)
    everybody_reads(signed)
    reader.open("signer1", reverse("meetings:verify_code", args=[code]))
    client.logout()
    response = client.get(reverse("meetings:verify_code", args=[code]))
    reader.read["anonymous verify"] = readable_text(response.content.decode())
    reader.open(
        "archivist",
        reverse("meetings:archive") + f"?committee={signed.committee.slug}&year={signed.year}",
    )

    assert reader.problems() == {}
    # The pages do print dates, in the one style: the scan did read them.
    assert OUR_STYLE.search(reader.read[f"confirmer {draft.get_absolute_url()}"])
    assert OUR_STYLE.search(reader.read["anonymous verify"])
    mails = [f"{mail.subject}\n{mail.body}" for mail in mailoutbox]
    assert mails, "the workflow sent no e-mail to read"
    assert [found for mail in mails if (found := wrong_dates(mail))] == []
    assert any(OUR_STYLE.search(mail) for mail in mails)
