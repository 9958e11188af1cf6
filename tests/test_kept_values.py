"""What pages keep between requests (minutes_site.generations) is never stale.

The navbar's count of tasks, the history, the open points to check and a
user's permissions are kept in a shared cache under a generation that any
write of what they are read from renews. These tests make each such write
the way the site does and look at the next page; and they say which writes
must NOT throw everything away (a login).
"""

import html
import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from meetings import services
from meetings.models import MeetingCheck
from meetings.renderings import WORKFLOW
from minutes_site.generations import Generation
from minutes_site.permissions import PERMISSIONS

from .conftest import local_redis
from .html import read_minutes
from .test_tasks import reviewed

pytestmark = pytest.mark.django_db

HOME = reverse("meetings:list")


def badge(response):
    texts = read_minutes(response)[1]
    return texts.get("task-count", "").split()[0] if "task-count" in texts else None


def test_the_task_badge_counts_a_task_given_after_it_was_kept(client, people):
    client.force_login(people.chair.person.user)
    page = people.meeting.get_absolute_url()
    assert badge(client.get(page)) is None  # nothing to do: kept as 0

    reviewed(people)  # the chair attended: a review to do
    assert badge(client.get(page)) == "1"

    services.confirm(people.meeting, by=people.staff_person.user)
    assert badge(client.get(page)) == "1"  # now the signature, not the review


def test_the_history_shows_each_move_at_once(secretary_client, people):
    page = people.meeting.get_absolute_url()
    before = read_minutes(secretary_client.get(page))[1]["history"]
    reviewed(people)
    after = read_minutes(secretary_client.get(page))[1]["history"]
    assert after != before and "검토" in after


def test_a_settled_point_leaves_the_open_list_at_once(secretary_client, world):
    check = MeetingCheck.objects.create(meeting=world.meeting, topic="place", message="장소 확인")
    page = world.meeting.get_absolute_url()
    assert "장소 확인" in secretary_client.get(page).content.decode()

    services.settle_check(check, by=world.secretary.person.user)

    assert "장소 확인" not in secretary_client.get(page).content.decode()


def test_a_permission_granted_or_taken_counts_on_the_next_page(client, world):
    staff = get_user_model().objects.create_user("clerk", is_staff=True)
    client.force_login(staff)
    export = reverse("meetings:archive")
    assert export not in client.get(HOME).content.decode()

    staff.user_permissions.add(Permission.objects.get(codename="view_meeting"))
    assert export in client.get(HOME).content.decode()

    staff.user_permissions.clear()
    assert export not in client.get(HOME).content.decode()

    group = Group.objects.create(name="archive")
    group.permissions.add(Permission.objects.get(codename="view_meeting"))
    staff.groups.add(group)
    assert export in client.get(HOME).content.decode()

    group.permissions.remove(Permission.objects.get(codename="view_meeting"))
    assert export not in client.get(HOME).content.decode()


def test_an_account_made_inactive_is_refused_at_once(client, world):
    staff = get_user_model().objects.create_user("clerk", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_meeting"))
    client.force_login(staff)
    assert client.get(reverse("meetings:archive")).status_code == 200

    staff.is_active = False
    staff.save()

    assert client.get(reverse("meetings:archive")).status_code == 302  # to the login page


def test_a_login_keeps_what_was_kept(world, settings):
    """A login writes last_login: that changes no task, history nor permission."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = world.secretary.person.user
    user.set_password("pw-for-this-test")
    user.save()
    workflow, permissions = WORKFLOW.current(), PERMISSIONS.current()

    response = Client().post(
        reverse("login"), {"username": user.username, "password": "pw-for-this-test"}
    )

    assert response.status_code == 302

    assert get_user_model().objects.get(pk=user.pk).last_login is not None
    assert (WORKFLOW.current(), PERMISSIONS.current()) == (workflow, permissions)


def test_a_lost_generation_is_made_anew(world):
    generation = Generation("test", "pages")
    first = generation.current()
    caches["pages"].clear()  # a culled file, a restarted Redis
    assert generation.current() not in (None, first)


def test_a_write_renews_the_generation_again_after_its_commit(
    world, django_capture_on_commit_callbacks
):
    before = WORKFLOW.current()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        world.meeting.save()
        during = WORKFLOW.current()
    assert during != before
    for callback in callbacks:
        callback()
    assert WORKFLOW.current() not in (before, during)


def test_migrate_renews_every_generation(world):
    """A restored backup changes the tables behind the ORM's back; the
    restore procedure's migrate then throws away everything kept."""
    before = [generation.current() for generation in Generation.every]
    call_command("migrate", verbosity=0)
    after = [generation.current() for generation in Generation.every]
    assert len(before) >= 3
    assert all(old != new for old, new in zip(before, after, strict=True))


# --- the same on Redis (REDIS_URL: the shared caches live there) -------------------------


@pytest.fixture
def on_redis(settings):
    """The shared caches (pdfs, pages, sessions) on the local Redis, as with
    REDIS_URL, under a key prefix of this test's own."""
    url = local_redis(15)  # 9-14 are the task queue tests' (test_jobs.py)
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        **{
            alias: {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": f"{prefix}-{alias}",
            }
            for alias in ("pdfs", "pages", "sessions")
        },
    }
    yield
    client = pytest.importorskip("redis").Redis.from_url(url)
    for key in client.scan_iter(f"{prefix}-*"):
        client.delete(key)


def test_on_redis_the_badge_the_history_and_a_ticket_follow_every_change(on_redis, client, people):
    client.force_login(people.chair.person.user)
    page = people.meeting.get_absolute_url()
    assert badge(client.get(page)) is None
    assert caches["sessions"].__class__.__name__ == "RedisCache"

    reviewed(people)

    shown = client.get(page)
    assert badge(shown) == "1"
    assert "검토" in read_minutes(shown)[1]["history"]
    links = re.findall(r'href="(/meetings/files/[^"]+)"', shown.content.decode())
    first = client.get(html.unescape(links[0]), follow=True)
    assert first.status_code == 200
    assert client.get(html.unescape(links[0])).content == first.content  # the kept rendering

    services.confirm(people.meeting, by=people.staff_person.user)  # the text is frozen
    assert client.get(html.unescape(links[0])).status_code == 302


def test_writes_with_no_read_between_renew_the_token_once_then_after_the_commit(
    world, django_capture_on_commit_callbacks
):
    before = WORKFLOW.current()
    with django_capture_on_commit_callbacks(execute=True):
        world.meeting.save()
        first = WORKFLOW.cache.get(WORKFLOW.key)  # not a reader's read
        world.meeting.save()
        world.committee.save()
        assert WORKFLOW.cache.get(WORKFLOW.key) == first != before
        read = WORKFLOW.current()  # a reader: the next write renews again
        world.meeting.save()
        assert WORKFLOW.cache.get(WORKFLOW.key) != read
        inside = WORKFLOW.cache.get(WORKFLOW.key)
    assert WORKFLOW.current() != inside  # and once more after the commit
