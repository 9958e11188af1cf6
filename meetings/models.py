"""The meeting record: when and where, who attended, the outline and who signs.

Agenda content (items, remarks, resolutions) lives in the agenda app and points
here; this module reaches it only through reverse relations, never by import.
"""

import hashlib
import json
import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committees.models import Committee, Member, MemberRole, Person
from minutes_site.inputs import validate_meeting_day, validate_text

from .hashchain import GENESIS, row_sha256


class FrozenRecordError(Exception):
    """An attempt to change what was frozen: a version, a signature, a confirmed text."""


class MeetingContent(models.Model):
    """Part of a meeting's text: editable only while the meeting is editable.

    Once the confirmer has frozen a version, the text it was made from stays
    as it was until amend() reopens it. Checked on every save() and delete()
    (one query); the admin shows such meetings read-only.
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.ensure_meeting_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.ensure_meeting_editable()
        return super().delete(*args, **kwargs)

    def guarded_meeting_id(self):
        return self.meeting_id

    def ensure_meeting_editable(self):
        meeting_id = self.guarded_meeting_id()
        if meeting_id is None:
            return
        status = Meeting.objects.filter(pk=meeting_id).values_list("status", flat=True).first()
        if status is not None and status not in Meeting.EDITABLE_STATUSES:
            raise FrozenRecordError(
                _("The minutes are confirmed: amend them to make a correction.")
            )


class MeetingQuerySet(models.QuerySet):
    def by_reference(self, reference):
        """The meetings a person means by ``reference``: an id, or a slug
        such as ``data-policy-2026-1`` (committee, year, sequence)."""
        reference = str(reference).strip()
        if re.fullmatch(r"[0-9]{1,18}", reference):
            return self.filter(pk=int(reference))
        match = re.fullmatch(
            r"(?P<committee>[-\w]+)-(?P<year>[0-9]{4})-(?P<sequence>[0-9]{1,4})", reference
        )
        if match is None:
            return self.none()
        return self.filter(
            committee__slug=match["committee"],
            year=int(match["year"]),
            sequence=int(match["sequence"]),
        )

    def for_user(self, user):
        """Meetings ``user`` may read.

        Staff see every committee; anybody else sees the committees they sit
        on or keep as a secretary, and the meetings where they are named in
        the signature block.
        """
        if not user.is_authenticated:
            return self.none()
        if user.is_staff or user.is_superuser:
            return self
        return self.filter(
            Q(committee__members__person__user=user)
            | Q(committee__secretaries=user)
            | Q(signatories__person__user=user)
        ).distinct()

    def search(self, text):
        """Meetings whose title or place holds every word of ``text``.

        The title is composed (2026년 1차 데이터정책위원회), so a word matches the
        committee's name or the place, and a word like 2026 or 2026년 also
        the year, 1차 the meeting's number: "2026년 1차 데이터" finds it.
        """
        queryset = self
        for word in text.split():
            matches = Q(committee__name__icontains=word) | Q(place__icontains=word)
            if year := re.fullmatch(r"([0-9]{4})년?", word):
                matches |= Q(year=int(year[1]))
            elif sequence := re.fullmatch(r"([0-9]{1,4})차", word):
                matches |= Q(sequence=int(sequence[1]))
            queryset = queryset.filter(matches)
        return queryset

    def with_signature_block(self):
        """With the committee and the signature block (+person), in two queries:
        who may do what (Meeting.designates) and what the block lacks
        (services.review_problems) are then read without another."""
        return self.select_related("committee").prefetch_related(
            Prefetch("signatories", queryset=Signatory.objects.select_related("person"))
        )

    def for_editor(self):
        """with_signature_block(), and the attendances and non-member attendees
        (+person) that the editor's overview form and its speaker list both read."""
        return self.with_signature_block().prefetch_related(
            "attendances",
            Prefetch(
                "non_member_attendees",
                queryset=NonMemberAttendee.objects.select_related("person"),
            ),
        )

    def filter_options(self):
        """The (committee slug, committee name, year) triples of these meetings, in
        one query: what a filter form offers (forms.offer_committees_and_years)."""
        return list(
            self.order_by().values_list("committee__slug", "committee__name", "year").distinct()
        )

    def with_minutes(self):
        """Everything the minutes page shows, in a fixed number of queries.

        One query for the meetings with their committee, then one per
        prefetch: attendances (+member+person), member roles, non-member
        attendees (+person), proceedings, agenda items, resolutions (+item),
        speaker blocks (+speaker+agenda item), statements, signatories
        (+person), and the committee roster (+person) whose names the public
        version masks: 10 in all, however long the remarks are, and
        minutes_content() reads the statements' texts in one more.
        """
        speaker_blocks = Meeting._meta.get_field("speaker_blocks").related_model
        resolutions = Meeting._meta.get_field("resolutions").related_model
        return self.select_related("committee").prefetch_related(
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("member__person").order_by(
                    "member__kind", "member__person__name"
                ),
            ),
            "attendances__member__roles",
            Prefetch(
                "non_member_attendees",
                queryset=NonMemberAttendee.objects.select_related("person"),
            ),
            "proceedings",
            "agenda_items",
            Prefetch(
                "resolutions",
                queryset=resolutions.objects.select_related("agenda_item"),
            ),
            # The statements are read as plain texts by minutes_content(), in
            # one query of their own: thousands of model instances (and a
            # related manager per block) were most of a long draft's time.
            Prefetch(
                "speaker_blocks",
                queryset=speaker_blocks.objects.select_related(
                    "member__person", "attendee__person", "agenda_item"
                ),
            ),
            Prefetch("signatories", queryset=Signatory.objects.select_related("person")),
            Prefetch(
                "committee__members",
                queryset=Member.objects.select_related("person"),
                to_attr="roster",
            ),
        )


