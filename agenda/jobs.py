"""An uploaded document on its way to a draft: held for its preview, then imported.

The import page keeps what it read from the file in a Job of kind IMPORT
(meetings.models.Job), on the server and tied to the user who uploaded it:
the text, the committee, the file's name and the notes on how it was read
(``parameters``), never in a form field the browser could alter. Until the
secretary presses "create" the job is *held* (meetings.jobs.hold: queued to
no task); a held upload lasts as long as a login (SESSION_COOKIE_AGE) and is
deleted with the next upload after that.

Creating the draft is one run of meetings.jobs.perform(): in the request for
an ordinary document, by the task queue for a text longer than
settings.IMPORT_TASK_CHARACTERS (the job page shows the progress and then
links the new draft). Either way the job ends with its meeting set and the
text dropped from its parameters. A refusal (a 차수 already taken, a year
that is not the date's) in the request puts the job back on hold, so the
secretary can correct the values and try again.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from committees.models import Committee
from meetings import jobs
from meetings.models import Job
from meetings.services import WorkflowError

from .importing import ImportRefused, Overrides, import_minutes

State = Job.State


class UploadGone(Exception):
    """The held upload has expired or was already used; ``message`` says so."""


def expiry():
    return timezone.now() - datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def hold_upload(*, user, committee, extracted, filename):
    """Keep ``extracted`` (agenda.uploads.Extracted) for ``user``'s preview; returns the job."""
    discard_expired()
    return jobs.hold(
        Job.Kind.IMPORT,
        requested_by=user,
        parameters={
            "committee": committee.pk,
            "filename": filename[:200],
            "file_kind": extracted.kind,
            "pages": extracted.pages,
            "notes": [str(note) for note in extracted.notes],
            "characters": len(extracted.text),
            "text": extracted.text,
        },
    )


def discard_expired():
    """Delete held uploads older than a login lasts (their text is all they hold)."""
    Job.objects.filter(
        kind=Job.Kind.IMPORT, state=State.QUEUED, meeting=None, created_at__lt=expiry()
    ).exclude(parameters__has_key="overrides").delete()


def is_held(job):
    return job.kind == Job.Kind.IMPORT and job.state == State.QUEUED and not is_released(job)


def is_released(job):
    return "overrides" in job.parameters


def is_expired(job):
    return job.created_at < expiry()


def runs_in_background(job):
    return job.parameters.get("characters", 0) > settings.IMPORT_TASK_CHARACTERS


# --- overrides as the job keeps them ------------------------------------------------------


def overrides_to_json(overrides):
    return {
        "year": overrides.year,
        "sequence": overrides.sequence,
        "day": overrides.day.isoformat() if overrides.day else None,
        "starts": overrides.starts.strftime("%H:%M") if overrides.starts else None,
        "ends": overrides.ends.strftime("%H:%M") if overrides.ends else None,
        "place": overrides.place or None,
    }


def overrides_from_json(data):
    data = data or {}

    def parsed(key, parse):
        return parse(data[key]) if data.get(key) else None

    return Overrides(
        year=data.get("year"),
        sequence=data.get("sequence"),
        day=parsed("day", datetime.date.fromisoformat),
        starts=parsed("starts", datetime.time.fromisoformat),
        ends=parsed("ends", datetime.time.fromisoformat),
        place=data.get("place"),
    )


# --- creating the draft ----------------------------------------------------------------


def create_draft(job, overrides):
    """The held ``job``'s draft, with ``overrides`` (agenda.importing.Overrides) winning.

    Returns the job: done with its meeting, or waiting for its task (a long
    text). Raises ImportRefused when the importer refuses in the request
    (the job is held again, for another try), UploadGone when the job is no
    longer held.
    """
    released = Job.objects.filter(pk=job.pk, state=State.QUEUED).exclude(
        parameters__has_key="overrides"
    )
    with transaction.atomic():
        locked = released.select_for_update().first()
        if locked is None:
            raise UploadGone
        locked.parameters = {**locked.parameters, "overrides": overrides_to_json(overrides)}
        locked.save(update_fields=["parameters"])
    if runs_in_background(locked):
        jobs.enqueue(locked)
        locked.refresh_from_db()
        return locked
    jobs.perform(locked.pk, _import)
    locked.refresh_from_db()
    if locked.state == State.FAILED:
        # perform() returns only for a refusal (anything else is raised): hold it again.
        parameters = {k: v for k, v in locked.parameters.items() if k != "overrides"}
        Job.objects.filter(pk=locked.pk).update(
            state=State.QUEUED,
            parameters=parameters,
            message="",
            done=0,
            total=0,
            started_at=None,
            finished_at=None,
        )
        raise ImportRefused(locked.message)
    return locked


def _import(job, progress):
    progress(0, 1)
    committee = Committee.objects.get(pk=job.parameters["committee"])
    try:
        report = import_minutes(
            job.parameters["text"],
            committee,
            user=job.requested_by,
            overrides=overrides_from_json(job.parameters.get("overrides")),
        )
    except ImportRefused as refused:
        raise WorkflowError(str(refused)) from refused
    # The draft holds the text now; the job keeps what links it and how it was read.
    kept = {k: v for k, v in job.parameters.items() if k != "text"}
    kept["report"] = {"blocks": report.blocks, "statements": report.statements}
    Job.objects.filter(pk=job.pk).update(meeting=report.meeting, parameters=kept)
    progress(1, 1)


@task()
def import_task(job_id):
    jobs.perform(job_id, _import)


# meetings.jobs hands a job to its kind's task; meetings cannot import agenda,
# so the import's task is registered here (agenda.imports imports this module
# with the URLconf, and the worker when it runs the task).
jobs.RUNNERS[Job.Kind.IMPORT] = import_task
