"""One input boundary: what every text, number, date and JSON body must pass.

The rule itself (minutes_site.inputs), then the places that were found to
let a hostile value through: each answers with a message where the value was
typed, and nothing saved before is lost.
"""

import datetime
import json
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agenda import editing
from agenda.models import ReviewComment, Statement
from committees.models import Committee
from meetings.models import Meeting
from meetings.services import send_for_review
from minutes_site.inputs import (
    BadInput,
    clean_text,
    read_json,
    small_count,
    strip_control,
    text_problem,
    validate_meeting_day,
)

from .conftest import add_block
from .reference import REFERENCE
from .test_editor import block, save, state_of
from .test_import import needs_reference

pytestmark = pytest.mark.django_db


class TestTheTextRule:
    def test_ordinary_korean_text_passes_and_is_normalised_to_nfc(self):
        decomposed = "\u1112\u1161\u11ab\u1100\u1173\u11af"  # 한글 as a Mac types it
        assert clean_text(decomposed) == "한글"

    @pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x9b", "\ud800"])
    def test_control_characters_and_broken_surrogates_are_refused_with_their_place(self, char):
        with pytest.raises(ValidationError) as refused:
            clean_text(f"의결{char}함")
        message = refused.value.messages[0]
        assert f"U+{ord(char):04X}" in message
        assert "3" in message  # the third character

    def test_tab_and_line_breaks_are_text(self):
        assert text_problem("가\t나\r\n다") is None
        assert clean_text("가\r\n나\r다") == "가\n나\n다"

    def test_too_long_is_an_error_naming_the_limit_never_a_cut(self):
        with pytest.raises(ValidationError) as refused:
            clean_text("가" * 31, limit=30)
        assert "30" in refused.value.messages[0] and "31" in refused.value.messages[0]
        assert clean_text("가" * 30, limit=30) == "가" * 30

    def test_pasted_text_loses_its_control_characters_and_says_how_many(self):
        text, removed = strip_control("<간사>\x0c\n- 회의를\x00 시작\x07합니다.")
        assert text == "<간사>\n\n- 회의를 시작합니다."
        assert removed == 2

    @pytest.mark.parametrize("value", [-1, 32768, True, 1.5, "3", None])
    def test_counts_are_whole_numbers_within_the_column(self, value):
        with pytest.raises(ValidationError):
            small_count(value)
        assert small_count(32767) == 32767

    @pytest.mark.parametrize("year", [1, 1947, 2101, 9999])
    def test_meetings_are_dated_1948_to_2100(self, year):
        with pytest.raises(ValidationError):
            validate_meeting_day(datetime.date(year, 1, 1))
        validate_meeting_day(datetime.date(1948, 1, 1))
        validate_meeting_day(datetime.date(2100, 12, 31))


class TestJsonBodies:
    def request(self, rf, body):
        return rf.post("/x/", data=body, content_type="application/json")

    def test_deep_nesting_is_refused_before_parsing(self, rf):
        with pytest.raises(BadInput) as refused:
            read_json(self.request(rf, "[" * 5000 + "]" * 5000), max_bytes=10**6)
        assert refused.value.status == 400

    def test_brackets_inside_strings_do_not_count_as_nesting(self, rf):
        body = json.dumps({"text": "[" * 5000})
        assert read_json(self.request(rf, body), max_bytes=10**6) == {"text": "[" * 5000}

    def test_a_declared_size_over_the_limit_is_413_before_the_body_is_read(self, rf):
        request = self.request(rf, "{}")
        request.META["CONTENT_LENGTH"] = str(10**9)
        with pytest.raises(BadInput) as refused:
            read_json(request, max_bytes=1000)
        assert refused.value.status == 413

    @pytest.mark.parametrize("body", [b"\xff\xfe{}", b"{", b'{"a": NaN}', b"[1e999, Infinity]"])
    def test_broken_bodies_are_400(self, rf, body):
        with pytest.raises(BadInput):
            read_json(self.request(rf, body), max_bytes=1000)