class Meeting(models.Model):
    """One sitting of a committee, e.g. 2024년 1차 빅데이터심의위원회."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_REVIEW = "in_review", _("in review")
        CONFIRMED = "confirmed", _("confirmed")
        SIGNING = "signing", _("signing")
        SIGNED = "signed", _("signed")
        PUBLISHED = "published", _("published")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveSmallIntegerField(
        _("sequence"), help_text=_("The meeting's number within the year: 1 for 1차.")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, validators=[validate_text])
    document_date = models.DateField(
        _("document date"),
        help_text=_("Printed on the cover as year and month, e.g. 2024. 4."),
    )
    unplaced_text = models.TextField(
        _("unplaced text"),
        blank=True,
        help_text=_(
            "Imported or pasted text that could not be placed in the minutes: "
            "move it where it belongs, then clear it. Never printed."
        ),
        validators=[validate_text],
    )
    review_deadline = models.DateTimeField(
        _("review deadline"), null=True, blank=True, editable=False
    )
    # Changed only by the workflow services, never by a form (see admin).
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last edited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "sequence"],
                name="meeting_unique_sequence",
                violation_error_message=_(
                    "This committee already has a meeting with this number in that year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            ),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="meeting_sequence_positive"),
            models.CheckConstraint(
                condition=Q(
                    status__in=["draft", "in_review", "confirmed", "signing", "signed", "published"]
                ),
                name="meeting_status_valid",
            ),
        ]

    def __str__(self):
        return _("%(year)s no. %(sequence)s %(committee)s") % {
            "year": self.year,
            "sequence": self.sequence,
            "committee": self.committee.name,
        }

    WORKFLOW_FIELDS = frozenset({"status", "updated_at", "review_deadline"})

    def save(self, *args, **kwargs):
        # The workflow services write only WORKFLOW_FIELDS; anything else is
        # an edit of the text, refused once it is frozen.
        update_fields = kwargs.get("update_fields")
        workflow_only = update_fields is not None and set(update_fields) <= self.WORKFLOW_FIELDS
        if self.pk and not workflow_only:
            stored = Meeting.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored is not None and stored not in self.EDITABLE_STATUSES:
                raise FrozenRecordError(
                    _("The minutes are confirmed: amend them to make a correction.")
                )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("meetings:minutes", args=[self.pk])

    @property
    def slug(self):
        """data-policy-2026-1: readable, unique, and accepted by by_reference()."""
        return f"{self.committee.slug}-{self.year}-{self.sequence}"

    def clean(self):
        errors = {}
        # Dates within the span meetings are held in: a year-1 date breaks
        # every later read of the row on PostgreSQL (stored as 1 BC).
        for field in ("starts_at", "ends_at", "document_date", "review_deadline"):
            try:
                validate_meeting_day(getattr(self, field))
            except ValidationError as invalid:
                errors[field] = invalid.messages
        if errors:
            raise ValidationError(errors)
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The meeting must end after it starts.")
        if self.starts_at and self.year and self.year != timezone.localtime(self.starts_at).year:
            errors["year"] = _("The year must be the year the meeting took place.")
        if errors:
            raise ValidationError(errors)

    @property
    def revision(self):
        """What an edit of the text was based on: when the meeting was last saved.

        Every page that edits the text (admin, editor) carries it, and every
        write of the text moves it on, so a save from a stale page is caught.
        """
        return self.updated_at.isoformat()

    def saved_since(self, revision):
        """(who, time) of the last save when it came after ``revision``, else None."""
        stored = (
            Meeting.objects.filter(pk=self.pk)
            .values_list("updated_at", "updated_by__username")
            .first()
        )
        if stored is None or revision == stored[0].isoformat():
            return None
        return stored[1] or _("someone else"), timezone.localtime(stored[0]).strftime("%H:%M:%S")

    @property
    def meeting_day(self):
        return timezone.localtime(self.starts_at).date()

    # The text can be edited while it is a draft or under review; from the
    # confirmer's confirmation on, the frozen version is what counts.
    EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.IN_REVIEW})

    @property
    def is_editable(self):
        return self.status in self.EDITABLE_STATUSES

    def current_version(self):
        """The newest frozen version, or None while the text was never confirmed."""
        return self.versions.order_by("-number").first()

    def present_member_ids(self):
        """Roster members marked present, as stored (one query unless prefetched)."""
        return {a.member_id for a in self.attendances.all() if a.is_present}

    def _loaded(self, relation, **plan):
        """``relation``'s rows: the prefetched ones (with_minutes()) or one query."""
        rows = getattr(self, relation).all()
        if relation in getattr(self, "_prefetched_objects_cache", {}):
            return rows
        return rows.select_related(*plan.get("select", ())).prefetch_related(
            *plan.get("prefetch", ())
        )

    def _loaded_attendances(self):
        return self._loaded("attendances", select=["member__person"], prefetch=["member__roles"])

    def load_signature_block(self):
        """Prefetch the signatories (+person) unless they are (one query)."""
        if "signatories" not in getattr(self, "_prefetched_objects_cache", {}):
            prefetch_related_objects(
                [self],
                Prefetch("signatories", queryset=Signatory.objects.select_related("person")),
            )

    def designates(self, user, *roles):
        """Whether ``user`` is named in the signature block (in one of ``roles``, if given)."""
        return user.is_authenticated and any(
            signatory.person.user_id == user.pk and (not roles or signatory.role in roles)
            for signatory in self._loaded("signatories", select=["person"])
        )

    def attended_by(self, user):
        """Whether ``user`` attended as a member (marked present)."""
        return user.is_authenticated and any(
            attendance.is_present and attendance.member.person.user_id == user.pk
            for attendance in self._loaded_attendances()
        )

    def voting_attendance(self):
        """(present, absent) members, leaving out the secretary (간사).

        The secretary runs the meeting but is neither counted among the members
        present nor given a vote. Reads prefetched attendances and roles when
        the meeting was loaded with_minutes(), otherwise queries them.
        """
        day = self.meeting_day
        present, absent = [], []
        for attendance in self._loaded_attendances():
            if attendance.member.role_on(day) == MemberRole.Role.SECRETARY:
                continue
            (present if attendance.is_present else absent).append(attendance.member)
        return present, absent


