"""Long work in a task queue, with progress: sealing, big draft PDFs and the archive export
run as tasks (meetings.jobs); a Job row is what the reader sees, whatever the backend.

Most tests run with the immediate backend (tests/conftest.py); the database queue is
tested with its own worker command, and RQ against the Redis server on 127.0.0.1:6379.
"""

import io
import os
import signal
import time
import uuid
import zipfile
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks_db.management.commands import db_worker

from meetings import jobs, services
from meetings.archive import build_archive, signed_documents
from meetings.models import Job, Meeting, SealedFile, SignedDocument, StatusChange
from meetings.sealing import SealError

from .conftest import local_redis
from .test_workflow import confirmed, signed_by, status_of

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
RQ_QUEUE = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


def sign_all(world):
    """Both designated signers sign; returns the version and the last signer's time in s."""
    version = confirmed(world)
    signed_by(version, world.chair.person)
    started = time.perf_counter()
    signed_by(version, world.member_a.person)
    return version, time.perf_counter() - started


def run_database_worker():
    """django-tasks-db's own worker, in batch mode: every waiting task, then it stops.

    It runs on the test's connection, inside the test's transaction: its
    close_old_connections() (a worker's guard against stale connections)
    would close that connection, so it is left out; the signal handlers it
    installs are given back.
    """
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        with mock.patch.object(db_worker, "close_old_connections", lambda: None):
            options = ["--batch", "--no-startup-delay", "--interval", "0"]
            call_command("db_worker", *options, stdout=io.StringIO())
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


def sealing_job(meeting):
    return Job.objects.get(meeting=meeting, kind=Job.Kind.SEAL)


# --- sealing --------------------------------------------------------------------------


def test_with_a_queue_the_last_signature_returns_before_the_files_exist(people, settings):
    settings.TASKS = DATABASE_QUEUE
    version, seconds = sign_all(people)

    assert status_of(people.meeting) == Meeting.Status.SIGNING
    assert not SignedDocument.objects.filter(version=version).exists()
    job = sealing_job(people.meeting)
    assert job.state == Job.State.QUEUED and job.task_id
    assert job.requested_by == people.member_a.person.user
    # Sealing alone takes seconds; the signature itself is a few rows.
    assert seconds < 1.0, seconds

    run_database_worker()

    assert status_of(people.meeting) == Meeting.Status.SIGNED
    document = SignedDocument.objects.get(version=version)
    assert set(document.files.values_list("kind", flat=True)) == set(SealedFile.Kind.values)
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.percent) == (Job.State.DONE, 3, 3, 100)
    signed = StatusChange.objects.get(meeting=people.meeting, to_status=Meeting.Status.SIGNED)
    assert signed.by == people.member_a.person.user


def test_sealing_twice_stores_nothing_twice(people, settings):
    settings.TASKS = DATABASE_QUEUE
    version, _seconds = sign_all(people)
    job = sealing_job(people.meeting)
    # The same job delivered twice (a retry after a lost worker), and then sealed again.
    jobs.seal_task.enqueue(str(job.pk))
    run_database_worker()
    jobs.retry_sealing(job)
    run_database_worker()
    services.seal(version)

    assert SealedFile.objects.filter(document__version=version).count() == 3
    assert StatusChange.objects.filter(to_status=Meeting.Status.SIGNED).count() == 1
    job.refresh_from_db()
    assert job.state == Job.State.DONE


def test_the_minutes_page_shows_the_sealing_with_its_progress_bar(client, people, settings):
    settings.TASKS = DATABASE_QUEUE
    sign_all(people)
    job = sealing_job(people.meeting)
    client.force_login(people.chair.person.user)

    page = client.get(people.meeting.get_absolute_url()).content.decode()

    assert (
        'id="sealing"' in page
        and _("Every signature is in: the official files are being sealed.") in page
    )
    assert reverse("meetings:job_status", args=[job.pk]) in page
    assert 'data-job-reload="1"' in page and "js/job.js" in page


