"""Search (meetings/search.py): the minutes a login may read, and the published public text.

Runs on SQLite and on PostgreSQL (DATABASE_URL), where the same queries go
through the pg_trgm indexes: the answers must be the same.
"""

import datetime
import importlib
import io
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from agenda.models import SpeakerBlock
from committees.models import MemberRole
from meetings import services
from meetings.models import Meeting, MinutesVersion, PublicPassage, Signatory
from meetings.search import highlight, index_public_version

from .conftest import add_block, make_committee, make_meeting, make_member

pytestmark = pytest.mark.django_db

SEARCH = reverse("meetings:search")
PUBLIC_SEARCH = reverse("public:search")


def hits(response):
    return response.context["results"].hits


def publish_demo():
    """The demo's signed meeting (load_demo --signed), published; its version."""
    call_command("load_demo", "--signed", stdout=io.StringIO())
    meeting = Meeting.objects.get(committee__slug="data-policy", sequence=2)
    services.publish(meeting, by=get_user_model().objects.get(username="secretary"))
    return MinutesVersion.objects.published().get(meeting=meeting)


# --- the public search -------------------------------------------------------------


def test_a_partial_korean_word_finds_the_published_demo_marked_and_linked_to_its_block(client):
    version = publish_demo()

    response = client.get(PUBLIC_SEARCH, {"q": "데이터"})

    assert response.status_code == 200
    found = [hit for hit in hits(response) if "빅<mark>데이터</mark>" in hit.snippet]
    assert found, "데이터 should find 빅데이터"
    hit = found[0]
    assert hit.meeting == "2026년 2차 데이터정책위원회"
    url, anchor = hit.url.split("#")
    assert url == reverse(
        "public:minutes", kwargs={"committee": "data-policy", "year": 2026, "sequence": 2}
    )
    number = int(anchor.removeprefix("remark-"))
    printed = version.content_data()["remarks"][number - 1]
    assert any("빅데이터" in statement for statement in printed["statements"])
    # The anchor is on the public page, around that block.
    page = client.get(url).content.decode()
    block = page.split(f'id="{anchor}"', 1)[1].split("</section>", 1)[0]
    assert "빅데이터" in block


def test_the_public_search_counts_passages_and_minutes(client):
    publish_demo()

    response = client.get(PUBLIC_SEARCH, {"q": "데이터"})

    results = response.context["results"]
    expected = PublicPassage.objects.filter(text__contains="데이터").count()
    assert results.total == expected > 0 and results.meetings == 1
    assert "<mark>" in response.content.decode()


def test_unpublished_minutes_are_never_in_public_results(client):
    publish_demo()
    # The demo's draft (1차) and a signed but unpublished text hold the same words.
    draft = Meeting.objects.get(committee__slug="data-policy", sequence=1)
    assert draft.status == Meeting.Status.DRAFT

    results = client.get(PUBLIC_SEARCH, {"q": "데이터", "committee": "data-policy"})

    assert {hit.url.split("#")[0] for hit in hits(results)} == {
        reverse("public:minutes", args=["data-policy", 2026, 2])
    }
    assert not PublicPassage.objects.filter(meeting=draft).exists()


def test_the_public_text_is_the_masked_one_and_headings_are_printed_public(client):
    version = publish_demo()
    names = version.content_data()["redact"]

    passages = list(PublicPassage.objects.filter(version=version))

    assert len(passages) == len(version.content_data()["remarks"])
    for passage in passages:
        assert not any(name in passage.text or name in passage.heading for name in names)
    assert {"위원장", "간사", "000위원"} <= {passage.heading for passage in passages}


def test_an_amendment_keeps_the_published_text_searchable_until_the_next_publication(client):
    version = publish_demo()
    meeting = version.meeting

    services.amend(meeting, by=get_user_model().objects.get(username="secretary"), reason="오기")

    assert set(PublicPassage.objects.values_list("version", flat=True)) == {version.pk}
    assert client.get(PUBLIC_SEARCH, {"q": "데이터"}).context["results"].total > 0