class Attendance(MeetingContent):
    """Whether one roster member attended. Counts are always derived from these rows."""

    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        ABSENT = "absent", _("absent")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="attendances"
    )
    status = models.CharField(
        _("attendance"), max_length=10, choices=Status.choices, default=Status.PRESENT
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                name="attendance_unique_member",
                violation_error_message=_("This member is already in the attendance list."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["present", "absent"]), name="attendance_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.member.person.name}: {self.get_status_display()}"

    @property
    def is_present(self):
        return self.status == self.Status.PRESENT

    def clean(self):
        validate_roster_member(getattr(self, "meeting", None), getattr(self, "member", None))


def validate_roster_member(meeting, member, field="member"):
    """A member of another committee cannot attend (or speak) as a member."""
    if meeting is None or member is None:
        return
    if member.committee_id != meeting.committee_id:
        raise ValidationError(
            {
                field: _("%(name)s is not on the roster of %(committee)s.")
                % {"name": member.person.name, "committee": meeting.committee.name}
            }
        )


class NonMemberAttendee(MeetingContent):
    """Somebody present who is not a member (배석): a known person or free text.

    The minutes often list staff as a group ("담당 팀장 등") while one of them
    speaks and must be recorded by name: such a person is ``included_in`` the
    group entry, and only the group is printed in the attendance line.
    """

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="non_member_attendees",
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.CharField(
        _("free text"),
        max_length=200,
        blank=True,
        help_text=_("For attendees without a person record, e.g. 담당 팀장 등."),
        validators=[validate_text],
    )
    included_in = models.ForeignKey(
        "self",
        verbose_name=_("included in"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="included",
        help_text=_("The group entry that covers this person in the printed list."),
    )

    class Meta:
        verbose_name = _("non-member attendee")
        verbose_name_plural = _("non-member attendees")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(description=""),
                name="non_member_attendee_has_person_or_text",
                violation_error_message=_("Choose a person or enter a description."),
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        if self.person_id:
            return f"{self.person.name} {self.person.position}".strip()
        return self.description

    def clean(self):
        if self.person_id is None and not self.description.strip():
            raise ValidationError(_("Choose a person or enter a description."))
        group = self.included_in
        if group is not None:
            if group.pk == self.pk or group.person_id or group.included_in_id:
                raise ValidationError(
                    {"included_in": _("Choose a free-text group entry such as 담당 팀장 등.")}
                )
            if self.meeting_id and group.meeting_id != self.meeting_id:
                raise ValidationError(
                    {"included_in": _("This entry was recorded for another meeting.")}
                )


class ProceedingsItem(MeetingContent):
    """One line of the order of proceedings (진행순서), an outline kept flat.

    The outline is stored as (position, depth) pairs rather than a parent
    pointer: that is how secretaries type outlines, and the one rule that keeps
    it well-formed (each line at most one level deeper than the previous) is
    checked where the whole list is edited at once.
    """

    MAX_DEPTH = 2

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="proceedings"
    )
    position = models.PositiveSmallIntegerField(_("order"))
    depth = models.PositiveSmallIntegerField(
        _("level"), default=0, help_text=_("0 for a main item, 1 or 2 for sub-items.")
    )
    text = models.CharField(_("text"), max_length=300, validators=[validate_text])

    class Meta:
        verbose_name = _("proceedings item")
        verbose_name_plural = _("order of proceedings")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(depth__lte=2), name="proceedings_depth_max"),
        ]

    def __str__(self):
        return self.text

    @staticmethod
    def outline_errors(depths):
        """Why a sequence of depths is not a well-formed outline (empty if it is)."""
        previous = -1
        for index, depth in enumerate(depths, start=1):
            if depth > ProceedingsItem.MAX_DEPTH:
                return [
                    _("Line %(line)s: at most %(max)s sub-levels are allowed.")
                    % {"line": index, "max": ProceedingsItem.MAX_DEPTH}
                ]
            if depth > previous + 1:
                return [
                    _("Line %(line)s is indented more than one level below the line above it.")
                    % {"line": index}
                ]
            previous = depth
        return []