class TestRemarksAutosave:
    """The editor's JSON answer names the block, the field and the problem."""

    def test_a_statement_over_the_limit_is_refused_and_nothing_is_cut(
        self, world, secretary_client
    ):
        meeting = world.meeting
        add_block(meeting, 1, ["처음 발언"], member=world.chair)
        state = state_of(secretary_client, meeting)
        long = "가" * (Statement.MAX_LENGTH + 1)
        response = save(
            secretary_client,
            meeting,
            {"blocks": [block(f"m:{world.chair.pk}", long, key="b1")], "resolutions": []},
            state["revision"],
        )
        assert response.status_code == 400
        error = response.json()["errors"][0]
        assert error["key"] == "b1"
        assert (
            f"{Statement.MAX_LENGTH:,}" in error["message"]
            or str(Statement.MAX_LENGTH) in (error["message"])
        )
        assert list(Statement.objects.values_list("text", flat=True)) == ["처음 발언"]

    @pytest.mark.parametrize(
        "field, value",
        [("statement", "발언\x00"), ("label", "간\x07사"), ("written_name", "홍\ud800")],
    )
    def test_control_characters_are_refused_per_field(self, world, secretary_client, field, value):
        meeting = world.meeting
        state = state_of(secretary_client, meeting)
        data = block("u", "발언", key="b1", label="위원", written_name="홍길동")
        if field == "statement":
            data["statements"] = [value]
        else:
            data[field] = value
        response = secretary_client.post(
            reverse("editor:save", args=[meeting.pk]),
            data=json.dumps({"base": state["revision"], "document": {"blocks": [data]}}),
            content_type="application/json",
        )
        assert response.status_code == 400
        assert "U+" in response.json()["errors"][0]["message"]
        assert not meeting.speaker_blocks.exists()

    @pytest.mark.parametrize("votes", [32768, -1, 10**12, "12", True])
    def test_vote_counts_outside_the_column_are_refused(self, world, secretary_client, votes):
        meeting = world.meeting
        state = state_of(secretary_client, meeting)
        resolution = {
            "key": "r1",
            "question": "원안 의결",
            "method": "ballot",
            "outcome": "passed",
            "votes_for": votes,
            "votes_against": 0,
        }
        response = save(
            secretary_client,
            meeting,
            {"blocks": [], "resolutions": [resolution]},
            state["revision"],
        )
        assert response.status_code == 400
        assert response.json()["errors"][0]["key"] == "r1"
        assert not meeting.resolutions.exists()

    def test_more_resolutions_than_a_meeting_holds_are_refused(self, world, secretary_client):
        state = state_of(secretary_client, world.meeting)
        resolution = {"question": "가", "method": "consensus", "outcome": "passed"}
        response = save(
            secretary_client,
            world.meeting,
            {"blocks": [], "resolutions": [resolution] * (editing.MAX_RESOLUTIONS + 1)},
            state["revision"],
        )
        assert response.status_code == 400
        assert str(editing.MAX_RESOLUTIONS) in response.json()["errors"][0]["message"]

    def test_a_lost_race_is_a_conflict_even_when_the_winner_changed_the_editor(
        self, world, secretary_client
    ):
        """The row is re-read under the lock; its last editor is read afresh."""
        meeting = Meeting.objects.get(pk=world.meeting.pk)
        other = get_user_model().objects.create_user("other_secretary")
        Meeting.objects.filter(pk=meeting.pk).update(updated_by=other)
        meeting = Meeting.objects.get(pk=meeting.pk)
        # What PostgreSQL's re-check of a locked row left: the id, no joined user.
        meeting._state.fields_cache["updated_by"] = None
        conflict = editing.Conflict(meeting)
        assert conflict.by == "other_secretary"


@pytest.mark.django_db(transaction=True)
def test_a_save_waiting_on_another_save_gets_the_conflict_not_an_error(world):
    """Two saves on one revision; the winner also changes who last edited.

    The loser waits on the row lock, and PostgreSQL hands it the winner's row
    re-read without the joined user: it must still answer with the conflict.
    """
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    meeting = world.meeting
    client = Client()
    client.force_login(world.secretary.person.user)
    base = state_of(client, meeting)["revision"]
    winner = get_user_model().objects.create_user("winner")
    answers = []

    def loser():
        document = {"blocks": [block("c", "늦은 발언")], "resolutions": []}
        answers.append(save(client, meeting, document, base))
        connection.close()

    thread = threading.Thread(target=loser)
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        thread.start()
        waiting = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        for _attempt in range(200):
            with connection.cursor() as cursor:
                cursor.execute(waiting)
                if cursor.fetchone()[0]:
                    break
            time.sleep(0.02)
        Meeting.objects.filter(pk=meeting.pk).update(updated_by=winner, updated_at=timezone.now())
    thread.join(timeout=30)
    assert answers[0].status_code == 409
    assert answers[0].json()["conflict"]["by"] == "winner"
    assert not meeting.speaker_blocks.exists()


class TestOverview:
    def post(self, client, meeting, **changes):
        page = client.get(reverse("editor:page", args=[meeting.pk]))
        form = page.context["form"]
        data = {
            "year": meeting.year,
            "sequence": meeting.sequence,
            "document_date": "2024-04",
            "day": "2024-04-18",
            "starts": "15:00",
            "ends": "17:00",
            "place": meeting.place,
            "non_members": form.initial["non_members"],
            "proceedings_text": "개회\n폐회",
            "unplaced_text": "",
            "revision": form.initial["revision"],
            "items-TOTAL_FORMS": "0",
            "items-INITIAL_FORMS": "0",
        }
        data.update(changes)
        return client.post(reverse("editor:page", args=[meeting.pk]), data)

    @pytest.mark.parametrize("day", ["0001-01-01", "1947-12-31", "2101-01-01", "9999-12-31"])
    def test_a_date_outside_1948_to_2100_is_a_field_error(self, world, secretary_client, day):
        response = self.post(secretary_client, world.meeting, day=day)
        assert response.status_code == 400
        assert "day" in response.context["form"].errors
        world.meeting.refresh_from_db()
        assert world.meeting.starts_at.year == 2024
        assert secretary_client.get(reverse("meetings:list")).status_code == 200

    def test_a_proceedings_line_over_its_column_is_refused_not_cut(self, world, secretary_client):
        response = self.post(
            secretary_client, world.meeting, proceedings_text="개회\n" + "가" * 301
        )
        assert response.status_code == 400
        [error] = response.context["form"].errors["proceedings_text"]
        assert "2" in error and "300" in error  # line 2, at most 300

    def test_a_non_member_name_longer_than_a_person_record_is_refused(
        self, world, secretary_client
    ):
        long_title = "홍길동 " + "가" * 101  # a person's title has at most 100
        response = self.post(secretary_client, world.meeting, non_members=long_title)
        assert response.status_code == 400
        assert "non_members" in response.context["form"].errors

    def test_a_forged_number_of_agenda_forms_is_refused_at_once(self, world, secretary_client):
        response = self.post(secretary_client, world.meeting, **{"items-TOTAL_FORMS": "100000"})
        assert response.status_code == 400
        assert response.context["formset"].non_form_errors()


