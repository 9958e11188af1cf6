"""The minutes workflow: one function per transition.

draft → in review → confirmed → signing → signed → published, and amend()
from signed or published back to a draft that will become the next version.
Each transition checks its precondition and raises WorkflowError with a
message for the person who tried, locks the meeting row, records a
StatusChange, and leaves side effects (notifications) for after the commit.
Views, the admin and commands call these; nothing else writes ``status``.
"""

import hashlib
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from committees.models import Person
from minutes_site.dates import moment
from minutes_site.inputs import strip_control

from .completeness import missing_in_draft, missing_in_version, missing_items
from .minutes import canonical_json, content_sha256, minutes_content
from .models import (
    Meeting,
    MeetingCheck,
    MinutesVersion,
    SavedSignature,
    SealedFile,
    Signatory,
    Signature,
    SignedDocument,
    StatusChange,
)
from .pdf import DOCUMENT_LANGUAGE, render_minutes_pdf, seal_data
from .renderings import WORKFLOW, page_cache, revision_key
from .sealing import SealError, apply_seal, seal_problems
from .search import index_public_version
from .signature_images import clean_signature_image

logger = logging.getLogger(__name__)
Status = Meeting.Status


class WorkflowError(Exception):
    """A transition that is not allowed now; the message says why, in words."""


def _locked(meeting):
    """The meeting row, locked until the transaction ends (concurrent transitions wait)."""
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _move(meeting, to_status, *, by, version=None, note="", extra_fields=()):
    change = StatusChange.objects.create(
        meeting=meeting,
        version=version,
        from_status=meeting.status,
        to_status=to_status,
        by=by,
        note=note,
    )
    meeting.status = to_status
    meeting.save(update_fields=["status", "updated_at", *extra_fields])
    return change


def _require(meeting, *allowed):
    if meeting.status not in allowed:
        raise WorkflowError(
            _("This cannot be done while the minutes are %(status)s.")
            % {"status": meeting.get_status_display()}
        )


def _signatory(meeting, user, role):
    if not user.is_authenticated:
        return None
    return meeting.signatories.filter(role=role, person__user=user).select_related("person").first()


# How many open points to check review_problems() quotes; the editor lists them all.
CHECKS_QUOTED = 3


def review_problems(meeting, *, content=None, cached=False):
    """What stops ``meeting`` from going to review (empty when nothing does).

    The signature block, the remarks (one query for the speaker blocks unless
    prefetched, as with_minutes() does), the unplaced text, what the records
    rules require the minutes to state (meetings.completeness: from
    ``content`` when the caller built it, else read or cached by the text's
    hash) and the points to check still open (one query).

    ``cached``: for a page that only shows the problems, the speaker blocks
    and the open points are read from the caches (renderings.py) while what
    they depend on is unchanged. The transition itself reads the tables.
    """
    problems = []
    if "signatories" in getattr(meeting, "_prefetched_objects_cache", {}):
        roles = [signatory.role for signatory in meeting.signatories.all()]
    else:
        roles = list(meeting.signatories.values_list("role", flat=True))
    if roles.count(Signatory.Role.SIGNER) != Signatory.SIGNERS_REQUIRED:
        problems.append(
            _("Name %(count)s members who read and sign the minutes.")
            % {"count": Signatory.SIGNERS_REQUIRED}
        )
    for role, label in [
        (Signatory.Role.CONFIRMER, _("a confirmer")),
        (Signatory.Role.AUTHOR, _("an author")),
    ]:
        if role not in roles:
            problems.append(_("Name %(role)s in the signature block.") % {"role": label})
    blocks = _blocks_for_review(meeting, content, cached=cached)
    if not blocks:
        problems.append(_("Enter the remarks before sending the minutes for review."))
    elif any(empty for _position, _kind, empty in blocks):
        problems.append(_("Every speaker block needs at least one statement."))
    unidentified = [position for position, kind, _empty in blocks if kind == "unidentified"]
    if unidentified:
        problems.append(
            _("Choose who spoke in the remarks numbered %(positions)s.")
            % {"positions": ", ".join(map(str, unidentified))}
        )
    if meeting.unplaced_text.strip():
        problems.append(
            _("Place or clear the unplaced text before sending the minutes for review.")
        )
    problems += [missing.message for missing in missing_in_draft(meeting, content=content)]
    open_checks = _open_checks(meeting) if cached else _read_open_checks(meeting)
    if open_checks:
        quoted = ", ".join(f"“{message}”" for message in open_checks[:CHECKS_QUOTED])
        if len(open_checks) > CHECKS_QUOTED:
            quoted += ", …"
        problems.append(
            ngettext(
                "%(count)s point to check is still open: %(quoted)s",
                "%(count)s points to check are still open: %(quoted)s",
                len(open_checks),
            )
            % {"count": len(open_checks), "quoted": quoted}
        )
    return problems