class Signatory(MeetingContent):
    """A name in the signature block printed at the top of the minutes."""

    class Role(models.TextChoices):
        SIGNER = "signer", _("reader and signer")
        CONFIRMER = "confirmer", _("confirmer")
        AUTHOR = "author", _("author")

    SIGNERS_REQUIRED = 2

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="signatories"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    printed_title = models.CharField(
        _("printed title"),
        max_length=100,
        blank=True,
        help_text=_(
            "Left empty: the committee's member title for signers, the person's position otherwise."
        ),
        validators=[validate_text],
    )

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signature block")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["signer", "confirmer", "author"]),
                name="signatory_role_valid",
            ),
            models.UniqueConstraint(
                fields=["meeting", "role"],
                condition=Q(role__in=["confirmer", "author"]),
                name="signatory_one_confirmer_one_author",
                violation_error_message=_("The signature block has one confirmer and one author."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "role", "person"],
                name="signatory_unique_person_per_role",
                violation_error_message=_("This person is already named in that role."),
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.person.name}"

    @property
    def title(self):
        if self.printed_title:
            return self.printed_title
        if self.role == self.Role.SIGNER:
            return self.meeting.committee.signer_title
        return self.person.position

    def validate_attended(self, present_member_ids):
        """Signers are members elected at the meeting, so they must have attended.

        Not part of clean(): attendance is edited on the same page as the
        signature block, so the caller passes the attendance it is saving.
        """
        if self.role != self.Role.SIGNER:
            return
        attended = Member.objects.filter(
            pk__in=present_member_ids, person_id=self.person_id
        ).exists()
        if not attended:
            raise ValidationError(
                {
                    "person": _(
                        "%(name)s did not attend this meeting as a member and cannot "
                        "sign its minutes."
                    )
                    % {"name": self.person.name}
                }
            )


class ImmutableQuerySet(models.QuerySet):
    """Bulk writes would bypass the rows' own refusal: refuse them here too."""

    def update(self, **kwargs):
        raise FrozenRecordError(_("Frozen minutes cannot be changed."))

    def delete(self):
        raise FrozenRecordError(_("Frozen minutes cannot be deleted."))


