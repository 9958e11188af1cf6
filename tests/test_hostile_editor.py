"""Hostile input to the editor: the overview form, the remarks autosave and the paste.

Each test starts from what the page itself would send (the overview form as
rendered, the remarks as the editor's state gives them) and changes one value.
A refusal is a 4xx with the editor's JSON "errors" (or the form shown again
with its error), and the saved minutes stay exactly as they were.
"""

import json
import re

import pytest
from django.urls import reverse

from agenda import editing

from .forms import form_data
from .hostile import (
    CONTROL_CHARACTERS,
    answered,
    contains,
    form_errors,
    hostile_client,
    post_json,
    quickly,
    refused,
    refused_json,
    refused_or_cleaned,
    snapshot,
)

pytestmark = pytest.mark.django_db

LONE_SURROGATE = "\ud800"


@pytest.fixture
def secretary(world):
    world.add_remarks(3)
    return hostile_client(world.secretary.person.user)


def still_readable(client, meeting):
    """The pages that list and print the meeting still open afterwards."""
    assert answered(client.get(reverse("meetings:list"))).status_code == 200
    assert answered(client.get(meeting.get_absolute_url())).status_code == 200
    assert answered(client.get(reverse("editor:page", args=[meeting.pk]))).status_code == 200


# --- the overview form ---------------------------------------------------------------


def overview(client, meeting):
    """The overview form's fields as the page renders them."""
    page = answered(client.get(reverse("editor:page", args=[meeting.pk])))
    return form_data(page, "overview-form")


def post_overview(client, meeting, data):
    return client.post(reverse("editor:page", args=[meeting.pk]), data)


def test_the_overview_as_rendered_is_accepted(secretary, world):
    """The starting point of every case below: the page's own form saves."""
    data = overview(secretary, world.meeting)
    data["place"] = "본청 3층 대회의실"

    response = answered(post_overview(secretary, world.meeting, data))

    assert response.status_code == 302, form_errors(response)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1947-12-31", "2101-01-01"])
def test_a_date_outside_any_real_meeting_is_a_field_error(secretary, world, day):
    data = overview(secretary, world.meeting)
    data.update(day=day, starts="10:00", ends="12:00")
    before = snapshot(world.meeting)

    response = refused(post_overview(secretary, world.meeting, data))

    assert response.status_code in (200, 400) and form_errors(response)
    assert snapshot(world.meeting) == before
    still_readable(secretary, world.meeting)


@pytest.mark.parametrize("month", ["0001-01", "9999-12"])
def test_a_document_date_outside_any_real_meeting_is_a_field_error(secretary, world, month):
    data = overview(secretary, world.meeting)
    data["document_date"] = month
    before = snapshot(world.meeting)

    refused(post_overview(secretary, world.meeting, data))

    assert snapshot(world.meeting) == before
    still_readable(secretary, world.meeting)


@pytest.mark.parametrize("year", ["0", "-1", "99999", "1e3"])
def test_an_impossible_year_is_a_field_error(secretary, world, year):
    data = overview(secretary, world.meeting)
    data["year"] = year
    before = snapshot(world.meeting)

    refused(post_overview(secretary, world.meeting, data))

    assert snapshot(world.meeting) == before


@pytest.mark.parametrize(
    "field", ["place", "non_members", "proceedings_text", "unplaced_text", "items-0-title"]
)
@pytest.mark.parametrize("character", CONTROL_CHARACTERS)
def test_control_characters_in_the_overview_are_refused_or_removed(
    secretary, world, field, character
):
    data = overview(secretary, world.meeting)
    data[field] = f"{data.get(field) or '본청'}{character}끝"
    before = snapshot(world.meeting)

    response = post_overview(secretary, world.meeting, data)

    refused_or_cleaned(response, world.meeting, before, [character])


@pytest.mark.parametrize(
    "field, limit", [("place", 200), ("non_members", 200), ("proceedings_text", 300)]
)
def test_an_overlong_line_is_a_field_error_not_silently_cut(secretary, world, field, limit):
    data = overview(secretary, world.meeting)
    data[field] = "가" * (limit + 1)
    before = snapshot(world.meeting)

    response = refused(post_overview(secretary, world.meeting, data))

    assert form_errors(response)
    assert snapshot(world.meeting) == before