def _open_checks(meeting):
    """The messages of the points to check still open: one query, kept under
    the workflow generation (which settling a point renews)."""
    return WORKFLOW.kept(f"open-checks:{meeting.pk}", lambda: _read_open_checks(meeting))


def _read_open_checks(meeting):
    return list(meeting.checks.filter(settled_at__isnull=True).values_list("message", flat=True))


def _blocks_for_review(meeting, content=None, *, cached=False):
    """(position, speaker kind, has no statement) of each speaker block, in order.

    A meeting loaded with_minutes() has its blocks already, and the content
    built from it their statements in the same order: no query then.
    Otherwise one query; when ``cached``, its answer is kept for the
    meeting's revision and content generation (what any edit of the remarks
    moves on, see renderings.py).
    """
    if "speaker_blocks" in getattr(meeting, "_prefetched_objects_cache", {}) and content:
        blocks = list(meeting.speaker_blocks.all())
        remarks = content["remarks"]
        if len(blocks) == len(remarks):
            return [
                (block.position, block.speaker_kind, not remark["statements"])
                for block, remark in zip(blocks, remarks, strict=True)
            ]
    if not cached:
        return _read_blocks_for_review(meeting)
    key = "review-blocks:" + revision_key(meeting)  # before reading: see renderings.py
    blocks = page_cache().get(key)
    if blocks is None:
        blocks = _read_blocks_for_review(meeting)
        page_cache().set(key, blocks)
    return blocks


def _read_blocks_for_review(meeting):
    statements = meeting.speaker_blocks.model._meta.get_field("statements").related_model
    return list(
        meeting.speaker_blocks.annotate(
            empty=~Exists(statements.objects.filter(block=OuterRef("pk")))
        )
        .order_by("position", "id")
        .values_list("position", "speaker_kind", "empty")
    )


def settle_check(check, *, by):
    """Mark a point to check as settled by ``by``, once, while the text is editable.

    Locks the meeting and the check: two people settling the same point at
    once record one of them, and the other is told who did, and when.
    """
    with transaction.atomic():
        meeting = _locked(check.meeting)
        if not meeting.is_editable:
            raise WorkflowError(_("The minutes are confirmed: amend them to make a correction."))
        check = MeetingCheck.objects.select_for_update().get(pk=check.pk)
        if check.is_settled:
            raise WorkflowError(
                _("This point was already settled by %(user)s (%(when)s); nothing was changed.")
                % {
                    "user": Person.name_of(check.settled_by) if check.settled_by else _("someone"),
                    "when": moment(check.settled_at),
                }
            )
        check.settled_at = timezone.now()
        check.settled_by = by
        check.save(update_fields=["settled_at", "settled_by"])
    return check


def send_for_review(meeting, *, by, deadline):
    """draft → in review: the attending members are asked to read the draft."""
    with transaction.atomic():
        meeting = _locked(meeting)
        _require(meeting, Status.DRAFT)
        if deadline <= timezone.now():
            raise WorkflowError(_("The review deadline must be in the future."))
        # The text as it is under the lock, never a cached answer.
        loaded = Meeting.objects.with_minutes().get(pk=meeting.pk)
        problems = review_problems(loaded, content=minutes_content(loaded))
        if problems:
            raise WorkflowError(" ".join(str(p) for p in problems))
        meeting.review_deadline = deadline
        _move(meeting, Status.IN_REVIEW, by=by, extra_fields=["review_deadline"])
        transaction.on_commit(lambda: notify_reviewers(meeting.pk))
    return meeting