def test_publishing_again_replaces_the_meetings_passages(client):
    version = publish_demo()
    count = PublicPassage.objects.count()

    index_public_version(version)

    assert PublicPassage.objects.count() == count
    assert set(PublicPassage.objects.values_list("version", flat=True)) == set(
        MinutesVersion.objects.published().values_list("pk", flat=True)
    )


def test_the_migration_indexes_versions_published_before_it(client):
    version = publish_demo()
    before = list(PublicPassage.objects.order_by("position").values("position", "heading", "text"))
    PublicPassage.objects.all().delete()
    migration = importlib.import_module("meetings.migrations.0012_search")

    migration.index_published_versions(apps, connection.schema_editor())

    after = list(PublicPassage.objects.order_by("position").values("position", "heading", "text"))
    assert after == before and PublicPassage.objects.get(position=5).version == version


def test_public_filters_narrow_the_results(client):
    publish_demo()
    everything = client.get(PUBLIC_SEARCH, {"committee": "data-policy"}).context["results"]

    chair = client.get(PUBLIC_SEARCH, {"speaker": "위원장"}).context["results"]
    agenda = client.get(PUBLIC_SEARCH, {"agenda": "중기 추진계획"}).context["results"]
    in_may = client.get(PUBLIC_SEARCH, {"since": "2026-05-14", "until": "2026-05-14"})
    in_april = client.get(PUBLIC_SEARCH, {"since": "2026-04-01", "until": "2026-04-30"})
    other_year = client.get(PUBLIC_SEARCH, {"year": "2026", "q": "데이터"}).context["results"]

    assert 0 < chair.total < everything.total
    assert all(hit.heading == "위원장" for hit in chair.hits)
    assert 0 < agenda.total < everything.total
    assert all("중기 추진계획" in hit.agenda_title for hit in agenda.hits)
    assert in_may.context["results"].total == everything.total
    assert in_april.context["results"].total == 0
    assert other_year.total > 0


def test_a_bad_filter_is_a_message_and_the_good_ones_still_apply(client):
    publish_demo()

    response = client.get(
        PUBLIC_SEARCH, {"q": "데이터", "year": "1999", "since": "2026-06-01", "until": "2026-05-01"}
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"year", "until"}
    page = response.content.decode()
    assert 'id="search-errors"' in page and str(errors["year"][0]) in page
    # The words and the start of the period still apply: 5/14 is before 6/1.
    assert response.context["results"].total == 0
    without_since = client.get(PUBLIC_SEARCH, {"q": "데이터", "year": "1999"})
    assert without_since.status_code == 400 and without_since.context["results"].total > 0


def test_an_empty_search_shows_the_form_without_results(client):
    response = client.get(PUBLIC_SEARCH)

    assert response.status_code == 200 and response.context["results"] is None
    assert 'id="search-hint"' in response.content.decode()


# --- the logged-in search ----------------------------------------------------------


@pytest.fixture
def other_committee(world):
    """A second committee whose minutes member A may not read."""
    committee = make_committee(name="환경정책위원회", slug="environment")
    chair = make_member(committee, "고은별", role=MemberRole.Role.CHAIR)
    meeting = make_meeting(committee, sequence=1, day=datetime.date(2024, 5, 2))
    add_block(meeting, 1, ["미세먼지 빅데이터 관측망 확대"], member=chair)
    return meeting


def test_the_logged_in_search_finds_words_in_the_users_drafts_linked_to_the_block(
    client, world, other_committee
):
    add_block(world.meeting, 1, ["개회를 선언함."], member=world.chair)
    statements = ["교통 빅데이터 플랫폼 예산을 설명함.", "질의 없음."]
    add_block(world.meeting, 2, statements, member=world.secretary)
    client.force_login(world.member_a.person.user)

    response = client.get(SEARCH, {"q": "데이터 예산"})

    assert response.status_code == 200
    [hit] = hits(response)
    assert hit.url == f"/meetings/{world.meeting.pk}/#remark-2"
    assert hit.heading == "오세린 간사"
    assert "빅<mark>데이터</mark>" in hit.snippet and "<mark>예산</mark>" in hit.snippet
    page = client.get(hit.url.split("#")[0]).content.decode()
    assert "교통 빅데이터 플랫폼" in page.split('id="remark-2"', 1)[1].split("</section>", 1)[0]


