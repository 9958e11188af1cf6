"""Every document of the synthetic corpus imports into a draft that keeps it all.

tests/corpus/<convention>/<name>.txt is a document written for the tests
(invented committees, people and words), <name>.json what it holds: its
convention, the speaker turns in order as [label, first words], how many
stage directions, the attendees, the agenda titles, the resolutions and the
lines that belong nowhere. Each document is imported twice: into a committee
with an empty roster, and into one whose roster already knows some of the
people (they must be matched, not added again). Run with -s for a table of
what each import recovered.

What an import must do with every one of them:
- every speaker turn, in order, credited to the speaker the document names;
- stage directions and agenda headings as entries of their own, none in
  anybody's mouth;
- every line the parser could not place in the meeting's unplaced note;
- the attendees and the agenda items found, the resolutions recorded.
"""

import json
import re
from pathlib import Path

import pytest

from agenda.importing import import_minutes
from agenda.models import AgendaItem, Resolution, SpeakerBlock
from committees.models import Committee, Member, Person
from meetings.models import Attendance, Meeting

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "corpus"
DOCUMENTS = sorted(CORPUS.glob("**/*.txt"))
Kind = SpeakerBlock.SpeakerKind

# What a stage direction looks like when it has slipped into a statement.
DIRECTION_LIKE = re.compile(
    r"^\s*[(（<〈].*(개의|산회|정회|속개|회의중지|계속개의|있음|사회교대|의사봉)"
)


def squash(text):
    return re.sub(r"\s+", "", text or "")


def expected_of(path):
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def committee_for(path, roster):
    committee = Committee.objects.create(
        name=f"시험위원회 {path.stem}"[:100],
        slug=re.sub(r"[^a-z0-9-]", "-", path.stem.lower())[:40] or "corpus",
        organisation="시험국",
        department="시험과",
    )
    for name in roster:
        person = Person.objects.create(name=name)
        Member.objects.create(
            committee=committee, person=person, kind=Member.Kind.EXTERNAL, term_start="1948-01-01"
        )
    return committee


def speaker_of(block):
    """The name the stored block credits, as written or as matched."""
    return block.speaker_name or block.role_label


def summary(path, meeting, report, expected, turns_ok, lost):
    return (
        f"{path.relative_to(CORPUS)!s:<42} {report.convention:<14} "
        f"turns {report.blocks:>3}/{len(expected.get('turns', [])):<3} "
        f"{'in order' if turns_ok else 'ORDER!':<8} directions {report.directions:>3} "
        f"attendees {report.attendees:>2} agenda {report.agenda_items:>2} "
        f"resolutions {report.resolutions:>2} checks {len(report.checks):>2} "
        f"unplaced {len(report.unplaced):>2} lost {lost}"
    )


