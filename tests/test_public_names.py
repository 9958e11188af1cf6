"""The name scan: every public address of the demo's published minutes, read as an
anonymous visitor reads it, holds none of the real names the public version masks.

The demo (load_demo --signed) has a draft (2026년 1차) and a signed, sealed
meeting (2차), which is published here. The scan follows the links a reader
would (home → committee → each year → minutes → PDF, and the CSV) and checks
each answer with tests/names.py: strictly everywhere outside the attendance
list and the signature block, and on the whole answer for the names the
public version prints nowhere (the absent member, the team lead who speaks
but is listed only as 담당 팀장 등) and the signers' IP addresses.
"""

import io
import re

import lxml.html
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from meetings.models import Meeting, SealedFile
from meetings.services import publish

from .html import read_minutes
from .names import (
    MASKED_HEADING,
    assert_no_real_names,
    found_names,
    names_never_printed,
    outside_name_lists,
    page_text,
    pdf_outside_name_lists,
    pdf_text,
    real_names_masked_in,
    signer_addresses,
)

pytestmark = pytest.mark.django_db

MINUTES_ADDRESS = r"/public/[-\w]+/\d{4}/\d+/"
PDF_ADDRESS = MINUTES_ADDRESS + r"minutes\.pdf"


@pytest.fixture
def demo():
    call_command("load_demo", "--signed", stdout=io.StringIO())
    draft, signed = Meeting.objects.order_by("sequence")
    assert SealedFile.objects.filter(
        document__version__meeting=signed, kind=SealedFile.Kind.PUBLIC_PDFA3B
    ).exists()
    publish(signed, by=get_user_model().objects.get(username="secretary"))
    return draft, Meeting.objects.get(pk=signed.pk)


def links(response, pattern, *, within="//main"):
    """The hrefs in the page's ``within`` element (an XPath) that match ``pattern``
    (a regular expression), in order."""
    tree = lxml.html.fromstring(response.content)
    hrefs = [href.split("#")[0] for href in tree.xpath(within)[0].xpath(".//a/@href")]
    return list(dict.fromkeys(href for href in hrefs if re.fullmatch(pattern, href)))


def year_links(response):
    """The committee page's year filter, as the addresses its choices lead to."""
    tree = lxml.html.fromstring(response.content)
    years = [value for value in tree.xpath('//select[@name="year"]/option/@value') if value]
    return [f"{response.wsgi_request.path}?year={year}" for year in years]


def test_no_public_address_shows_a_real_name_the_public_version_masks(demo):
    _draft, meeting = demo
    masked = real_names_masked_in(meeting)
    never = names_never_printed(meeting) + signer_addresses(meeting)
    # The scan looks for something that is there to be found.
    assert {"탁준영", "석준혁"} <= set(never) and "127.0.0.1" in never
    assert {"오세린", "백하린", "장민서"} <= set(masked)
    visitor = Client()
    answers = {}

    home = visitor.get(reverse("public:home"))
    answers["/public/"] = page_text(home.content)
    (committee_url,) = links(home, r"/public/[-\w]+/", within='//*[@id="public-committees"]')
    committee = visitor.get(committee_url)
    answers[committee_url] = page_text(committee.content)
    pages = [committee]
    for url in year_links(committee):
        pages.append(visitor.get(url))
        answers[url] = page_text(pages[-1].content)
    (csv_url,) = links(committee, r"/public/[-\w]+/minutes\.csv")
    minutes_urls = {url for page in pages for url in links(page, MINUTES_ADDRESS)}
    pdf_urls = {url for page in pages for url in links(page, PDF_ADDRESS)}
    assert minutes_urls == {f"/public/data-policy/{meeting.year}/{meeting.sequence}/"}
    assert len(year_links(committee)) == 1

    for url in minutes_urls:
        response = visitor.get(url)
        assert response.status_code == 200
        remarks, _texts = read_minutes(response)
        assert len(remarks) > 20
        for heading, statements in remarks:
            assert MASKED_HEADING.fullmatch(heading.strip("<>")), heading
            assert_no_real_names(" ".join([heading, *statements]), masked, where=f"{url} remarks")
        assert_no_real_names(outside_name_lists(response.content), masked, where=url)
        answers[url] = page_text(response.content)
        pdf_urls |= set(links(response, PDF_ADDRESS))

    for url in pdf_urls:
        response = visitor.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        pdf = response.content
        assert "000위원" in pdf_text(pdf)
        assert_no_real_names(pdf_outside_name_lists(pdf), masked, where=f"{url} (text)")
        answers[url] = pdf_text(pdf)

    csv = visitor.get(csv_url)
    assert csv.status_code == 200
    answers[csv_url] = csv.content.decode("utf-8-sig")
    assert_no_real_names(answers[csv_url], masked, where=csv_url)

    for url in ["/public/", committee_url, *year_links(committee)]:
        assert_no_real_names(answers[url], masked, where=url)
    for url, text in answers.items():
        assert_no_real_names(text, never, where=url)
    assert len(answers) == 6  # home, committee, one year, minutes, PDF, CSV

    # The same scan on the internal version finds them: it is not blind.
    reader = Client()
    reader.force_login(get_user_model().objects.get(username="secretary"))
    internal = reader.get(meeting.get_absolute_url())
    remarks, _texts = read_minutes(internal)
    spoken = " ".join(" ".join([heading, *statements]) for heading, statements in remarks)
    assert {"백하린", "오세린", "석준혁"} <= set(found_names(spoken, masked))


def test_the_unpublished_demo_meeting_is_404_on_every_public_address(demo):
    draft, meeting = demo
    addresses = [
        f"/public/data-policy/{draft.year}/{draft.sequence}/",
        f"/public/data-policy/{draft.year}/{draft.sequence}/minutes.pdf",
    ]
    secretary = Client()
    secretary.force_login(get_user_model().objects.get(username="secretary"))

    for reader in (Client(), secretary):
        for url in addresses:
            response = reader.get(url)
            assert response.status_code == 404
            assert "이 주소에 공개된 회의록이 없습니다." in page_text(response.content)
        listed = reader.get("/public/data-policy/").content.decode()
        assert addresses[0] not in listed and f"/{meeting.sequence}/" in listed
        csv = reader.get("/public/data-policy/minutes.csv").content.decode("utf-8-sig")
        assert addresses[0] not in csv and f"/{meeting.sequence}/" in csv