def confirm(meeting, *, by):
    """in review → confirmed: the confirmer freezes the text as the next version."""
    with transaction.atomic():
        meeting = _locked(meeting)
        _require(meeting, Status.IN_REVIEW)
        if not meeting.designates(by, Signatory.Role.CONFIRMER):
            raise WorkflowError(_("Only the designated confirmer can confirm these minutes."))
        content = minutes_content(Meeting.objects.with_minutes().get(pk=meeting.pk))
        # The text may have changed during the review: what is frozen and signed
        # must state everything the records rules require, or it could never
        # be published (meetings.completeness).
        if missing := missing_items(content, committee=meeting.committee):
            raise WorkflowError(
                _("The minutes cannot be confirmed: they do not state everything they must. ")
                + " ".join(item.message for item in missing)
                + " "
                + _("Ask the author to complete them first.")
            )
        digest = content_sha256(content)
        # An amendment that changed nothing would have the members sign the
        # same text twice under two codes: the correction must be made first.
        signed = (
            meeting.versions.filter(signed_document__isnull=False)
            .order_by("-number")
            .values_list("number", "content_sha256")
            .first()
        )
        if signed is not None and signed[1] == digest:
            raise WorkflowError(
                _(
                    "The text is the same as signed version %(number)s: there is nothing new "
                    "to confirm. Make the correction first."
                )
                % {"number": signed[0]}
            )
        latest = meeting.versions.order_by("-number").values_list("number", flat=True).first()
        version = MinutesVersion.objects.create(
            meeting=meeting,
            number=(latest or 0) + 1,
            content=canonical_json(content).decode(),
            content_sha256=digest,
            frozen_by=by,
        )
        _move(meeting, Status.CONFIRMED, by=by, version=version)
        transaction.on_commit(lambda: notify_signers(meeting.pk))
    return version


def browser_name(user_agent):
    """The browser as recorded with a signature: what the header said, without
    control characters, cut to the column (it is evidence, not something typed)."""
    limit = Signature._meta.get_field("user_agent").max_length
    return strip_control(str(user_agent or ""))[0].replace("\n", " ")[:limit]


def sign(version, *, user, shown_sha256, method, image, ip_address=None, user_agent=""):
    """A designated signer signs a frozen version; the last signature completes it.

    The signer is ``user`` (from the session), never a form field. The hash the
    signer was shown must still be the version's, checked under the meeting's
    lock, so a signature always belongs to the exact text that was read.
    ``image`` (PNG or JPEG bytes) is re-encoded; the last signature seals the
    version: its official PDF is rendered once and stored.
    """
    try:
        image = clean_signature_image(image)
    except ValidationError as error:
        raise WorkflowError(" ".join(error.messages)) from error
    with transaction.atomic():
        meeting = _locked(version.meeting)
        _require(meeting, Status.CONFIRMED, Status.SIGNING)
        if meeting.current_version() != version:
            raise WorkflowError(_("This version has been replaced; sign the current one."))
        if shown_sha256 != version.content_sha256:
            raise WorkflowError(
                _("The minutes changed since you opened them. Reload the page and read them again.")
            )
        signatory = _signatory(meeting, user, Signatory.Role.SIGNER)
        if signatory is None:
            raise WorkflowError(_("You are not designated to sign these minutes."))
        if version.signatures.filter(person=signatory.person).exists():
            raise WorkflowError(_("You have already signed this version."))
        signatory.meeting = meeting
        with translation.override(DOCUMENT_LANGUAGE):
            printed_role = str(signatory.get_role_display())
        try:
            with transaction.atomic():
                signature = Signature.objects.create(
                    version=version,
                    person=signatory.person,
                    signer_name=signatory.person.name,
                    signer_title=signatory.title,
                    signer_role=printed_role,
                    user=user,
                    content_sha256=shown_sha256,
                    method=method,
                    image=image,
                    ip_address=ip_address,
                    user_agent=browser_name(user_agent),
                )
        except IntegrityError as exc:  # a replay racing past the check above
            raise WorkflowError(_("You have already signed this version.")) from exc
        if meeting.status == Status.CONFIRMED:
            _move(meeting, Status.SIGNING, by=user, version=version)
        if version.signatures.count() >= Signatory.SIGNERS_REQUIRED:
            if problems := seal_problems():
                # The whole transaction is undone, this signature with it: the
                # signer signs again once the seal's configuration is mended.
                raise WorkflowError(
                    _("Your signature would complete the minutes, but they cannot be sealed now: ")
                    + " ".join(str(problem) for problem in problems)
                )
            # The files take seconds to make: the sealing task makes them
            # (and moves the meeting to signed) once this signature is
            # committed, and the signer does not wait for it.
            from .jobs import start_sealing  # jobs runs seal() below: imported when used

            start_sealing(version, requested_by=user)
    return signature


