"""Personas and small factories shared by the specification tests."""

import datetime
import io
import os
import uuid
import zoneinfo
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect, sync_playwright

from agenda.models import AgendaItem, Outcome, SpeakerBlock
from agenda.services import replace_statements
from committees.models import Committee, Member, MemberRole, Person
from meetings import downloads
from meetings.minutes import canonical_json
from meetings.models import Attendance, Meeting, NonMemberAttendee, ProceedingsItem, Signatory
from meetings.sealing import create_self_signed_seal

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")

# Browser tests: Debian's Chromium through Playwright (never a downloaded one).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# Every browser test module: a real server thread, so committed transactions.
# make test installs Chromium; in CI a missing browser is a failure, not a skip.
BROWSER_TESTS = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("CI"),
        reason=f"no Chromium at {CHROMIUM}",
    ),
]
# Screenshots for a person to look at; outside the repository on purpose.
SCREENS = Path(os.environ.get("BROWSER_TEST_SCREENS", "/tmp/screens"))


@pytest.fixture(autouse=True)
def default_language():
    """A request leaves its language active in the thread: start each test afresh."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def organisation_seal(tmp_path_factory):
    """A self-signed organisation seal, like a real one (not marked DEMO)."""
    folder = tmp_path_factory.mktemp("seal")
    create_self_signed_seal(
        folder / "seal.p12",
        folder / "seal.password",
        organisation="교통정책위원회 사무국",
        unit="회의록 전자직인",
        common_name="교통정책위원회 전자직인",
    )
    return folder / "seal.p12", (folder / "seal.password").read_text().strip()


@pytest.fixture(autouse=True)
def test_settings(settings, organisation_seal, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Cached renderings of this test's own (a folder, or a key prefix on
    # Redis): no test, nor another xdist worker, sees another's entries.
    settings.CACHES = {
        **settings.CACHES,
        **{
            alias: own_cache(settings.CACHES[alias], tmp_path / "cache" / alias)
            for alias in ("pdfs", "pages", "sessions")
        },
    }
    settings.CACHE_DIR = tmp_path / "cache"  # the copies download tickets serve (tickets.py)
    # Sealing needs a seal and a public https address printed on the files.
    settings.SEAL_CERTIFICATE_FILE, settings.SEAL_PASSWORD = map(str, organisation_seal)
    settings.SEAL_TIMESTAMP_URL = ""
    settings.SITE_URL = "https://minutes.example.go.kr"
    # The test client speaks http: production's https redirect stays out of its way
    # whatever the environment says (tests/test_security.py checks it separately).
    settings.SECURE_SSL_REDIRECT = False
    # Tasks (meetings.jobs) run at once, inside the request, so that a test
    # sees a signed meeting right after its last signature; tests/test_jobs.py
    # switches to the database and RQ backends to test the queue itself.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Production serves collected, hashed files; tests read them from the apps.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def renders(monkeypatch):
    """Counts renders; a render is its arguments as bytes (fast, and as pure as the real one)."""
    made = []

    def fake_render(content, **options):
        made.append(options)
        return canonical_json(content) + repr(sorted(options.items())).encode()

    monkeypatch.setattr(downloads, "render_minutes_pdf", fake_render)
    return made


def local_redis(number):
    """The address of database ``number`` on the local Redis: skipped without
    one, except in CI (.ci/run starts one), where its absence is a failure."""
    redis = pytest.importorskip("redis")
    url = f"redis://127.0.0.1:6379/{number}"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("no Redis on 127.0.0.1:6379 (.ci/run starts one)")
    return url


def own_cache(config, folder):
    if config["BACKEND"].endswith("FileBasedCache"):
        return {**config, "LOCATION": folder}
    return {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}


def make_committee(name="교통정책위원회", slug="traffic", **fields):
    fields.setdefault("organisation", "교통정책관")
    fields.setdefault("department", "교통정책과")
    return Committee.objects.create(name=name, slug=slug, **fields)


def make_member(committee, name, *, kind=Member.Kind.EXTERNAL, role=None, position="", user=None):
    person = Person.objects.create(name=name, position=position, user=user)
    member = Member.objects.create(
        committee=committee, person=person, kind=kind, term_start=datetime.date(2024, 1, 1)
    )
    if role:
        member.roles.create(role=role, since=datetime.date(2024, 1, 1))
    return member


def make_meeting(committee, *, year=2024, sequence=1, day=datetime.date(2024, 4, 18)):
    return Meeting.objects.create(
        committee=committee,
        year=year,
        sequence=sequence,
        starts_at=datetime.datetime.combine(day, datetime.time(15, 0), tzinfo=SEOUL),
        ends_at=datetime.datetime.combine(day, datetime.time(17, 0), tzinfo=SEOUL),
        place="시청 영상회의실(6층)",
        document_date=day.replace(day=1),
    )


def add_block(meeting, position, statements, *, member=None, attendee=None, label=""):
    if member is not None:
        kind = SpeakerBlock.SpeakerKind.MEMBER
    elif attendee is not None:
        kind = SpeakerBlock.SpeakerKind.ATTENDEE
    else:
        kind = SpeakerBlock.SpeakerKind.COLLECTIVE
    block = SpeakerBlock(
        meeting=meeting,
        position=position,
        speaker_kind=kind,
        member=member,
        attendee=attendee,
        role_label=label,
    )
    block.full_clean()
    block.save()
    replace_statements(block, statements)
    return block


class MeetingWorld:
    """A committee with a chair, a secretary, two members and a staff attendee."""

    def __init__(self):
        User = get_user_model()
        self.committee = make_committee()
        self.chair = make_member(self.committee, "한도윤", role=MemberRole.Role.CHAIR)
        self.secretary = make_member(
            self.committee,
            "오세린",
            kind=Member.Kind.INTERNAL,
            role=MemberRole.Role.SECRETARY,
            position="교통정책팀장",
            user=User.objects.create_user("secretary", password="pw", is_staff=True),
        )
        self.member_a = make_member(
            self.committee, "문가람", user=User.objects.create_user("member_a", password="pw")
        )
        self.member_b = make_member(self.committee, "배하늘")
        self.internal = make_member(
            self.committee, "서지안", kind=Member.Kind.INTERNAL, position="도시계획국장"
        )
        self.meeting = make_meeting(self.committee)
        for member in (self.chair, self.secretary, self.member_a, self.internal):
            Attendance.objects.create(meeting=self.meeting, member=member)
        Attendance.objects.create(
            meeting=self.meeting, member=self.member_b, status=Attendance.Status.ABSENT
        )
        self.staff_person = Person.objects.create(name="임채윤", position="교통데이터팀장")
        self.staff = NonMemberAttendee.objects.create(
            meeting=self.meeting, position=1, person=self.staff_person
        )
        NonMemberAttendee.objects.create(
            meeting=self.meeting, position=2, description="담당 팀장 등"
        )
        # What the records rules require besides the remarks (meetings.completeness):
        # the order of proceedings, and a decision on the deliberation item.
        ProceedingsItem.objects.create(
            meeting=self.meeting, position=1, text="버스 노선 개편안 심의"
        )
        self.item = AgendaItem.objects.create(
            meeting=self.meeting,
            kind=AgendaItem.Kind.DELIBERATION,
            number=1,
            title="버스 노선 개편안",
            outcome=Outcome.PASSED,
        )
        Signatory.objects.create(
            meeting=self.meeting, role="signer", position=1, person=self.chair.person
        )
        Signatory.objects.create(
            meeting=self.meeting, role="signer", position=2, person=self.member_a.person
        )
        Signatory.objects.create(meeting=self.meeting, role="confirmer", person=self.staff_person)
        Signatory.objects.create(meeting=self.meeting, role="author", person=self.secretary.person)

    def add_remarks(self, count):
        """``count`` speaker blocks cycling through every kind of speaker."""
        speakers = [
            {"member": self.secretary},
            {"member": self.chair},
            {"member": self.member_a},
            {"attendee": self.staff, "label": "팀장"},
            {"label": "위원"},
            {"member": self.internal},
        ]
        blocks = []
        for position in range(1, count + 1):
            speaker = speakers[position % len(speakers)]
            statements = [f"발언 {position}-{n}" for n in range(1, position % 3 + 2)]
            blocks.append(add_block(self.meeting, position, statements, **speaker))
        return blocks


@pytest.fixture
def world(db):
    return MeetingWorld()


@pytest.fixture
def people(world, django_user_model):
    """Logins for the chair (a signer) and the confirmer; member A already has one."""
    world.chair.person.user = django_user_model.objects.create_user("chair")
    world.chair.person.save()
    world.staff_person.user = django_user_model.objects.create_user("confirmer")
    world.staff_person.save()
    world.add_remarks(6)
    return world


@pytest.fixture
def keeper(world):
    """The world's secretary keeps the committee (Committee.secretaries)."""
    user = world.secretary.person.user
    world.committee.secretaries.add(user)
    return user