def test_33000_proceedings_items_are_refused(secretary, world):
    """More rows than a position (a small integer) can number."""
    data = overview(secretary, world.meeting)
    data["proceedings_text"] = "안건\n" * 33_000
    before = snapshot(world.meeting)

    refused(post_overview(secretary, world.meeting, data))

    assert snapshot(world.meeting) == before


@pytest.mark.parametrize(
    "field, value",
    [
        ("items-TOTAL_FORMS", "100000"),
        ("items-INITIAL_FORMS", "100000"),
        ("items-TOTAL_FORMS", "abc"),
        ("items-INITIAL_FORMS", "-5"),
    ],
)
def test_a_forged_formset_count_is_refused_quickly(secretary, world, field, value):
    data = overview(secretary, world.meeting)
    assert field in data  # the prefix is the page's own
    data[field] = value
    before = snapshot(world.meeting)

    with quickly(5):
        response = refused(post_overview(secretary, world.meeting, data))

    assert response.status_code in (200, 400)
    assert snapshot(world.meeting) == before


@pytest.mark.parametrize(
    "field, value",
    [
        ("present", "99999999999999999999"),
        ("present", "-1"),
        ("present", "abc"),
        ("items-0-number", "99999"),
        ("items-0-number", "-1"),
        ("items-0-kind", "../../etc"),
        ("items-0-id", "99999999999999999999"),
        ("sequence", "1.5"),
        ("starts", "25:61"),
        ("day", "2024-02-30"),
    ],
)
def test_impossible_choices_and_numbers_are_field_errors(secretary, world, field, value):
    data = overview(secretary, world.meeting)
    data[field] = value
    before = snapshot(world.meeting)

    response = refused(post_overview(secretary, world.meeting, data))

    assert form_errors(response)
    assert snapshot(world.meeting) == before


@pytest.mark.parametrize("revision", [None, "", "2020-01-01T00:00:00+00:00", "\x00", "가" * 5000])
def test_an_absent_or_stale_revision_saves_nothing(secretary, world, revision):
    data = overview(secretary, world.meeting)
    data["place"] = "내가 바꾼 장소"
    if revision is None:
        del data["revision"]
    else:
        data["revision"] = revision
    before = snapshot(world.meeting)

    response = refused(post_overview(secretary, world.meeting, data))

    assert form_errors(response)
    assert snapshot(world.meeting) == before


# --- the remarks autosave ---------------------------------------------------------------


def save_url(meeting):
    return reverse("editor:save", args=[meeting.pk])


def current(client, meeting):
    """The editor's state, as the page loads it: the document and its revision."""
    response = answered(client.get(reverse("editor:state", args=[meeting.pk])))
    assert response.status_code == 200
    state = response.json()
    return {"base": state["revision"], "document": state}


def a_resolution(after, **fields):
    return {
        "key": "r-new",
        "after": after,
        "agenda_item": None,
        "question": "버스 노선 개편안 의결",
        "method": "show_of_hands",
        "outcome": "passed",
        "votes_for": 5,
        "votes_against": 1,
        "abstentions": 0,
        **fields,
    }


def test_the_state_as_loaded_saves_again(secretary, world):
    """The starting point of every case below: the page's own document saves."""
    body = current(secretary, world.meeting)
    first = body["document"]["blocks"][0]["key"]
    body["document"]["resolutions"].append(a_resolution(first))

    response = answered(post_json(secretary, save_url(world.meeting), body))

    assert response.status_code == 200, response.content


def put(body, place, value):
    """Set one value of the document: a statement, a label, a name or a question."""
    blocks = body["document"]["blocks"]
    if place == "statement":
        blocks[0]["statements"][0] = value
    elif place == "label":
        blocks[0]["label"] = value
    elif place == "written_name":
        blocks[0].update(speaker="u", written_name=value, label="위원")
    elif place == "question":
        body["document"]["resolutions"].append(a_resolution(blocks[0]["key"], question=value))
    return body