def sealing_pending(meeting):
    """The meeting's current version when it has every signature but no seal yet."""
    if meeting.status != Status.SIGNING:
        return None
    version = meeting.current_version()
    if version is None or version.signatures.count() < Signatory.SIGNERS_REQUIRED:
        return None
    return version


def seal(version, *, progress=None):
    """signing → signed: make the signed version's official files once, seal and store them.

    Run by the sealing task after the last signature (meetings.jobs), and
    again by ``manage.py seal_pending`` after a failure. The files are
    rendered and sealed before the meeting is locked (seconds of work, during
    which ``progress(done, total)`` is told of each file); then, under the
    lock, they are stored and the meeting moves to signed in one transaction,
    only if it is still waiting for them: a second run, or a run racing
    another, stores nothing twice. The stored bytes are what every later
    download, export and verification uses.
    """
    if problems := seal_problems():
        raise WorkflowError(" ".join(str(problem) for problem in problems))
    meeting = version.meeting
    if sealing_pending(meeting) != version:
        return SignedDocument.objects.filter(version=version).first()
    document = SignedDocument.objects.filter(version=version).first() or SignedDocument(
        version=version, verification_code=SignedDocument.code_for(version)
    )
    present = set(document.files.values_list("kind", flat=True)) if document.pk else set()
    files = sealed_files(
        document, [kind for kind in SealedFile.Kind if kind not in present], progress=progress
    )
    with transaction.atomic():
        meeting = _locked(meeting)
        if sealing_pending(meeting) != version:
            return SignedDocument.objects.filter(version=version).first()
        if document.pk is None:
            document.save()
        for stored in files:
            stored.document = document
            stored.save()
        last = version.signatures.order_by("-signed_at", "-pk").first()
        _move(meeting, Status.SIGNED, by=last.user, version=version)
        transaction.on_commit(lambda: notify_signed(meeting.pk))
    return document


def store_sealed_files(document):
    """Render, seal and store each official file the signed version lacks.

    Completes versions signed before a kind of file existed; the first
    files of a version are made by seal().
    """
    present = set(document.files.values_list("kind", flat=True))
    missing = [kind for kind in SealedFile.Kind if kind not in present]
    stored = sealed_files(document, missing)
    for sealed_file in stored:
        sealed_file.save()
    return stored


def sealed_files(document, kinds, *, progress=None):
    """The official files of ``kinds`` for the signed version, rendered and sealed, unsaved.

    Every file carries the signatures and the signature record; each is
    rendered from the frozen content with the version's own date, so only the
    seal's signing time differs from one making to another.
    """
    if not kinds:
        return []
    version = document.version
    signatures = list(version.signatures.order_by("signed_at", "pk"))
    evidence = seal_data(
        version, signatures, code=document.verification_code, url=document.verification_url
    )
    content = version.content_data()
    meeting = version.meeting
    with translation.override(DOCUMENT_LANGUAGE):
        reason = _("Signed minutes: %(meeting)s, version %(number)s (code %(code)s)") % {
            "meeting": meeting,
            "number": version.number,
            "code": document.verification_code,
        }
    made = []
    for kind in kinds:
        if progress is not None:
            progress(len(made), len(kinds))
        public, variant = SealedFile.RENDERINGS[kind]
        pdf = render_minutes_pdf(
            content, public=public, variant=variant, created=version.frozen_at, seal=evidence
        )
        try:
            sealed, used = apply_seal(pdf, reason=reason, location=meeting.committee.organisation)
        except SealError as error:
            raise WorkflowError(str(error)) from error
        made.append(
            SealedFile(
                document=document,
                kind=kind,
                pdf=sealed,
                sha256=hashlib.sha256(sealed).hexdigest(),
                size=len(sealed),
                seal_certificate_sha256=used.sha256,
            )
        )
    if progress is not None:
        progress(len(made), len(kinds))
    return made