def test_another_committees_minutes_never_appear(client, world, other_committee):
    add_block(world.meeting, 1, ["교통 빅데이터 현황"], member=world.chair)
    client.force_login(world.member_a.person.user)

    response = client.get(SEARCH, {"q": "빅데이터"})

    assert [hit.meeting for hit in hits(response)] == [str(world.meeting)]
    assert "미세먼지" not in response.content.decode()
    assert "환경정책위원회" not in response.content.decode()


def test_staff_see_every_committee(client, world, other_committee):
    add_block(world.meeting, 1, ["교통 빅데이터 현황"], member=world.chair)
    client.force_login(world.secretary.person.user)  # a staff account

    response = client.get(SEARCH, {"q": "빅데이터"})

    assert {hit.meeting for hit in hits(response)} == {str(world.meeting), str(other_committee)}


def test_logged_in_filters_speaker_agenda_committee_year_and_dates(client, world, other_committee):
    add_block(world.meeting, 1, ["노선 개편 설명"], member=world.secretary)
    block = add_block(world.meeting, 2, ["노선 개편 질의"], member=world.member_a)
    SpeakerBlock.objects.filter(pk=block.pk).update(agenda_item=world.item)
    client.force_login(world.secretary.person.user)

    def found(**query):
        return [hit.url for hit in hits(client.get(SEARCH, query))]

    assert found(q="노선", speaker="문가람") == [f"/meetings/{world.meeting.pk}/#remark-2"]
    assert found(q="노선", speaker="간사") == [f"/meetings/{world.meeting.pk}/#remark-1"]
    assert found(agenda="노선 개편안") == [f"/meetings/{world.meeting.pk}/#remark-2"]
    assert len(found(committee="environment")) == 1
    assert len(found(committee="traffic", year="2024")) == 2
    assert found(since="2024-04-18", until="2024-04-18", q="노선") != []
    assert found(since="2024-04-19", q="노선") == []


def test_a_frozen_version_is_searched_as_its_minutes_page_prints_it(client, people):
    """From confirmation on the page shows the frozen version: the tables hold
    exactly that text until an amendment, so the anchors agree."""
    meeting = people.meeting
    meeting.status = Meeting.Status.IN_REVIEW
    meeting.save(update_fields=["status"])
    services.confirm(meeting, by=people.staff_person.user)
    client.force_login(people.member_a.person.user)

    response = client.get(SEARCH, {"q": "발언 4-"})

    [hit] = hits(response)
    number = int(hit.url.split("#remark-")[1])
    printed = meeting.current_version().content_data()["remarks"][number - 1]
    assert printed["statements"][0].startswith("발언 4-")


def test_like_wildcards_are_letters_to_find(client, world):
    add_block(world.meeting, 1, ["참석률 100% 달성"], member=world.chair)
    add_block(world.meeting, 2, ["다른 발언"], member=world.chair)
    client.force_login(world.member_a.person.user)

    assert len(hits(client.get(SEARCH, {"q": "%"}))) == 1
    assert hits(client.get(SEARCH, {"q": "_"})) == []


def test_snippets_are_escaped_and_only_the_matches_are_marked(client, world):
    add_block(world.meeting, 1, ['<script>alert("데이터")</script> & 데이터'], member=world.chair)
    client.force_login(world.member_a.person.user)

    page = client.get(SEARCH, {"q": "데이터"}).content.decode()

    assert "<script>alert" not in page
    assert (
        "&lt;script&gt;alert(&quot;<mark>데이터</mark>&quot;)&lt;/script&gt; "
        "&amp; <mark>데이터</mark>" in page
    )


def test_a_long_passage_is_cut_around_the_first_match():
    text = "가" * 300 + " 빅데이터 " + "나" * 300

    snippet = highlight(text, ["데이터"])

    assert snippet.startswith("…") and snippet.endswith("…")
    assert "빅<mark>데이터</mark>" in snippet and len(snippet) < 250