def test_a_failing_seal_keeps_the_signatures_and_seal_pending_retries(client, people, monkeypatch):
    def unreachable(pdf, **kwargs):
        raise SealError("시각 확인 서버가 응답하지 않습니다.")

    monkeypatch.setattr(services, "apply_seal", unreachable)
    version, _seconds = sign_all(people)

    assert status_of(people.meeting) == Meeting.Status.SIGNING
    assert version.signatures.count() == 2
    assert not SignedDocument.objects.exists()
    job = sealing_job(people.meeting)
    assert job.state == Job.State.FAILED
    assert job.message == "시각 확인 서버가 응답하지 않습니다."
    client.force_login(people.secretary.person.user)
    page = client.get(people.meeting.get_absolute_url()).content.decode()
    assert _("Every signature is in, but the minutes could not be sealed.") in page
    assert "시각 확인 서버가 응답하지 않습니다." in page

    monkeypatch.undo()
    output = io.StringIO()
    call_command("seal_pending", stdout=output)

    assert status_of(people.meeting) == Meeting.Status.SIGNED
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.message == ""
    assert Job.objects.filter(kind=Job.Kind.SEAL).count() == 1
    assert str(job.pk) in output.getvalue()
    # Nothing is left to seal: a second run does nothing.
    again = io.StringIO()
    call_command("seal_pending", stdout=again)
    assert _("Sealings queued again: %(count)s.") % {"count": 0} in again.getvalue()


def test_seal_pending_leaves_a_sealing_that_is_still_running(people, settings):
    settings.TASKS = DATABASE_QUEUE
    sign_all(people)
    output = io.StringIO()

    call_command("seal_pending", stdout=output)

    assert _("%(meeting)s: still being sealed.") % {"meeting": people.meeting} in output.getvalue()
    assert sealing_job(people.meeting).state == Job.State.QUEUED


# --- the job page ------------------------------------------------------------------------


@pytest.fixture
def big_draft(people, settings):
    """The world's draft counts as big: its PDF is made by a task."""
    settings.DRAFT_PDF_TASK_CHARACTERS = 10
    return people.meeting


def test_a_big_draft_pdf_is_made_by_a_task_and_offered_when_done(client, big_draft, people):
    client.force_login(people.secretary.person.user)

    response = client.get(reverse("meetings:pdf", args=[big_draft.pk]), {"version": "public"})

    job = Job.objects.get(kind=Job.Kind.DRAFT_PDF)
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert job.parameters["public"] is True and job.state == Job.State.DONE
    page = client.get(job.get_absolute_url())
    assert page.status_code == 200
    assert reverse("meetings:job_result", args=[job.pk]) in page.content.decode()
    status = client.get(reverse("meetings:job_status", args=[job.pk])).json()
    assert status["state"] == "done" and status["percent"] == 100 and status["finished"]
    assert status["label"] == str(Job.State.DONE.label)
    pdf = client.get(status["download"])
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "공개용" in pdf["Content-Disposition"] or ".pdf" in pdf["Content-Disposition"]
    # The same text asked again is the task's rendering, from the cache: no second job.
    again = client.get(reverse("meetings:pdf", args=[big_draft.pk]), {"version": "public"})
    assert again.status_code == 200 and again.content == pdf.content
    assert Job.objects.count() == 1
    # With the cache lost, the same text still gets the same job, not a second rendering.
    caches["pdfs"].clear()
    lost = client.get(reverse("meetings:pdf", args=[big_draft.pk]), {"version": "public"})
    assert lost.url == job.get_absolute_url() and Job.objects.count() == 1


