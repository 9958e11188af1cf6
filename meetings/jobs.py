"""Long work off the request, with progress: sealing, big draft PDFs, the archive export.

What a person waits for is a Job row (meetings.models.Job): its state, how far
it got, a message if it failed and the file once it is done; the job page
(/meetings/jobs/<id>/) shows it and survives a reload. The work itself is a
task of Django's task API (the django-tasks backport), run by whichever
backend settings.TASKS names: the database queue (`manage.py db_worker`), RQ
on Redis (`manage.py rqworker`), or in tests the immediate backend. Nothing
here depends on which.

start() writes the row and hands its id to the kind's task; the task claims
the row (queued → running, one UPDATE, so only one run does the work), does
the work telling the row how far it got, and stores the result or the
failure. A task that finds its job not waiting does nothing: a second
delivery or a retried enqueue never does the work twice.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Length
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db import DatabaseBackend

from committees.models import Committee

from . import services
from .archive import archive_filename, build_archive, signed_documents
from .downloads import minutes_file
from .models import Job, Meeting, MinutesVersion
from .renderings import draft_content, known_content_sha256

logger = logging.getLogger(__name__)
State = Job.State

# Backends whose queue is the site's own database (or no queue at all): the
# task is enqueued inside the caller's transaction and is seen by a worker
# exactly when the caller's rows are. Any other (RQ) is told after the commit,
# or a fast worker could look for rows that are not committed yet.
IN_TRANSACTION_BACKENDS = (DatabaseBackend, ImmediateBackend)


class Progress:
    """Tells the job's row how far the work got: ``progress(done, total)``.

    Written at once, outside any transaction of the work's own, so the page
    polling the row sees each step.
    """

    def __init__(self, job):
        self.job = job

    def __call__(self, done, total):
        Job.objects.filter(pk=self.job.pk).update(done=min(done, total), total=total)


def start(kind, *, requested_by, meeting=None, parameters=None):
    """A new job of ``kind``, queued; its task runs once the caller's transaction commits."""
    job = Job.objects.create(
        kind=kind, requested_by=requested_by, meeting=meeting, parameters=parameters or {}
    )
    enqueue(job)
    job.refresh_from_db()
    return job


def hold(kind, *, requested_by, parameters=None):
    """A new job of ``kind`` that waits for its requester's go-ahead: queued, but to no task yet.

    An import keeps the uploaded text here between its preview and the
    secretary's "create"; then enqueue() hands it to its task, or the request
    runs perform() itself. A held job has no task_id.
    """
    return Job.objects.create(kind=kind, requested_by=requested_by, parameters=parameters or {})


def enqueue(job):
    """Hand ``job`` (queued) to its kind's task, when a worker can see the row."""
    runner = RUNNERS[job.kind]

    def hand_over():
        try:
            result = runner.enqueue(str(job.pk))
        except Exception:  # the queue's server is down: say so on the job, keep the request
            logger.exception("Job %s could not be queued", job.pk)
            with translation.override(settings.LANGUAGE_CODE):  # stored like a task's messages
                message = _(
                    "The task queue cannot be reached, so the work did not start. "
                    "Try again later; if it keeps failing, tell the site's administrator."
                )
            finish(job.pk, State.FAILED, message=message)
            return
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])

    if isinstance(runner.get_backend(), IN_TRANSACTION_BACKENDS):
        hand_over()
    else:
        transaction.on_commit(hand_over)


def finish(job_id, state, *, message="", result=None, filename="", content_type=""):
    Job.objects.filter(pk=job_id).update(
        state=state,
        message=message,
        result=result,
        filename=filename,
        content_type=content_type,
        finished_at=timezone.now(),
    )


def perform(job_id, work):
    """Claim the job, run ``work(job, progress)`` and record what came of it."""
    claimed = Job.objects.filter(pk=job_id, state=State.QUEUED).update(
        state=State.RUNNING, started_at=timezone.now(), finished_at=None, message=""
    )
    if not claimed:
        logger.info("Job %s is not waiting (already run, or running): nothing to do", job_id)
        return
    job = Job.objects.select_related("meeting").get(pk=job_id)
    try:
        with translation.override(settings.LANGUAGE_CODE):
            outcome = work(job, Progress(job))
    except services.WorkflowError as error:
        # A refusal the reader can act on (a broken seal configuration, ...).
        finish(job_id, State.FAILED, message=str(error))
        return
    except Exception:
        with translation.override(settings.LANGUAGE_CODE):
            message = _(
                "The work stopped on an unexpected error, which was logged. Try again, "
                "or tell the site's administrator."
            )
        finish(job_id, State.FAILED, message=message)
        raise  # the queue keeps the traceback
    finish(job_id, State.DONE, **(outcome or {}))