@pytest.fixture
def secretary_client(client, world):
    client.force_login(world.secretary.person.user)
    return client


def signature_png(seed=1, size=(300, 100)):
    """A scribble, like a mouse-drawn signature, as PNG bytes (transparent background)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    points = [(20 + i * 26, 50 + ((i * seed * 37) % 40) - 20) for i in range(11)]
    draw.line(points, fill=(10, 20, 90, 255), width=4, joint="curve")
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


# --- browser tests ------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium per module; each test opens its own contexts.

    Playwright's sync API keeps an asyncio loop running in this thread while it
    is started, and Django then refuses ORM calls from the thread (fixtures and
    assertions use the ORM). DJANGO_ALLOW_ASYNC_UNSAFE is Django's documented
    switch for this; it is set only while the browser is up, not for the rest
    of the suite.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            yield browser
            browser.close()


@pytest.fixture
def phone(chromium):
    """A page in a phone-sized Korean browser (390 px wide, touch)."""
    context = chromium.new_context(
        locale="ko-KR", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def desk(chromium):
    """A page in a desktop-sized Korean browser (1280 px wide)."""
    context = chromium.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def screenshot(page: Page, folder, name, *, full_page=True):
    """A picture for a person to look at, in SCREENS/<folder>/<name>."""
    (SCREENS / folder).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENS / folder / name, full_page=full_page)


@pytest.fixture
def site(live_server, settings):
    """The live server's base URL; it speaks plain http, so cookies must not be Secure."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    return live_server.url


def log_in(page: Page, site, username, password):
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="로그인").click()
    expect(page).to_have_url(site + reverse("meetings:list"))