def known_names(expected):
    """Half the attendees the document names: what a roster might already know."""
    names = [name for name in expected.get("attendees", []) if isinstance(name, str)]
    return names[: len(names) // 2]


@pytest.mark.skipif(not DOCUMENTS, reason="no corpus documents yet")
@pytest.mark.parametrize("roster", ["empty", "known"])
@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(CORPUS)))
def test_the_document_imports_with_every_turn_in_order_and_nothing_lost(path, roster):
    if not path.with_suffix(".json").exists():
        pytest.skip(f"{path.name} has no expected structure (.json) yet")
    expected = expected_of(path)
    text = path.read_text(encoding="utf-8")
    known = known_names(expected) if roster == "known" else []
    committee = committee_for(path, known)
    people_before = Person.objects.count()

    report = import_minutes(text, committee)
    meeting = Meeting.objects.get(pk=report.meeting.pk)
    blocks = list(
        meeting.speaker_blocks.prefetch_related("statements").select_related(
            "member__person", "attendee__person"
        )
    )
    speech = [b for b in blocks if b.is_spoken]
    unspoken = [b for b in blocks if not b.is_spoken]

    # Every turn in order, credited to the speaker the document names.
    turns = expected.get("turns", [])
    recovered = [
        (speaker_of(block), " ".join(s.text for s in block.statements.all())) for block in speech
    ]
    turns_ok = len(recovered) == len(turns) and all(
        squash(first_words)
        and squash(said).startswith(squash(first_words))
        and squash(name) in squash(label)
        for (label, first_words), (name, said) in zip(turns, recovered, strict=False)
    )

    # Every line the parser could not place is in the unplaced note.
    document = report.document
    unplaced = [*document.unplaced, *document.remarks.unplaced]
    lost = [u.line for u in unplaced if squash(u.text) not in squash(meeting.unplaced_text)]
    print(summary(path, meeting, report, expected, turns_ok, len(lost)))

    assert len(recovered) == len(turns), f"{len(recovered)} turns for {len(turns)} expected"
    for number, ((label, first_words), (name, said)) in enumerate(
        zip(turns, recovered, strict=True), 1
    ):
        assert squash(said).startswith(squash(first_words)), f"turn {number}: {said[:40]}"
        assert squash(name) in squash(label), f"turn {number}: {name} is not {label}"
    assert not lost, f"lines {lost} are not in the unplaced note"
    for line in expected.get("unplaced", []):
        assert f"{line}" in meeting.unplaced_text

    # Stage directions are entries of their own, none in anybody's mouth.
    assert all(b.member_id is None and b.attendee_id is None for b in unspoken)
    for block in speech:
        for statement in block.statements.all():
            assert not DIRECTION_LIKE.match(statement.text), (
                f"a direction credited to {speaker_of(block)}: {statement.text}"
            )
    if "directions" in expected:
        directions = sum(1 for b in unspoken if b.speaker_kind == Kind.DIRECTION)
        assert directions == expected["directions"]

    # Attendees and agenda found; names the roster knew were matched, not added.
    present = set(
        Attendance.objects.filter(meeting=meeting, status="present").values_list(
            "member__person__name", flat=True
        )
    )
    present |= set(
        meeting.non_member_attendees.filter(person__isnull=False).values_list(
            "person__name", flat=True
        )
    )
    for name in expected.get("attendees", []):
        assert name in present, f"attendee {name} not found"
    for name in known:
        assert Person.objects.filter(name=name).count() == 1, f"{name} added twice"
    assert Person.objects.count() >= people_before
    titles = [
        squash(t)
        for t in AgendaItem.objects.filter(meeting=meeting).values_list("title", flat=True)
    ]
    for title in expected.get("agenda", []):
        assert any(squash(title) in t or t in squash(title) for t in titles), title
    # A heading's agenda item carries over to the speech after it.
    for heading in (b for b in unspoken if b.speaker_kind == Kind.HEADING and b.agenda_item_id):
        following = next((b for b in speech if b.position > heading.position), None)
        if following is not None and not any(
            h.position > heading.position and h.position < following.position
            for h in unspoken
            if h.speaker_kind == Kind.HEADING
        ):
            assert following.agenda_item_id == heading.agenda_item_id

    for name in expected.get("officials", []):
        assert name in present, f"official {name} not among the non-member attendees"

    # Resolutions: [outcome, index of the agenda item or null], in order.
    if "resolutions" in expected:
        stored = [
            (r.outcome, r.agenda_item.title if r.agenda_item_id else None)
            for r in Resolution.objects.filter(meeting=meeting).select_related("agenda_item")
        ]
        agenda = expected.get("agenda", [])
        wanted = [
            (outcome, agenda[index] if index is not None and index < len(agenda) else None)
            for outcome, index in expected["resolutions"]
        ]
        assert [outcome for outcome, _title in stored] == [outcome for outcome, _t in wanted]
        for (_o, title), (_w, wanted_title) in zip(stored, wanted, strict=True):
            if wanted_title is not None:
                assert title and (
                    squash(wanted_title) in squash(title) or squash(title) in squash(wanted_title)
                )