class TestReviewComments:
    @pytest.fixture
    def in_review(self, world):
        add_block(world.meeting, 1, ["원래 발언"], member=world.chair)
        send_for_review(
            world.meeting,
            by=world.secretary.person.user,
            deadline=timezone.now() + datetime.timedelta(days=7),
        )
        return world.meeting

    def test_a_refused_comment_comes_back_as_typed_with_its_error_beside_it(self, world, in_review):
        client = Client()
        client.force_login(world.member_a.person.user)
        block_pk = in_review.speaker_blocks.get().pk
        reason = "사유" * 3000  # over the 5,000 characters a reason may have
        response = client.post(
            reverse("agenda:comment", args=[in_review.pk]),
            {"block": block_pk, "proposed_text": "고친 발언", "reason": reason},
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "5000" in html or "5,000" in html
        assert f"{reason}</textarea>" in html
        assert "고친 발언</textarea>" in html
        assert not ReviewComment.objects.exists()

    def test_a_nul_in_a_comment_is_refused(self, world, in_review):
        client = Client()
        client.force_login(world.member_a.person.user)
        response = client.post(
            reverse("agenda:comment", args=[in_review.pk]),
            {"block": in_review.speaker_blocks.get().pk, "proposed_text": "가\x00", "reason": "r"},
        )
        assert response.status_code == 400
        assert not ReviewComment.objects.exists()


class TestPaste:
    def test_control_characters_are_taken_out_and_counted(self, world, secretary_client):
        response = secretary_client.post(
            reverse("editor:parse", args=[world.meeting.pk]),
            data=json.dumps({"text": "<위원장>\x00\n- 회의를 시작\x07합니다.\x0c"}),
            content_type="application/json",
        )
        assert response.status_code == 200
        body = response.json()
        assert body["removed_characters"] == 2
        assert body["notes"]
        assert body["blocks"][0]["statements"] == ["회의를 시작합니다."]


class TestImportCommand:
    @needs_reference
    def test_the_report_is_printed_after_the_commit(self, world, tmp_path):
        """A reader closing the pipe early (| head) must not undo the import;
        a NUL in the file is taken out, not sent to the database."""
        source = tmp_path / "minutes.txt"
        text = REFERENCE.read_text(encoding="utf-8")
        source.write_text(text.replace("개회", "개\x00회", 1), encoding="utf-8")

        class ClosedPipe:
            def write(self, text):
                raise BrokenPipeError

            def flush(self):
                pass

        Committee.objects.create(name="빅데이터심의위원회", slug="bigdata")
        before = Meeting.objects.count()
        call_command("import_minutes", str(source), committee="bigdata", stdout=ClosedPipe())
        assert Meeting.objects.count() == before + 1
        stored = "".join(Statement.objects.values_list("text", flat=True))
        assert stored
        assert "\x00" not in stored


class TestRequestSize:
    """A body declared larger than the site takes is refused before it is read."""

    def test_a_100_mb_upload_to_the_verify_page_is_refused_unread(self, client):
        response = client.generic(
            "POST",
            reverse("meetings:verify"),
            data=b"--x--",
            content_type="multipart/form-data; boundary=x",
            CONTENT_LENGTH=str(100 * 1024 * 1024),
        )
        assert response.status_code == 413
        assert "21" in response.content.decode()  # the limit, in MB

    def test_a_pdf_just_over_20_mb_gets_the_verify_page_with_the_limit(self, client):
        response = client.generic(
            "POST",
            reverse("meetings:verify"),
            data=b"--x--",
            content_type="multipart/form-data; boundary=x",
            CONTENT_LENGTH=str(20 * 1024 * 1024 + 100 * 1024),
        )
        assert response.status_code == 413
        assert 'id="verify-problem"' in response.content.decode()

    def test_an_oversized_autosave_is_a_json_413(self, world, secretary_client):
        response = secretary_client.generic(
            "POST",
            reverse("editor:save", args=[world.meeting.pk]),
            data=b"{}",
            content_type="application/json",
            CONTENT_LENGTH=str(50 * 1024 * 1024),
        )
        assert response.status_code == 413
        assert response.json()["errors"][0]["message"]
