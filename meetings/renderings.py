"""Renderings never made twice: which content a meeting shows now, cheaply.

A draft PDF and the minutes page are pure functions of the minutes' content
(minutes_content()), so their cached copies are keyed by its SHA-256. Building
the content to learn its hash costs as much as the page, so the hash itself is
cached by what every edit of the text moves on:

- the meeting's revision (``updated_at``): the editor, the overview form, the
  admin page, imports and accepted review comments all save the meeting;
- the content generation: a token in the cache that any save or delete of
  a row the content is drawn from (a MeetingContent row on a page of its own,
  a person's name, a committee, a member's role) replaces, after its commit.

A frozen version carries its hash already (MinutesVersion.content_sha256).
Losing an entry (a culled file, a restarted Redis) costs a render, never a
stale answer: a missing generation becomes a new random one.
"""

from django.core.cache import caches

from committees.models import Committee, Member, MemberRole, Person
from minutes_site.generations import Generation

from .minutes import content_sha256, minutes_content
from .models import (
    Attendance,
    Meeting,
    MeetingCheck,
    MeetingContent,
    MinutesVersion,
    Signatory,
    Signature,
    StatusChange,
)

PDFS = "pdfs"
PAGES = "pages"
# Replaced by any write of a row the content is drawn from (see watch_content_sources).
CONTENT = Generation("content", PDFS)
# Replaced by any write of a meeting row or of a row the content is drawn from,
# and by every save of the editor (which moves a meeting's revision with an
# update()): a download ticket for a draft's rendering serves while it stands
# (tickets.py).
DRAFTS = Generation("drafts", PDFS)
# Replaced by any write that can change who must do what, or the workflow's
# history (see watch_workflow_sources): a user's count of waiting tasks and a
# meeting's history are cached under it.
WORKFLOW = Generation("workflow", PAGES)


def pdf_cache():
    return caches[PDFS]


def page_cache():
    return caches[PAGES]


def content_generation():
    return CONTENT.current()


def watch_content_sources():
    """Renew the content generation on every write of a model the minutes'
    content is drawn from outside the Meeting row itself (called once, from
    MeetingsConfig.ready())."""
    from django.apps import apps

    sources = [model for model in apps.get_models() if issubclass(model, MeetingContent)]
    CONTENT.watch(Committee, Person, Member, MemberRole, *sources)
    DRAFTS.watch(Meeting, Committee, Person, Member, MemberRole, *sources)


def watch_workflow_sources():
    """Renew the workflow generation on every write of what tasks.tasks_for(),
    Meeting.objects.for_user(), history.history() and the open points to check
    (services.review_problems) read (called once, from
    MeetingsConfig.ready()). A user's login (last_login, an upgraded password
    hash) changes none of it."""
    from django.contrib.auth import get_user_model

    user = get_user_model()
    WORKFLOW.watch(
        Meeting,
        Signatory,
        Attendance,
        MinutesVersion,
        Signature,
        StatusChange,
        MeetingCheck,
        Member,
        Person,
        Committee,
        user,
        m2m=[Committee.secretaries.through],
        unless_only={user: {"last_login", "password"}},
    )


def revision_key(meeting, generation=None):
    generation = generation or content_generation()
    return f"draft-sha256:{meeting.pk}:{meeting.revision}:{generation}"


def known_content_sha256(meeting):
    """The SHA-256 of what ``meeting`` shows now, if known without building it.

    A frozen version's is stored with it (one query); a draft's is the cached
    one of its revision, or None.
    """
    if not meeting.is_editable:
        version = meeting.current_version()
        return version.content_sha256 if version is not None else None
    return pdf_cache().get(revision_key(meeting))


def draft_content(meeting):
    """(meeting with_minutes(), its content, the content's SHA-256).

    The hash is remembered for the meeting's revision only when this reads
    the content itself, after reading the generation: content read before a
    change that is committed in between would otherwise be filed under the
    generation that change made.
    """
    if "speaker_blocks" in getattr(meeting, "_prefetched_objects_cache", {}):
        content = minutes_content(meeting)
        return meeting, content, content_sha256(content)
    generation = content_generation()
    meeting = Meeting.objects.with_minutes().get(pk=meeting.pk)
    content = minutes_content(meeting)
    sha256 = content_sha256(content)
    pdf_cache().set(revision_key(meeting, generation), sha256, timeout=None)
    return meeting, content, sha256