TEXT_PLACES = ["statement", "label", "written_name", "question"]


@pytest.mark.parametrize("place", TEXT_PLACES)
@pytest.mark.parametrize("character", CONTROL_CHARACTERS)
def test_control_characters_in_the_remarks_are_refused_or_removed(
    secretary, world, place, character
):
    body = put(current(secretary, world.meeting), place, f"발언{character}내용")
    before = snapshot(world.meeting)

    response = post_json(secretary, save_url(world.meeting), body)

    if response.status_code >= 400:
        refused_json(response)
    refused_or_cleaned(response, world.meeting, before, [character])


@pytest.mark.parametrize("place", TEXT_PLACES)
def test_a_lone_surrogate_in_the_remarks_is_refused(secretary, world, place):
    body = put(current(secretary, world.meeting), place, "발언MARK내용")
    # A JSON escape: json.loads() turns it into a lone surrogate, which no
    # text encoding (and no database) can hold.
    raw = json.dumps(body).replace("MARK", "\\ud800").encode()
    before = snapshot(world.meeting)

    response = post_json(secretary, save_url(world.meeting), raw)

    if response.status_code >= 400:
        refused_json(response)
    refused_or_cleaned(response, world.meeting, before, [LONE_SURROGATE])


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"[" * 5000 + b"]" * 5000, id="5000-nested-arrays"),
        pytest.param(
            b'{"base": "x", "document": {"blocks": ' + b"[" * 5000 + b"]" * 5000 + b"}}",
            id="5000-nested-blocks",
        ),
        pytest.param(
            b'{"base": "x", "document": ' + b'{"a":' * 5000 + b"1" + b"}" * 5000 + b"}",
            id="5000-nested-objects",
        ),
        pytest.param(b'{"x": "\xff\xfe"}', id="invalid-utf8"),
        pytest.param(b'{"base": "\xc3"}', id="truncated-utf8"),
        pytest.param(b"\x00", id="nul-byte"),
        pytest.param(b"[]", id="array"),
        pytest.param(b'"x"', id="string"),
        pytest.param(b"null", id="null"),
        pytest.param(b"1e999", id="infinite-number"),
        pytest.param(b"NaN", id="nan"),
        pytest.param(b"true", id="boolean"),
        pytest.param(b"", id="empty-body"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused(secretary, world, raw):
    before = snapshot(world.meeting)

    refused_json(post_json(secretary, save_url(world.meeting), raw))

    assert snapshot(world.meeting) == before


def test_a_body_over_the_size_limit_is_refused(secretary, world, settings):
    body = current(secretary, world.meeting)
    body["document"]["blocks"][0]["statements"] = ["가" * 1000] * (
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 3000 + 10
    )
    before = snapshot(world.meeting)

    response = refused(post_json(secretary, save_url(world.meeting), body))

    assert 400 <= response.status_code < 500
    assert snapshot(world.meeting) == before


def document_shapes():
    """One change each to the document's structure, as (name, change)."""

    def block0(**fields):
        def change(body):
            body["document"]["blocks"][0].update(fields)

        return change

    def resolution(**fields):
        def change(body):
            extra = dict(fields)
            after = extra.pop("after", body["document"]["blocks"][0]["key"])
            body["document"]["resolutions"].append(a_resolution(after, **extra))

        return change

    def document(value):
        def change(body):
            body["document"] = value

        return change

    def key(name, value):
        def change(body):
            body["document"][name] = value

        return change

    return [
        ("document-missing", lambda body: body.pop("document")),
        ("document-list", document([])),
        ("document-string", document("x")),
        ("blocks-object", key("blocks", {"0": {}})),
        ("blocks-null", key("blocks", None)),
        ("resolutions-string", key("resolutions", "x")),
        ("block-list", key("blocks", [[1, 2]])),
        ("statements-string", block0(statements="문장")),
        ("statement-null", block0(statements=[None])),
        ("statement-object", block0(statements=[{"text": "x"}])),
        ("speaker-number", block0(speaker=123)),
        ("speaker-huge-member", block0(speaker="m:99999999999999999999")),
        ("speaker-negative-attendee", block0(speaker="a:-1")),
        ("agenda-item-string", block0(agenda_item="1")),
        ("agenda-item-float", block0(agenda_item=1.5)),
        ("agenda-item-huge", block0(agenda_item=99999999999999999999)),
        ("block-key-list", block0(key=["a", "b"])),
        ("block-key-object", block0(key={"a": 1})),
        ("resolution-after-list", resolution(after=["x"])),
        ("resolution-key-list", resolution(key=["x"])),
        ("resolution-method-unknown", resolution(method="../../")),
        ("resolution-outcome-received", resolution(outcome="received")),
        ("resolution-agenda-item-huge", resolution(agenda_item=99999999999999999999)),
    ]


@pytest.mark.parametrize(
    "change", [pytest.param(change, id=name) for name, change in document_shapes()]
)
def test_a_document_of_the_wrong_shape_is_refused(secretary, world, change):
    body = current(secretary, world.meeting)
    change(body)
    before = snapshot(world.meeting)

    refused_json(post_json(secretary, save_url(world.meeting), body))

    assert snapshot(world.meeting) == before


@pytest.mark.parametrize("where", ["blocks", "resolutions"])
@pytest.mark.parametrize("row_id", [99999999999999999999, -1, "1", 1.0])
def test_an_unknown_row_id_is_a_new_row_or_refused_never_a_server_error(
    secretary, world, where, row_id
):
    """An id is only the editor's note of which stored row a text was: an id
    that names none is a new row (or refused), and the other rows are kept."""
    body = current(secretary, world.meeting)
    document = body["document"]
    if where == "blocks":
        document["blocks"].append(
            {"key": "new", "id": row_id, "speaker": "c", "label": "위원", "statements": ["예"]}
        )
    else:
        document["resolutions"].append(a_resolution(document["blocks"][0]["key"], id=row_id))
    kept = [b["statements"] for b in document["blocks"][:-1]] if where == "blocks" else None
    before = snapshot(world.meeting)

    response = answered(post_json(secretary, save_url(world.meeting), body))

    if response.status_code == 200:
        stored = current(secretary, world.meeting)["document"]["blocks"]
        assert [b["statements"] for b in stored][: len(kept or [])] == (kept or [])
    else:
        refused_json(response)
        assert snapshot(world.meeting) == before


@pytest.mark.parametrize("field", ["votes_for", "abstentions"])
@pytest.mark.parametrize("value", ["32768", "1000000", "-1", "1.5", '"3"', "1e5", "true"])
def test_an_impossible_vote_count_is_refused_with_a_message(secretary, world, field, value):
    body = current(secretary, world.meeting)
    key = body["document"]["blocks"][0]["key"]
    body["document"]["resolutions"].append(a_resolution(key, **{field: "VOTES"}))
    raw = json.dumps(body).replace('"VOTES"', value)
    before = snapshot(world.meeting)

    refused_json(post_json(secretary, save_url(world.meeting), raw))

    assert snapshot(world.meeting) == before


def compact(rows):
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


@pytest.mark.parametrize("what", ["blocks", "statements", "resolutions"])
def test_33000_of_anything_in_one_save_is_refused_with_a_message(secretary, world, settings, what):
    body = current(secretary, world.meeting)
    document = body["document"]
    if what == "blocks":
        document["blocks"] = [{"speaker": "c", "label": "위원", "statements": ["예"]}] * 33_000
    elif what == "statements":
        document["blocks"][0]["statements"] = ["예"] * 33_000
    else:
        key = document["blocks"][0]["key"]
        document["resolutions"] = [
            {"after": key, "question": "의결", "method": "no_objection", "outcome": "passed"}
        ] * 33_000
    raw = compact(body).encode()
    # The count is what must be refused, not the size of the body.
    assert len(raw) < settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    before = snapshot(world.meeting)

    refused_json(post_json(secretary, save_url(world.meeting), raw))

    assert snapshot(world.meeting) == before


def test_a_100000_character_statement_is_refused_naming_the_limit(secretary, world):
    body = current(secretary, world.meeting)
    body["document"]["blocks"][0]["statements"][0] = "가" * 100_000
    before = snapshot(world.meeting)

    errors = refused_json(post_json(secretary, save_url(world.meeting), body))

    numbers = [
        int(re.sub(r"\D", "", n)) for e in errors for n in re.findall(r"\d[\d,.]*", e["message"])
    ]
    assert any(100 <= n < 100_000 for n in numbers), f"no limit named in {errors}"
    assert snapshot(world.meeting) == before


@pytest.mark.parametrize(
    "place, length",
    [
        ("statement", editing.MAX_STATEMENT_LENGTH + 1),
        ("label", 1000),
        ("written_name", 1000),
        ("question", 1000),
    ],
)
def test_overlong_text_is_refused_not_silently_cut(secretary, world, place, length):
    body = put(current(secretary, world.meeting), place, "가" * length)
    before = snapshot(world.meeting)

    refused_json(post_json(secretary, save_url(world.meeting), body))

    assert snapshot(world.meeting) == before


@pytest.mark.parametrize(
    "base", [pytest.param("absent", id="absent"), None, 123, [], "2020-01-01T00:00:00+00:00"]
)
def test_an_absent_or_stale_base_revision_saves_nothing(secretary, world, base):
    body = current(secretary, world.meeting)
    body["document"]["blocks"][0]["statements"][0] = "내가 고친 발언"
    if base == "absent":
        del body["base"]
    else:
        body["base"] = base
    before = snapshot(world.meeting)

    response = answered(post_json(secretary, save_url(world.meeting), body))

    assert 400 <= response.status_code < 500
    assert "conflict" in response.json() or response.json().get("errors")
    assert snapshot(world.meeting) == before


def test_saving_the_remarks_needs_a_post(secretary, world):
    response = answered(secretary.get(save_url(world.meeting)))

    assert response.status_code == 405


# --- the paste -----------------------------------------------------------------------


def paste_url(meeting):
    return reverse("editor:parse", args=[meeting.pk])


def test_a_paste_is_parsed(secretary, world):
    """The starting point: the paste endpoint answers with blocks."""
    response = answered(post_json(secretary, paste_url(world.meeting), {"text": "<간사>\n- 개회"}))

    assert response.status_code == 200 and response.json()["blocks"]


@pytest.mark.parametrize(
    "character", [*CONTROL_CHARACTERS, pytest.param(LONE_SURROGATE, id="surrogate")]
)
def test_control_characters_in_a_paste_are_refused_or_removed(secretary, world, character):
    raw = json.dumps({"text": "<간사>\n- 개회MARK선언\n\n<위원장>\n- 인사"})
    raw = raw.replace("MARK", json.dumps(character)[1:-1])
    before = snapshot(world.meeting)

    response = post_json(secretary, paste_url(world.meeting), raw.encode())

    answered(response)
    if response.status_code >= 400:
        refused_json(response)
    else:
        assert not contains(response.json(), [character]), "the paste kept it"
    assert snapshot(world.meeting) == before


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b'{"text": 123}', id="number"),
        pytest.param(b'{"text": ["<\xea\xb0\x84\xec\x82\xac>"]}', id="list"),
        pytest.param(b'{"text": null}', id="null"),
        pytest.param(b"[" * 5000 + b"]" * 5000, id="5000-nested-arrays"),
        pytest.param(b'{"text": "\xff"}', id="invalid-utf8"),
        pytest.param(b"1e999", id="infinite-number"),
    ],
)
def test_a_paste_that_is_not_text_is_refused(secretary, world, raw):
    refused_json(post_json(secretary, paste_url(world.meeting), raw))


def test_a_paste_over_the_limit_is_refused(secretary, world):
    text = "<간사>\n" + "- 발언\n" * 400_000  # 2.4 million characters

    response = refused(post_json(secretary, paste_url(world.meeting), {"text": text}))

    assert 400 <= response.status_code < 500
