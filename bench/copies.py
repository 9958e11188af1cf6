"""Demo meetings for the benchmarks, with the remarks repeated N times.

Import after django.setup(). A copy is the whole demo meeting (attendance,
agenda, resolutions, signatories: load_demo's own loader), with its speaker
blocks and their statements appended N-1 more times, so 10x differs from 1x
in the remarks only.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from agenda import demo_data
from agenda.management.commands.load_demo import Command, demo_signature
from agenda.models import SpeakerBlock, Statement
from committees.models import Committee
from meetings.models import Signatory, Signature
from meetings.services import confirm, send_for_review, sign

BLOCK_FIELDS = [
    field.attname
    for field in SpeakerBlock._meta.concrete_fields
    if not field.primary_key and field.attname != "position"
]


def demo_meeting(sequence, *, remarks=1, weeks_later=None):
    """The demo meeting as draft number ``sequence``, its remarks ``remarks`` times."""
    loader = Command()
    committee = Committee.objects.get(slug=demo_data.COMMITTEE["slug"])
    people = loader.load_people()
    members = loader.load_roster(committee, people)
    weeks = sequence * 2 if weeks_later is None else weeks_later
    meeting, rebuilt = loader.load_meeting(committee, sequence=sequence, days_later=7 * weeks)
    if rebuilt:
        loader.load_meeting_content(meeting, people, members)
        repeat_remarks(meeting, remarks)
    return meeting


def repeat_remarks(meeting, times):
    """Appends the meeting's speaker blocks (with statements) ``times - 1`` more times."""
    if times <= 1:
        return
    blocks = list(meeting.speaker_blocks.order_by("position").prefetch_related("statements"))
    position = max(block.position for block in blocks)
    new_blocks, texts = [], []
    for _ in range(times - 1):
        for block in blocks:
            position += 1
            copy = SpeakerBlock(position=position, **{f: getattr(block, f) for f in BLOCK_FIELDS})
            new_blocks.append(copy)
            texts.append([statement.text for statement in block.statements.all()])
    SpeakerBlock.objects.bulk_create(new_blocks)
    Statement.objects.bulk_create(
        Statement(block=block, position=number, text=text)
        for block, statements in zip(new_blocks, texts, strict=True)
        for number, text in enumerate(statements, start=1)
    )


def signed_by(meeting, signatures):
    """Sends ``meeting`` (a draft) for review, confirms it and signs it ``signatures`` times.

    With both signatures it is complete: sealed now, or by a task when the
    site seals in the background (then work the queue before using it).
    Returns the confirmed version.
    """
    send_for_review(
        meeting,
        by=user("secretary"),
        deadline=timezone.now() + datetime.timedelta(days=7),
    )
    version = confirm(meeting, by=user("confirmer"))
    for seed, signer in enumerate(signers(meeting)[:signatures], start=1):
        sign(
            version,
            user=signer,
            shown_sha256=version.content_sha256,
            method=Signature.Method.DRAWN,
            image=demo_signature(seed),
            ip_address="127.0.0.1",
            user_agent="bench",
        )
    return version


def signers(meeting):
    """The users designated to sign ``meeting``, in order."""
    return [
        signatory.person.user
        for signatory in meeting.signatories.filter(role=Signatory.Role.SIGNER)
        .select_related("person__user")
        .order_by("position")
    ]


def user(username):
    return get_user_model().objects.get(username=username)
