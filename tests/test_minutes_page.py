"""The minutes page: every section, in the reference's order, internal and public."""

import pytest
from django.urls import reverse

from meetings.models import Meeting

from .html import read_minutes


def expected_remarks(meeting, *, public):
    """What the database says the remarks are, block by block, in order."""
    return [
        (f"<{block.heading(public=public)}>", [s.text for s in block.statements.all()])
        for block in meeting.speaker_blocks.order_by("position")
    ]


def test_every_statement_is_under_its_speaker_heading_in_order(secretary_client, world):
    world.add_remarks(12)

    response = secretary_client.get(world.meeting.get_absolute_url())

    remarks, _ = read_minutes(response)
    assert remarks == expected_remarks(world.meeting, public=False)
    assert len(remarks) == 12
    assert [heading for heading, _ in remarks[:6]] == [
        "<한도윤 위원장>",
        "<문가람 위원>",
        "<임채윤 팀장>",
        "<위원>",
        "<서지안 위원>",
        "<오세린 간사>",
    ]


def test_sections_come_in_the_reference_order(secretary_client, world):
    world.add_remarks(3)

    html = secretary_client.get(world.meeting.get_absolute_url()).content.decode()

    landmarks = [
        'id="signature-block"',
        'id="cover"',
        '<h1 class="minutes-title">2024년 1차 「교통정책위원회」 회의록</h1>',
        "〈회의개요〉",
        "◆ 일 시",
        "◆ 장 소",
        "◆ 참석위원",
        "* 배석",
        "◆ 진행순서",
        "◆ 상정안건",
        "□ 위원 발언내용",
    ]
    positions = [html.index(landmark) for landmark in landmarks]
    assert positions == sorted(positions)


def test_overview_prints_date_place_and_derived_attendance(secretary_client, world):
    _, texts = read_minutes(secretary_client.get(world.meeting.get_absolute_url()))

    assert texts["overview-when"] == "◆ 일 시 : '24. 4. 18.(목) 15:00~17:00"
    assert texts["overview-place"] == "◆ 장 소 : 시청 영상회의실(6층)"
    # Chair, member A and the internal member attended; member B was absent and
    # the secretary runs the meeting without being counted.
    assert texts["overview-members"].startswith("◆ 참석위원 : 3명")
    # Names in 가나다 order, as printed in the reference.
    assert texts["overview-external"] == "외부위원(2명) : 문가람, 한도윤"
    assert texts["overview-internal"] == "내부위원(1명) : 서지안 도시계획국장"
    assert texts["overview-attendees"] == "* 배석 : 임채윤 교통데이터팀장, 담당 팀장 등"
    assert "심의 1건" in texts["overview-agenda"]
    assert "【1】 버스 노선 개편안" in texts["overview-agenda"]


def test_signature_block_names_signers_confirmer_and_author(secretary_client, world):
    _, texts = read_minutes(secretary_client.get(world.meeting.get_absolute_url()))

    block = texts["signature-block"]
    assert "열람·서명자 교통정책위원 성명 한도윤 (서명 또는 인) 교통정책위원 성명 문가람" in block
    assert "확 인 자 교통데이터팀장 성명 임채윤" in block
    assert "작 성 자 교통정책팀장 성명 오세린" in block


def test_public_version_masks_names_in_headings_and_statements(secretary_client, world):
    world.add_remarks(6)
    block = world.meeting.speaker_blocks.get(position=2)
    block.statements.create(
        position=9, text="문가람 위원의 의견에 동의하며 임채윤 팀장에게 질문함."
    )

    response = secretary_client.get(world.meeting.get_absolute_url(), {"version": "public"})

    remarks, texts = read_minutes(response)
    headings = [heading for heading, _ in remarks]
    assert headings == ["<위원장>", "<000위원>", "<000팀장>", "<위원>", "<000위원>", "<간사>"]
    statements = [s for _, statements in remarks for s in statements]
    assert "000 위원의 의견에 동의하며 000 팀장에게 질문함." in statements
    remarks_text = texts["remarks"]
    for name in ["한도윤", "오세린", "문가람", "배하늘", "서지안", "임채윤"]:
        assert name not in remarks_text
    # The attendance list and the signature block keep the names.
    assert "문가람" in texts["overview-external"]
    assert "문가람" in texts["signature-block"]


def test_internal_version_is_the_default_and_shows_real_names(secretary_client, world):
    world.add_remarks(6)

    response = secretary_client.get(world.meeting.get_absolute_url())

    remarks, _ = read_minutes(response)
    assert "<오세린 간사>" in [heading for heading, _ in remarks]
    assert b'data-version="internal"' in response.content


@pytest.mark.parametrize("blocks", [10, 300])
def test_query_count_does_not_grow_with_the_remarks(
    blocks, secretary_client, world, django_assert_num_queries
):
    world.add_remarks(blocks)
    url = world.meeting.get_absolute_url()
    # the user (the session is cached), then the meeting with its committee and 10 prefetches
    # (attendances, member roles, non-member attendees, proceedings, agenda
    # items, resolutions, speaker blocks, statements, signatories, roster):
    # the same for 10 speaker blocks as for 300. The workflow buttons read the
    # prefetched signature block (the secretary is its author); the menu's
    # staff links read the secretary's permissions (user and group); the
    # history (status changes: none yet, so no signatures) and the navbar's
    # task badge (meetings.tasks.tasks_for): one each, no more. The meeting is
    # read once more first, alone: a text shown before comes from the "pages"
    # cache without the minutes (tests/test_speed.py). The 검토 요청 dialog's
    # reasons (services.review_problems) read the loaded minutes, and the open
    # points to check in one more. (A second visit costs three: test_speed.py.)
    with django_assert_num_queries(18):
        response = secretary_client.get(url)
    remarks, _ = read_minutes(response)
    assert len(remarks) == blocks


def test_members_of_other_committees_get_404(client, world, django_user_model):
    outsider = django_user_model.objects.create_user("outsider", password="pw")
    client.force_login(outsider)

    assert client.get(world.meeting.get_absolute_url()).status_code == 404
    assert world.meeting not in Meeting.objects.for_user(outsider)


def test_a_member_reads_their_committees_minutes(client, world):
    client.force_login(world.member_a.person.user)

    response = client.get(reverse("meetings:list"))

    assert response.status_code == 200
    assert world.meeting.get_absolute_url().encode() in response.content
    assert client.get(world.meeting.get_absolute_url()).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(world.meeting.get_absolute_url())

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_statement_markup_is_escaped(secretary_client, world):
    from .conftest import add_block

    add_block(world.meeting, 1, ["<script>alert(1)</script> 확인함."], member=world.chair)

    response = secretary_client.get(world.meeting.get_absolute_url())

    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt; \xed\x99\x95\xec\x9d\xb8\xed\x95\xa8." in (
        response.content
    )


def test_every_asset_is_served_by_the_app_itself(secretary_client, world):
    """No CDN: stylesheets and scripts are local static files that exist."""
    import re

    from django.contrib.staticfiles import finders

    html = secretary_client.get(world.meeting.get_absolute_url()).content.decode()

    assets = re.findall(r'(?:src|href)="([^"]+\.(?:css|js))"', html)
    assert assets, "the page should load Bootstrap and its own stylesheet"
    for url in assets:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), url