# --- sealing -------------------------------------------------------------------------


def start_sealing(version, *, requested_by):
    """Queue the sealing of ``version`` (inside the last signature's transaction)."""
    return start(
        Job.Kind.SEAL,
        requested_by=requested_by,
        meeting=version.meeting,
        parameters={"version": version.pk},
    )


def retry_sealing(job):
    """Queue a sealing job again (seal_pending): the same row, so its page keeps working."""
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(
            state=State.QUEUED, done=0, total=0, message="", started_at=None, finished_at=None
        )
        enqueue(job)
    job.refresh_from_db()
    return job


def sealing_job(meeting):
    """The meeting's latest sealing job while its seal is pending, else None."""
    if services.sealing_pending(meeting) is None:
        return None
    return meeting.jobs.filter(kind=Job.Kind.SEAL).order_by("-created_at").first()


def _seal(job, progress):
    version = MinutesVersion.objects.select_related("meeting__committee").get(
        pk=job.parameters["version"]
    )
    services.seal(version, progress=progress)


@task()
def seal_task(job_id):
    perform(job_id, _seal)


# --- draft PDFs ------------------------------------------------------------------------


def remarks_characters(meeting):
    """How long the meeting's remarks are, in characters (one query)."""
    total = Meeting.objects.filter(pk=meeting.pk).aggregate(
        characters=Sum(Length("speaker_blocks__statements__text"))
    )["characters"]
    return total or 0


def renders_in_background(meeting):
    """A draft (or unsigned) PDF long enough to be made by a task, with a progress page.

    Measured on the project's 2-core machine: a render takes about 1.5 s at
    25,000 characters of remarks (the demo meeting has 5,000 and takes 0.3 to
    0.8 s), growing with the length; above settings.DRAFT_PDF_TASK_CHARACTERS
    the reader gets the job page instead of a download that seems to hang.
    """
    if meeting.status in (Meeting.Status.SIGNED, Meeting.Status.PUBLISHED):
        return False  # the stored sealed file: no rendering at all
    return remarks_characters(meeting) > settings.DRAFT_PDF_TASK_CHARACTERS


def start_draft_pdf(meeting, *, requested_by, public, variant):
    """The job making this PDF: a running or finished one for the same text, or a new one.

    The same text asked again (a reload, a second reader) reuses the job
    instead of rendering it once more.
    """
    sha256 = known_content_sha256(meeting) or draft_content(meeting)[2]
    parameters = {"public": public, "variant": variant, "content_sha256": sha256}
    existing = (
        Job.objects.filter(kind=Job.Kind.DRAFT_PDF, meeting=meeting, parameters=parameters)
        .exclude(state=State.FAILED)
        .order_by("-created_at")
        .first()
    )
    if existing is not None:
        return existing
    return start(
        Job.Kind.DRAFT_PDF, requested_by=requested_by, meeting=meeting, parameters=parameters
    )


def _draft_pdf(job, progress):
    progress(0, 1)
    meeting = Meeting.objects.with_minutes().get(pk=job.meeting_id)
    found = minutes_file(
        meeting, public=job.parameters["public"], variant=job.parameters["variant"]
    )
    progress(1, 1)
    return {"result": found.data, "filename": found.filename, "content_type": "application/pdf"}


@task()
def draft_pdf_task(job_id):
    perform(job_id, _draft_pdf)


# --- the archive export ----------------------------------------------------------------


def start_archive(committee, year, *, requested_by):
    return start(
        Job.Kind.ARCHIVE,
        requested_by=requested_by,
        parameters={"committee": committee.pk, "year": year},
    )


def _archive(job, progress):
    committee = Committee.objects.get(pk=job.parameters["committee"])
    year = job.parameters["year"]
    documents = list(signed_documents(committee=committee, year=year))
    data = build_archive(documents, progress=progress)
    return {
        "result": data,
        "filename": archive_filename(committee, year),
        "content_type": "application/zip",
    }


@task()
def archive_task(job_id):
    perform(job_id, _archive)


RUNNERS = {
    Job.Kind.SEAL: seal_task,
    Job.Kind.DRAFT_PDF: draft_pdf_task,
    Job.Kind.ARCHIVE: archive_task,
}