class InsertOnlyModel(models.Model):
    """A row written once and never again: legal evidence.

    save() of an existing row, delete(), and bulk update()/delete() raise; on
    PostgreSQL a trigger refuses UPDATE and DELETE as well (migration 0004),
    so not even raw SQL can alter what was signed, and the app's database
    role may only read and insert these tables (grant_app_role).
    """

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.refuse_change()
        super().save(*args, **kwargs)

    def refuse_change(self):
        """FrozenRecordError unless this row is a new one."""
        if self.pk is not None and not self._state.adding:
            raise FrozenRecordError(_("Frozen minutes cannot be changed."))

    def delete(self, *args, **kwargs):
        raise FrozenRecordError(_("Frozen minutes cannot be deleted."))


class ChainedModel(InsertOnlyModel):
    """An insert-only row that also carries its predecessor's SHA-256: the trail.

    A table's rows form one chain in the order they were inserted (by id): each
    row keeps ``previous_sha256``, its predecessor's ``row_sha256`` (GENESIS
    for the first), and ``row_sha256``, the SHA-256 of its own CHAINED_FIELDS
    and that link (meetings.hashchain). Grants and triggers stop the app from
    changing a row; the chain shows a change made by anyone else, even the
    tables' owner: a changed, removed, reordered or slipped-in row breaks a
    link, and rewriting every later link is caught by comparing the head with
    one recorded outside the database (``verify_trail --anchor``).

    One chain per table rather than per meeting, so that removing a whole
    meeting's rows leaves a gap too.
    """

    # The row's own facts, in the order they were stored. Part of every
    # stored hash: changing this list breaks the chain (migration 0008).
    CHAINED_FIELDS = ()

    previous_sha256 = models.CharField(
        _("SHA-256 of the previous row"), max_length=64, editable=False
    )
    row_sha256 = models.CharField(_("SHA-256 of this row"), max_length=64, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.refuse_change()  # before the hashes are touched
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        # The lock is held until the outermost transaction ends, so the next
        # row of the chain is written only once this one is committed.
        with transaction.atomic(using=using):
            self._lock_chain(using)
            previous = (
                type(self)
                .objects.using(using)
                .order_by("-pk")
                .values_list("row_sha256", flat=True)
                .first()
            )
            self.previous_sha256 = previous or GENESIS
            self.row_sha256 = self.computed_sha256()
            super().save(*args, **kwargs)

    def computed_sha256(self):
        """What ``row_sha256`` must be for the row as it is now."""
        return row_sha256(self, self.CHAINED_FIELDS, self.previous_sha256)

    @classmethod
    def _lock_chain(cls, using):
        """Serialise inserts into this chain, so two rows never follow the same one.

        On PostgreSQL a transaction-level advisory lock: it needs no privilege
        on the table (SELECT ... FOR UPDATE would need UPDATE, which the app's
        role does not have on frozen tables). SQLite writes one transaction at
        a time anyway; the unique ``previous_sha256`` refuses a fork on both.
        """
        connection = connections[using]
        if connection.vendor != "postgresql":
            return
        key = int.from_bytes(
            hashlib.sha256(cls._meta.db_table.encode()).digest()[:8], "big", signed=True
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def chain_constraints(name):
    """One successor per row, and hashes that look like hashes."""
    return [
        models.UniqueConstraint(fields=["previous_sha256"], name=f"{name}_chain_has_no_fork"),
        models.CheckConstraint(
            condition=Q(previous_sha256__regex=r"^[0-9a-f]{64}$")
            & Q(row_sha256__regex=r"^[0-9a-f]{64}$"),
            name=f"{name}_chain_sha256_is_hex",
        ),
    ]


class MinutesVersionQuerySet(ImmutableQuerySet):
    def published(self):
        """The versions the public may read: for each meeting, the newest version
        that was ever published. A published version stays public while its
        amendment is prepared; the amendment replaces it once it is published."""
        released = StatusChange.objects.filter(to_status=Meeting.Status.PUBLISHED).values("version")
        newer = self.model.objects.filter(
            meeting=models.OuterRef("meeting"),
            number__gt=models.OuterRef("number"),
            pk__in=released,
        )
        return self.filter(pk__in=released).exclude(models.Exists(newer))


class MinutesVersion(InsertOnlyModel):
    """The text of the minutes as confirmed: what the signers sign.

    ``content`` is the canonical JSON of minutes_content() at confirmation,
    byte for byte what ``content_sha256`` hashes. A correction never edits a
    version: amend() reopens the meeting and the next confirmation freezes
    version n+1, while this one, its signatures and its PDF stay as they are.
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    content = models.TextField(_("content (canonical JSON)"))
    content_sha256 = models.CharField(_("SHA-256 of the content"), max_length=64)
    frozen_at = models.DateTimeField(_("confirmed at"), default=timezone.now)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = MinutesVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("minutes version")
        verbose_name_plural = _("minutes versions")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="version_unique_number"),
            models.CheckConstraint(
                condition=Q(content_sha256__regex=r"^[0-9a-f]{64}$"),
                name="version_sha256_is_hex",
            ),
        ]

    def __str__(self):
        return _("%(meeting)s, version %(number)s") % {
            "meeting": self.meeting,
            "number": self.number,
        }

    def content_data(self):
        return json.loads(self.content)

    def successor(self):
        """The next version of the same minutes (an amendment), or None."""
        return (
            MinutesVersion.objects.filter(meeting_id=self.meeting_id, number__gt=self.number)
            .select_related("signed_document")
            .order_by("number")
            .first()
        )

    def amendment(self):
        """The status change that reopened this version for correction, or None."""
        return (
            self.meeting.status_changes.filter(version=self, to_status=Meeting.Status.DRAFT)
            .select_related("by")
            .order_by("at", "id")
            .first()
        )


class Signature(ChainedModel):
    """One designated signer's signature on one frozen version.

    Who signed comes from the session, never from the form; the hash is the
    one the signer was shown, re-checked against the version under a lock.
    All signatures form one hash chain (ChainedModel).
    """

    CHAINED_FIELDS = (
        "version",
        "person",
        "signer_name",
        "signer_title",
        "signer_role",
        "user",
        "content_sha256",
        "signed_at",
        "method",
        "image",
        "ip_address",
        "user_agent",
    )

    class Method(models.TextChoices):
        DRAWN = "drawn", _("drawn signature")
        SEAL = "seal", _("seal image")
        SAVED = "saved", _("saved signature")

    version = models.ForeignKey(
        MinutesVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("signer"), on_delete=models.PROTECT, related_name="+"
    )
    # As printed at signing time: a later rename of the person changes nothing.
    signer_name = models.CharField(_("signer's name as signed"), max_length=100)
    signer_title = models.CharField(_("signer's title as signed"), max_length=100, blank=True)
    signer_role = models.CharField(_("signer's role as signed"), max_length=50)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    content_sha256 = models.CharField(_("SHA-256 shown to the signer"), max_length=64)
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    method = models.CharField(_("method"), max_length=8, choices=Method.choices)
    image = models.BinaryField(_("signature image (PNG)"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["version", "signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "person"],
                name="signature_once_per_signer_and_version",
                violation_error_message=_("This member has already signed this version."),
            ),
            models.CheckConstraint(
                condition=Q(method__in=["drawn", "seal", "saved"]), name="signature_method_valid"
            ),
            *chain_constraints("signature"),
        ]

    def __str__(self):
        return f"{self.signer_name} · {self.version}"


class SignedDocument(InsertOnlyModel):
    """The seal of a signed version: its verification code and its official files.

    Made once, by the last signature: the files (SealedFile) are rendered,
    sealed with the organisation's certificate and stored, and every later
    download, export and verification uses those bytes. ``verification_code``
    is printed on each file and on the minutes page.
    """

    version = models.OneToOneField(
        MinutesVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="signed_document",
    )
    verification_code = models.CharField(_("verification code"), max_length=16, unique=True)
    created_at = models.DateTimeField(_("sealed at"), default=timezone.now)

    class Meta:
        verbose_name = _("signed minutes")
        verbose_name_plural = _("signed minutes")

    def __str__(self):
        return str(self.version)

    @staticmethod
    def code_for(version):
        """A short, readable code for this version: AB12-CD34-EF56.

        Derived from the version's identity and its content hash, so that a
        version confirmed again with unchanged text still gets its own code.
        """
        digest = hashlib.sha256(f"{version.pk}:{version.content_sha256}".encode()).hexdigest()
        digest = digest.upper()
        return f"{digest[:4]}-{digest[4:8]}-{digest[8:12]}"

    @property
    def verification_url(self):
        """Where the signed files say they can be checked: printed and sealed in them."""
        return settings.SITE_URL + reverse("meetings:verify_code", args=[self.verification_code])

    def stored_files(self):
        """The stored files in the order readers are offered them, without their bytes."""
        order = list(SealedFile.Kind.values)
        files = self.files.all()
        if "files" not in getattr(self, "_prefetched_objects_cache", {}):
            files = files.defer("pdf")
        return sorted(files, key=lambda f: order.index(f.kind))


class SealedFile(InsertOnlyModel):
    """One official file of a signed version, exactly as it was stored at sealing.

    Every signed version has the internal PDF/A-3b (with its canonical JSON),
    the internal PDF/A-1b preservation copy and the public (redacted) PDF/A-3b,
    each with the signatures and the signature record page, and each sealed
    with the organisation's certificate (PAdES). Each file's SHA-256 is
    registered, so the verification page recognises any of them.
    """

    class Kind(models.TextChoices):
        INTERNAL_PDFA3B = "internal-pdfa3b", _("Internal version, PDF/A-3b (archive)")
        INTERNAL_PDFA1B = "internal-pdfa1b", _("Internal version, PDF/A-1b (national archive)")
        PUBLIC_PDFA3B = "public-pdfa3b", _("Public version, PDF/A-3b")

    # kind -> (public, PDF variant as meetings.pdf.Variant spells it)
    RENDERINGS = {
        Kind.INTERNAL_PDFA3B: (False, "pdf/a-3b"),
        Kind.INTERNAL_PDFA1B: (False, "pdf/a-1b"),
        Kind.PUBLIC_PDFA3B: (True, "pdf/a-3b"),
    }

    document = models.ForeignKey(
        SignedDocument,
        verbose_name=_("signed minutes"),
        on_delete=models.PROTECT,
        related_name="files",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, unique=True)
    size = models.PositiveIntegerField(_("size in bytes"))
    seal_certificate_sha256 = models.CharField(
        _("SHA-256 of the seal certificate"),
        max_length=64,
        blank=True,
        help_text=_("Empty for a file stored before documents were sealed (PAdES)."),
    )

    class Meta:
        verbose_name = _("signed file")
        verbose_name_plural = _("signed files")
        ordering = ["document", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["document", "kind"], name="sealed_file_one_per_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=["internal-pdfa3b", "internal-pdfa1b", "public-pdfa3b"]),
                name="sealed_file_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="sealed_file_sha256_is_hex"
            ),
        ]

    def __str__(self):
        return f"{self.document} · {self.get_kind_display()}"

    @property
    def public(self):
        return self.RENDERINGS[self.kind][0]

    @property
    def variant(self):
        return self.RENDERINGS[self.kind][1]

    @property
    def is_sealed(self):
        return bool(self.seal_certificate_sha256)

    def filename(self, version=None):
        """data-policy-2026-1-v1-public-pdfa3b.pdf"""
        version = version or self.document.version
        return f"{version.meeting.slug}-v{version.number}-{self.kind}.pdf"


class StatusChange(ChainedModel):
    """The trail of the workflow: who moved the minutes from what to what, when.

    All status changes form one hash chain (ChainedModel).
    """

    CHAINED_FIELDS = ("meeting", "version", "from_status", "to_status", "by", "at", "note")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="status_changes"
    )
    version = models.ForeignKey(
        MinutesVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    from_status = models.CharField(_("from"), max_length=12, choices=Meeting.Status.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=Meeting.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True, validators=[validate_text])

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["at", "id"]
        constraints = chain_constraints("status_change")

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class MeetingCheck(models.Model):
    """Something in a draft that a person must look at before it goes to review.

    An import writes one for every overview field it could not read or only
    guessed, and for every line it was unsure of; the secretary settles each
    (after correcting the text, or deciding it is right). While any is open
    the draft cannot be sent for review. The message is written in the words
    of the person who imported, with the source line it concerns.
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="checks"
    )
    # What it concerns, as a short code: "place", "day", "attendees", "speaker", "line" ...
    topic = models.CharField(_("concerns"), max_length=40)
    message = models.TextField(_("what to check"), validators=[validate_text])
    source_line = models.PositiveIntegerField(_("line in the source"), null=True, blank=True)
    source_text = models.TextField(_("text in the source"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("settled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("point to check")
        verbose_name_plural = _("points to check")
        ordering = ["meeting", "source_line", "id"]
        indexes = [models.Index(fields=["meeting", "settled_at"], name="meeting_check_open")]

    def __str__(self):
        return self.message

    @property
    def is_settled(self):
        return self.settled_at is not None


class SavedSignature(models.Model):
    """A signer's own signature image, kept to sign the next minutes with one click.

    Only ever an image that passed clean_signature_image(); replaced, not
    versioned: what was signed lives on in each Signature.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        on_delete=models.CASCADE,
        related_name="saved_signature",
    )
    image = models.BinaryField(_("signature image (PNG)"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("saved signature")
        verbose_name_plural = _("saved signatures")

    def __str__(self):
        return str(self.user)


class JobQuerySet(models.QuerySet):
    def for_user(self, user):
        """Jobs ``user`` may follow: their own, and those of meetings they may read."""
        if not user.is_authenticated:
            return self.none()
        readable = Meeting.objects.for_user(user).values("pk")
        return self.filter(Q(requested_by=user) | Q(meeting__in=readable))

    def active(self):
        return self.filter(state__in=[Job.State.QUEUED, Job.State.RUNNING])


class Job(models.Model):
    """Long work done by a task worker, and what the person waiting sees of it.

    The task queue (django-tasks: the database backend, or RQ on Redis) only
    runs the work; this row is the one record of it that the site reads,
    whichever backend ran it: its state, how far it got (``done`` of
    ``total`` steps), a message for the reader when it failed, and the result
    file to download when it is done. Written only by meetings.jobs.
    """

    class Kind(models.TextChoices):
        SEAL = "seal", _("Sealing the signed minutes")
        DRAFT_PDF = "draft_pdf", _("Minutes as PDF")
        ARCHIVE = "archive", _("Archive export")
        IMPORT = "import", _("Importing minutes")

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("in progress")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jobs",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    # What to do, as the task reads it: a version, a variant, a committee and year.
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(_("steps done"), default=0)
    total = models.PositiveIntegerField(_("steps"), default=0)
    message = models.TextField(_("message"), blank=True)
    result = models.BinaryField(_("result"), null=True, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    # The task queue's own id of the last run, to find it in the worker's logs.
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["meeting", "kind", "-created_at"], name="job_meeting_kind")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["seal", "draft_pdf", "archive", "import"]),
                name="job_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["queued", "running", "done", "failed"]),
                name="job_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")), name="job_done_within_total"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("meetings:job", args=[self.pk])

    @property
    def is_finished(self):
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def has_result(self):
        return self.state == self.State.DONE and bool(self.filename)

    @property
    def percent(self):
        """How far the work got, 0-100 (100 once done, whatever the steps said)."""
        if self.state == self.State.DONE:
            return 100
        return round(100 * self.done / self.total) if self.total else 0


class PublicPassageQuerySet(models.QuerySet):
    def matching(
        self, *, words=(), speaker=(), agenda="", committee="", year=None, since=None, until=None
    ):
        """Passages holding every one of ``words`` in their (masked) text, spoken by
        a heading holding every word of ``speaker``, under an agenda item whose
        title holds ``agenda``, of a committee (slug), a year and a span of days.

        Every text condition is ``icontains``, which PostgreSQL answers from the
        trigram indexes of migration 0012 (UPPER(column) gin_trgm_ops): Korean
        has no stemmer there, and a trigram finds 데이터 inside 빅데이터.
        """
        passages = self
        for word in words:
            passages = passages.filter(text__icontains=word)
        for word in speaker:
            passages = passages.filter(heading__icontains=word)
        if agenda:
            passages = passages.filter(agenda_title__icontains=agenda)
        if committee:
            passages = passages.filter(committee__slug=committee)
        if year:
            passages = passages.filter(year=year)
        if since:
            passages = passages.filter(day__gte=since)
        if until:
            passages = passages.filter(day__lte=until)
        return passages


class PublicPassage(models.Model):
    """One speaker block of a published version, as the public minutes print it.

    The public search reads this table and nothing else: the heading is the
    public one (<000위원>) and the text the statements with every name of the
    record masked (meetings.minutes.public_content), so a redacted name cannot
    be found, not even by a result that exists. Written by services.publish()
    (meetings.search.index_public_version) for the version it publishes,
    replacing the meeting's earlier passages, and by migration 0012 for the
    versions published before it. Derived data: rebuilt, never edited.
    """

    version = models.ForeignKey(
        MinutesVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="+"
    )
    # The meeting's committee, year, 차수 and day again, so that a search and
    # its link to the public page need no other table than the committee's.
    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveSmallIntegerField(_("sequence"))
    day = models.DateField(_("date"))
    # N of the block's anchor on the minutes page: #remark-N, from 1.
    position = models.PositiveIntegerField(_("order"))
    heading = models.CharField(_("heading as published"), max_length=100, blank=True)
    text = models.TextField(_("statements as published"))
    agenda_title = models.CharField(_("agenda item"), max_length=300, blank=True)

    objects = PublicPassageQuerySet.as_manager()

    class Meta:
        verbose_name = _("published passage")
        verbose_name_plural = _("published passages")
        ordering = ["-day", "-meeting_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"], name="public_passage_one_per_block"
            ),
        ]
        indexes = [
            models.Index(fields=["-day", "-meeting", "position"], name="public_passage_order"),
            models.Index(fields=["committee", "year"], name="public_passage_committee"),
        ]

    def __str__(self):
        return f"{self.meeting_id} #{self.position} <{self.heading}>"