def test_a_short_draft_pdf_is_still_sent_at_once(client, people):
    client.force_login(people.secretary.person.user)

    response = client.get(reverse("meetings:pdf", args=[people.meeting.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert not Job.objects.exists()


def test_only_the_requester_and_readers_of_the_meeting_see_a_job(
    client, big_draft, people, django_user_model
):
    client.force_login(people.secretary.person.user)
    client.get(reverse("meetings:pdf", args=[big_draft.pk]))
    job = Job.objects.get()
    urls = [
        job.get_absolute_url(),
        reverse("meetings:job_status", args=[job.pk]),
        reverse("meetings:job_result", args=[job.pk]),
    ]

    client.force_login(people.member_a.person.user)  # sits on the committee
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
    client.force_login(django_user_model.objects.create_user("outsider"))
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    client.logout()
    assert all(client.get(url).status_code == 302 for url in urls)


def test_an_archive_job_is_only_its_requesters(client, people, django_user_model):
    sign_all(people)
    staff = django_user_model.objects.create_superuser("root", password="pw")
    job = jobs.start_archive(people.committee, 2024, requested_by=staff)
    client.force_login(people.secretary.person.user)

    assert client.get(job.get_absolute_url()).status_code == 404


def test_the_archive_zip_is_built_by_a_task_with_progress_per_document(
    client, people, django_user_model
):
    sign_all(people)
    staff = django_user_model.objects.create_superuser("root", password="pw")
    client.force_login(staff)

    response = client.post(reverse("meetings:archive"), {"committee": "traffic", "year": "2024"})

    job = Job.objects.get(kind=Job.Kind.ARCHIVE)
    assert response.url == job.get_absolute_url()
    # One step per signed version, one for the manifests and the packing.
    assert (job.state, job.done, job.total) == (Job.State.DONE, 2, 2)
    download = client.get(reverse("meetings:job_result", args=[job.pk]))
    assert download["Content-Type"] == "application/zip"
    assert download.content == build_archive(signed_documents(committee=people.committee))
    assert "manifest.json" in zipfile.ZipFile(io.BytesIO(download.content)).namelist()


def test_the_job_page_survives_a_reload_while_the_work_waits(client, big_draft, people, settings):
    settings.TASKS = DATABASE_QUEUE
    client.force_login(people.secretary.person.user)
    job_url = client.get(reverse("meetings:pdf", args=[big_draft.pk])).url

    for _reload in range(2):
        page = client.get(job_url).content.decode()
        assert str(Job.State.QUEUED.label) in page and 'id="job-download"' in page
    job = Job.objects.get()
    status = client.get(reverse("meetings:job_status", args=[job.pk])).json()
    assert status == {
        "state": "queued",
        "label": str(Job.State.QUEUED.label),
        "done": 0,
        "total": 0,
        "percent": 0,
        "finished": False,
        "message": "",
        "download": "",
        "filename": "",
    }
    assert client.get(reverse("meetings:job_result", args=[job.pk])).status_code == 404

    run_database_worker()

    assert client.get(reverse("meetings:job_status", args=[job.pk])).json()["state"] == "done"


# --- RQ on Redis ---------------------------------------------------------------------------


@pytest.fixture
def rq_queue(settings):
    """The RQ backend on the local Redis, in a database of this test process's own."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw")
    number = 9 + int(worker[2:] or 0) % 6  # databases 9-14: one per pytest-xdist worker
    url = local_redis(number)
    settings.RQ_QUEUES = {"default": {"URL": url, "DEFAULT_TIMEOUT": 300}}
    settings.TASKS = RQ_QUEUE
    import django_rq

    queue = django_rq.get_queue("default")
    queue.empty()
    yield queue
    queue.empty()


def run_rq_worker():
    """An RQ worker in this process (SimpleWorker: no fork), until the queue is empty."""
    import django_rq
    from rq import SimpleWorker

    worker = django_rq.get_worker(
        "default", job_class="django_tasks_rq.Job", worker_class=SimpleWorker
    )
    worker.work(burst=True, with_scheduler=False)


def test_on_rq_the_sealing_is_queued_after_the_commit_and_run_by_a_worker(
    people, rq_queue, django_capture_on_commit_callbacks
):
    version = confirmed(people)
    signed_by(version, people.chair.person)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        signed_by(version, people.member_a.person)
        # Nothing reaches Redis before the signature is committed.
        assert rq_queue.count == 0
    for callback in callbacks:
        callback()
    job = sealing_job(people.meeting)
    assert rq_queue.count == 1 and rq_queue.job_ids == [job.task_id]
    assert status_of(people.meeting) == Meeting.Status.SIGNING

    run_rq_worker()

    assert status_of(people.meeting) == Meeting.Status.SIGNED
    assert SealedFile.objects.filter(document__version=version).count() == 3
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.percent == 100


def test_on_rq_a_big_draft_pdf_ends_with_a_download(
    client, big_draft, people, rq_queue, django_capture_on_commit_callbacks
):
    client.force_login(people.secretary.person.user)
    with django_capture_on_commit_callbacks(execute=True):
        job_url = client.get(reverse("meetings:pdf", args=[big_draft.pk])).url
    job = Job.objects.get()
    assert job.state == Job.State.QUEUED

    run_rq_worker()

    status = client.get(reverse("meetings:job_status", args=[job.pk])).json()
    assert status["state"] == "done" and job_url == job.get_absolute_url()
    assert client.get(status["download"]).content.startswith(b"%PDF")


def test_an_unreachable_queue_fails_the_job_with_a_message(
    people, settings, django_capture_on_commit_callbacks
):
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}
    settings.TASKS = RQ_QUEUE
    staff = people.secretary.person.user

    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_archive(people.committee, 2024, requested_by=staff)

    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    with translation.override(django_settings.LANGUAGE_CODE):
        assert job.message == _(
            "The task queue cannot be reached, so the work did not start. "
            "Try again later; if it keeps failing, tell the site's administrator."
        )


def test_a_job_id_that_is_not_a_uuid_or_unknown_is_not_found(client, people):
    client.force_login(people.secretary.person.user)

    assert client.get(f"/meetings/jobs/{uuid.uuid4()}/").status_code == 404
    assert client.get("/meetings/jobs/not-a-uuid/").status_code == 404