def save_signature(user, image):
    """Keep ``user``'s signature (re-encoded like any other) for the next minutes."""
    SavedSignature.objects.update_or_create(
        user=user, defaults={"image": clean_signature_image(image)}
    )


def publish(meeting, *, by):
    """signed → published: the public version may now be released.

    Refused while the signed version lacks anything the records rules require.
    """
    with transaction.atomic():
        meeting = _locked(meeting)
        _require(meeting, Status.SIGNED)
        version = meeting.current_version()
        # What is released is the signed version's own text: it must state
        # everything the records rules require (meetings.completeness).
        if missing := missing_in_version(version):
            raise WorkflowError(
                _(
                    "Version %(number)s cannot be published: it does not state everything "
                    "the minutes must. "
                )
                % {"number": version.number}
                + " ".join(item.message for item in missing)
                + " "
                + _("Amend the minutes to add it, then have the new version signed.")
            )
        _move(meeting, Status.PUBLISHED, by=by, version=version)
        # The public search reads only what is published, as it is printed.
        index_public_version(version)
    return meeting


def amend(meeting, *, by, reason):
    """signed or published → draft: corrections start the next version.

    The signed version, its signatures and its PDF are left exactly as they
    are; the text is edited again and the next confirmation freezes n+1.
    """
    if not reason.strip():
        raise WorkflowError(_("Say why the signed minutes are being amended."))
    with transaction.atomic():
        meeting = _locked(meeting)
        _require(meeting, Status.SIGNED, Status.PUBLISHED)
        _move(meeting, Status.DRAFT, by=by, version=meeting.current_version(), note=reason)
    return meeting


def _addresses(people):
    return sorted({p.email or (p.user.email if p.user_id else "") for p in people} - {""})


def _send(addresses, subject, body):
    if addresses:
        send_mass_mail([(subject, body, None, [address]) for address in addresses])


def notify_reviewers(meeting_pk):
    """Email the attending members that a draft awaits their review."""
    meeting = Meeting.objects.select_related("committee").get(pk=meeting_pk)
    attended = [
        attendance.member.person
        for attendance in meeting.attendances.select_related("member__person__user")
        if attendance.is_present
    ]
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            _addresses(attended),
            _("Minutes to review: %(meeting)s") % {"meeting": meeting},
            _("Please review the draft minutes by %(deadline)s.")
            % {"deadline": moment(meeting.review_deadline)},
        )


def _signatory_people(meeting, *roles):
    return [
        signatory.person
        for signatory in meeting.signatories.filter(role__in=roles).select_related("person__user")
    ]


def notify_signers(meeting_pk):
    """Email the designated signers that the confirmed text awaits their signature."""
    meeting = Meeting.objects.select_related("committee").get(pk=meeting_pk)
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            _addresses(_signatory_people(meeting, Signatory.Role.SIGNER)),
            _("Minutes to sign: %(meeting)s") % {"meeting": meeting},
            _("The final text is confirmed. Please read it and sign it on the site."),
        )


def notify_signed(meeting_pk):
    """Tell the author and the confirmer that the minutes are signed and sealed."""
    meeting = Meeting.objects.select_related("committee").get(pk=meeting_pk)
    roles = (Signatory.Role.AUTHOR, Signatory.Role.CONFIRMER)
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            _addresses(_signatory_people(meeting, *roles)),
            _("Minutes signed: %(meeting)s") % {"meeting": meeting},
            _("Both signatures are in; the official PDF is sealed and can be published."),
        )
