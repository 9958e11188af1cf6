"""Every convention reads its synthetic documents completely (tests/corpus).

Each ``tests/corpus/<convention>/<name>.txt`` is an invented document (names,
committees and text made up, never real minutes) written in one convention
with its page artefacts; ``<name>.json`` beside it says what a person reading
it finds there: the convention, every speaker turn in order as [label, first
words], the number of stage directions, attendees, officials, agenda titles,
resolutions as [outcome, agenda index] and the lines that belong nowhere.

Run with ``-s`` for the table: convention detected, turns expected and
recovered, order kept, turns credited to the wrong speaker, lines unplaced,
lines lost.
"""

import json
from pathlib import Path

import pytest

from agenda.parsing import parse_document

CORPUS = Path(__file__).resolve().parent / "corpus"
DOCUMENTS = sorted(CORPUS.glob("*/*.txt"))


def turns_of(document):
    return [
        (block.speaker.label, " ".join(block.statements))
        for block in document.remarks.blocks
        if block.kind == "speech"
    ]


def compare_turns(expected, recovered):
    """(found in order, wrong speaker): each expected turn is looked for after
    the last one found, by its first words; found with another label is wrong."""
    found = wrong = 0
    at = 0
    for label, words in expected:
        for position in range(at, len(recovered)):
            recovered_label, text = recovered[position]
            if text.startswith(words):
                if recovered_label == label:
                    found += 1
                else:
                    wrong += 1
                at = position + 1
                break
    return found, wrong


def line_homes(document):
    """{line number: [where it went]} over every place a line can end up."""
    homes = {}

    def put(numbers, where):
        for number in numbers:
            homes.setdefault(number, []).append(where)

    put(document.consumed, "overview")
    for index, block in enumerate(document.remarks.blocks):
        put(block.lines, f"block {index}")
    put([entry.line for entry in document.unplaced], "unplaced")
    put([entry.line for entry in document.remarks.unplaced], "unplaced")
    put([entry.line for entry in document.remarks.dropped], "dropped")
    return homes


def read(path):
    text = path.read_text(encoding="utf-8")
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    return text, expected, parse_document(text)


def report(path):
    text, expected, document = read(path)
    recovered = turns_of(document)
    found, wrong = compare_turns(expected["turns"], recovered)
    homes = line_homes(document)
    numbered = [n for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    lost = [n for n in numbered if n not in homes]
    unplaced = len(document.unplaced) + len(document.remarks.unplaced)
    return {
        "document": f"{path.parent.name}/{path.stem}",
        "convention": document.convention,
        "expected": len(expected["turns"]),
        "recovered": len(recovered),
        "in order": found,
        "wrong speaker": wrong,
        "unplaced": unplaced,
        "lost": len(lost),
    }


def test_the_corpus_has_two_documents_for_each_major_convention():
    conventions = [path.parent.name for path in DOCUMENTS]
    for convention in ("transcript", "parenthesised", "own_line", "summary", "english"):
        assert conventions.count(convention) >= 2, convention
    assert "reference" in conventions


def test_corpus_table(capsys):
    """Prints the table (visible with -s); the assertions are per document below."""
    rows = [report(path) for path in DOCUMENTS]
    columns = list(rows[0])
    widths = {c: max(len(c), *(len(str(row[c])) for row in rows)) for c in columns}
    with capsys.disabled():
        print()
        print("  ".join(c.ljust(widths[c]) for c in columns))
        for row in rows:
            print("  ".join(str(row[c]).ljust(widths[c]) for c in columns))


@pytest.fixture(params=DOCUMENTS, ids=lambda path: f"{path.parent.name}/{path.stem}")
def corpus(request):
    return read(request.param)


def test_the_convention_is_recognised(corpus):
    _text, expected, document = corpus

    assert document.convention == expected["convention"]
    assert document.confidence >= 0.5


def test_every_turn_is_recovered_in_order_with_its_speaker(corpus):
    _text, expected, document = corpus
    recovered = turns_of(document)

    found, wrong = compare_turns(expected["turns"], recovered)

    assert wrong == 0
    assert found == len(expected["turns"])
    assert len(recovered) == len(expected["turns"])
    assert 15 <= len(expected["turns"]) <= 60


def test_every_non_blank_line_ends_up_in_exactly_one_place(corpus):
    text, _expected, document = corpus
    homes = line_homes(document)

    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            assert len(homes.get(number, [])) == 1, (number, line, homes.get(number))
        else:
            assert number not in homes, (number, homes[number])


def test_only_the_expected_lines_are_unplaced(corpus):
    _text, expected, document = corpus

    unplaced = sorted(entry.line for entry in [*document.unplaced, *document.remarks.unplaced])
    assert unplaced == expected["unplaced"]


def test_stage_directions_are_their_own_blocks(corpus):
    _text, expected, document = corpus

    directions = [block for block in document.remarks.blocks if block.kind == "direction"]
    assert len(directions) == expected["directions"]
    assert all(block.speaker is None for block in directions)


def test_attendees_officials_and_agenda_are_found(corpus):
    _text, expected, document = corpus
    overview = document.overview

    members = [*overview.attendees, *overview.external, *overview.internal]
    assert [person.name for person in members] == expected["attendees"]
    assert [person.name for person in overview.officials] == expected.get("officials", [])
    assert [title for _kind, _number, title in overview.agenda] == expected["agenda"]


def test_resolutions_are_decisions_on_their_items(corpus):
    _text, expected, document = corpus

    assert [[r.outcome, r.agenda] for r in document.resolutions] == expected["resolutions"]


def test_the_overview_is_read(corpus):
    _text, expected, document = corpus
    overview = document.overview

    assert str(overview.day) == expected["day"]
    assert [str(overview.starts)[:5], str(overview.ends)[:5]] == expected["times"]
    assert overview.place == expected["place"]
    assert overview.title == expected["title"]