def test_results_are_paginated(client, world):
    for position in range(1, 26):
        add_block(world.meeting, position, [f"안건 토의 {position}"], member=world.chair)
    client.force_login(world.member_a.person.user)

    first = client.get(SEARCH, {"q": "토의"})
    second = client.get(SEARCH, {"q": "토의", "page": "2"})
    beyond = client.get(SEARCH, {"q": "토의", "page": "3"})

    assert first.context["results"].total == 25 and len(hits(first)) == 20
    assert [hit.url.split("#")[1] for hit in hits(second)] == [f"remark-{n}" for n in range(21, 26)]
    assert beyond.status_code == 400 and "page" in beyond.context["form"].errors
    assert len(hits(beyond)) == 20


def add_meetings(committee, chair, count, *, first_sequence):
    for offset in range(count):
        meeting = make_meeting(
            committee, sequence=first_sequence + offset, day=datetime.date(2024, 6, 1)
        )
        for position in range(1, 4):
            add_block(meeting, position, [f"빅데이터 예산 {position}"], member=chair)


def test_the_query_count_does_not_grow_with_the_data(client, world, django_assert_num_queries):
    """Logged in: the user (the session is cached), the committees and years
    offered, the count, the page, its statements, its meetings' block order,
    the navbar's tasks."""
    user = world.member_a.person.user
    client.force_login(user)
    add_meetings(world.committee, world.chair, 2, first_sequence=10)
    with django_assert_num_queries(7):
        small = client.get(SEARCH, {"q": "데이터"})
    add_meetings(world.committee, world.chair, 10, first_sequence=20)
    with django_assert_num_queries(7):
        large = client.get(SEARCH, {"q": "데이터"})
    assert small.context["results"].total == 6 and large.context["results"].total == 36


def test_the_public_query_count_does_not_grow_with_the_data(client, django_assert_num_queries):
    """Anonymous: the committees and years offered, the count, the page."""
    version = publish_demo()
    with django_assert_num_queries(3):
        small = client.get(PUBLIC_SEARCH, {"q": "데이터"})
    copies = [
        PublicPassage(
            **{
                **{f.attname: getattr(p, f.attname) for f in PublicPassage._meta.concrete_fields},
                "id": None,
                "position": p.position + 1000 * n,
            }
        )
        for n in range(1, 6)
        for p in PublicPassage.objects.filter(version=version)
    ]
    PublicPassage.objects.bulk_create(copies)
    with django_assert_num_queries(3):
        large = client.get(PUBLIC_SEARCH, {"q": "데이터"})
    assert large.context["results"].total == 6 * small.context["results"].total


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's trigram indexes")
def test_postgresql_answers_icontains_from_the_trigram_index():
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        # Without an ORDER BY: on an empty table the planner would rather walk
        # the ordering's index than use any other.
        matches = PublicPassage.objects.filter(text__icontains="데이터").order_by()
        sql, params = matches.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "public_passage_text_trgm" in plan
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["%_trgm"])
        indexes = {row[0] for row in cursor.fetchall()}
    assert {
        "statement_text_trgm",
        "public_passage_heading_trgm",
        "agenda_item_title_trgm",
    } <= indexes


def test_the_navbar_links_the_search(client, world):
    client.force_login(world.member_a.person.user)

    page = client.get(reverse("meetings:list")).content.decode()

    assert f'href="{SEARCH}"' in page


def test_anonymous_visitors_are_sent_to_log_in_for_the_internal_search(client):
    response = client.get(SEARCH, {"q": "데이터"})

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_signatories_see_the_meetings_they_sign(client, world, other_committee):
    """for_user: being named in the signature block is enough to read (and search) them."""
    User = get_user_model()
    outsider = User.objects.create_user("outsider")
    person = world.member_b.person
    person.user = outsider
    person.save()
    Signatory.objects.create(meeting=other_committee, role="signer", person=person)
    client.force_login(outsider)

    response = client.get(SEARCH, {"q": "미세먼지"})

    assert [hit.meeting for hit in hits(response)] == [str(other_committee)]
    assert re.search(r"#remark-1$", hits(response)[0].url)
