"""Hostile input to the job pages and to what starts a job: addresses that are not
jobs, somebody else's job, the wrong method, a file asked for too early, a forged
archive request. Every case is a 4xx a person can read, and no job is made or changed."""

import uuid

import pytest
from django.urls import reverse

from meetings import jobs
from meetings.models import Job

from .hostile import hostile_client, refused

pytestmark = pytest.mark.django_db

ENDPOINTS = ["meetings:job", "meetings:job_status", "meetings:job_result"]


@pytest.fixture
def waiting_job(people, settings):
    """The secretary's big-draft PDF job, still waiting for a worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return jobs.start(
        Job.Kind.DRAFT_PDF,
        requested_by=people.secretary.person.user,
        meeting=people.meeting,
        parameters={"public": False, "variant": "plain"},
    )


def rows():
    return list(Job.objects.order_by("pk").values_list("pk", "state", "done", "message"))


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    "job_id",
    ["not-a-uuid", "0" * 40, "%00", "../archive", "6f1c1f52-8a55-4a1e-9d0b-1b7f2e6f0c3d"],
    ids=str,
)
def test_an_address_that_is_no_job_is_not_found(people, endpoint, job_id):
    client = hostile_client(people.secretary.person.user)
    url = reverse(endpoint, args=[uuid.UUID(int=1)]).replace(str(uuid.UUID(int=1)), job_id)

    assert refused(client.get(url)).status_code == 404


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_somebody_elses_job_is_not_found(waiting_job, django_user_model, endpoint):
    before = rows()
    client = hostile_client(django_user_model.objects.create_user("outsider"))

    response = refused(client.get(reverse(endpoint, args=[waiting_job.pk])))

    assert response.status_code == 404 and rows() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_a_job_is_only_read(waiting_job, people, endpoint, method):
    before = rows()
    client = hostile_client(people.secretary.person.user)

    response = refused(getattr(client, method)(reverse(endpoint, args=[waiting_job.pk])))

    assert response.status_code == 405 and rows() == before


def test_the_file_of_a_job_that_is_not_done_is_not_found_with_a_reason(waiting_job, people):
    client = hostile_client(people.secretary.person.user)

    response = refused(client.get(reverse("meetings:job_result", args=[waiting_job.pk])))

    assert response.status_code == 404
    assert "아직" in response.content.decode() or "yet" in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"committee": "traffic\x00", "year": "2024"},
        {"committee": "traffic", "year": "99999999999999999999"},
        {"committee": ["traffic", "other"], "year": "2024"},
        {},
    ],
    ids=["nul", "huge-year", "two-committees", "nothing"],
)
def test_a_forged_archive_request_starts_no_job(people, django_user_model, data):
    client = hostile_client(django_user_model.objects.create_superuser("root", password="pw"))

    response = refused(client.post(reverse("meetings:archive"), data))

    assert response.status_code == 400 and not Job.objects.exists()


def test_a_member_cannot_start_an_archive_export(people):
    client = hostile_client(people.member_a.person.user)

    response = refused(
        client.post(reverse("meetings:archive"), {"committee": "traffic", "year": "2024"})
    )

    assert response.status_code == 403 and not Job.objects.exists()
