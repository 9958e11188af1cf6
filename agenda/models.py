"""What was on the table and what was said: agenda items, remarks, resolutions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from committees.models import Member
from meetings.minutes import speaker_heading
from meetings.models import Meeting, MeetingContent, NonMemberAttendee, validate_roster_member
from minutes_site.inputs import too_long, validate_text


class Outcome(models.TextChoices):
    PASSED = "passed", _("passed as proposed")
    PASSED_AS_AMENDED = "passed_as_amended", _("passed as amended")
    REJECTED = "rejected", _("rejected")
    DEFERRED = "deferred", _("deferred")
    RECEIVED = "received", _("report received")


class AgendaItem(MeetingContent):
    """An item put before the committee, numbered 【n】 within its kind."""

    class Kind(models.TextChoices):
        # Declared in the order the minutes list them.
        DELIBERATION = "deliberation", _("deliberation")
        REPORT = "report", _("report")
        ADVISORY = "advisory", _("advisory")
        REPORT_ADVISORY = "report_advisory", _("report (advisory)")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("Printed as 【1】."))
    title = models.CharField(_("title"), max_length=300, validators=[validate_text])
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "kind", "number"],
                name="agenda_item_unique_number_per_kind",
                violation_error_message=_(
                    "This number is already used by another item of the same kind."
                ),
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="agenda_item_number_positive"),
            models.CheckConstraint(
                condition=Q(kind__in=["deliberation", "report", "advisory", "report_advisory"]),
                name="agenda_item_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=["", *Outcome.values]), name="agenda_item_outcome_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} 【{self.number}】 {self.title}"

    @property
    def kind_rank(self):
        return list(self.Kind.values).index(self.kind)

    def clean(self):
        if self.outcome == Outcome.RECEIVED and self.kind == self.Kind.DELIBERATION:
            raise ValidationError(
                {"outcome": _("A deliberation item is decided, not received as a report.")}
            )


class SpeakerBlock(MeetingContent):
    """One speaker heading (<위원장>, <000위원>) with its statements beneath it.

    The record keeps who really spoke (a roster member, a non-member attendee,
    or the members together); the heading a reader sees depends on whether the
    internal or the public (redacted) minutes are shown.
    """

    class SpeakerKind(models.TextChoices):
        MEMBER = "member", _("committee member")
        ATTENDEE = "attendee", _("non-member attendee")
        COLLECTIVE = "collective", _("members together")
        # Pasted or imported remarks whose speaker could not be matched to
        # the roster or the attendees: printed as written until the
        # secretary chooses who spoke, and refused for review meanwhile.
        UNIDENTIFIED = "unidentified", _("not yet identified")
        # Entries of the record that nobody says: a time mark, a recess, a
        # reaction, a chair handover ("stage directions"), or an agenda
        # heading. Their statements hold the text as the source printed it.
        DIRECTION = "direction", _("stage direction")
        HEADING = "heading", _("agenda heading")

    # The kinds that are not somebody's words: no speaker, no label.
    UNSPOKEN = frozenset({SpeakerKind.DIRECTION, SpeakerKind.HEADING})

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="speaker_blocks"
    )
    # Not unique: secretaries renumber blocks to reorder them, and a unique
    # constraint would reject every swap. The editing forms reject duplicates.
    position = models.PositiveIntegerField(_("order"))
    speaker_kind = models.CharField(
        _("speaker is"), max_length=12, choices=SpeakerKind.choices, default=SpeakerKind.MEMBER
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    attendee = models.ForeignKey(
        NonMemberAttendee,
        verbose_name=_("non-member attendee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    role_label = models.CharField(
        _("label in heading"),
        max_length=30,
        blank=True,
        help_text=_(
            "Printed in the heading, e.g. 위원장, 간사, 위원, 팀장. "
            "Left empty for a member, it is the member's role on the meeting day."
        ),
        validators=[validate_text],
    )
    written_name = models.CharField(
        _("name as written"),
        max_length=50,
        blank=True,
        help_text=_("For a speaker not yet identified: the name as the source text gave it."),
        validators=[validate_text],
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="speaker_blocks",
    )

    class Meta:
        verbose_name = _("speaker block")
        verbose_name_plural = _("remarks")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(speaker_kind="member", member__isnull=False, attendee__isnull=True)
                    | Q(speaker_kind="attendee", member__isnull=True, attendee__isnull=False)
                    | Q(
                        speaker_kind__in=["collective", "unidentified", "direction", "heading"],
                        member__isnull=True,
                        attendee__isnull=True,
                    )
                ),
                name="speaker_block_speaker_matches_kind",
                violation_error_message=_(
                    "Choose a member for a member's remarks, an attendee for an attendee's, "
                    "and neither for the members together."
                ),
            ),
            models.CheckConstraint(
                condition=Q(speaker_kind="unidentified") | Q(written_name=""),
                name="speaker_block_written_name_only_unidentified",
            ),
            models.CheckConstraint(
                condition=Q(speaker_kind__in=["member", "direction", "heading"])
                | ~Q(role_label=""),
                name="speaker_block_label_required",
                violation_error_message=_("Enter the label printed in the heading."),
            ),
        ]

    def __str__(self):
        if self.speaker_kind in self.UNSPOKEN:
            return f"{self.position}. {self.get_speaker_kind_display()}"
        return f"{self.position}. {self.heading(public=False)}"

    @property
    def is_spoken(self):
        """Somebody's words (not a stage direction or an agenda heading)."""
        return self.speaker_kind not in self.UNSPOKEN

    def clean(self):
        errors = {}
        kind = self.SpeakerKind
        if self.speaker_kind == kind.MEMBER:
            if self.member_id is None:
                errors["member"] = _("Choose the member who spoke.")
            if self.attendee_id is not None:
                errors["attendee"] = _("A member's remarks cannot also name an attendee.")
        elif self.speaker_kind == kind.ATTENDEE:
            if self.attendee_id is None:
                errors["attendee"] = _("Choose the attendee who spoke.")
            if self.member_id is not None:
                errors["member"] = _("An attendee's remarks cannot also name a member.")
        elif self.speaker_kind == kind.UNIDENTIFIED:
            if self.member_id or self.attendee_id:
                errors["speaker_kind"] = _(
                    "Once you choose who spoke, the speaker is no longer unidentified."
                )
        elif self.speaker_kind in self.UNSPOKEN:
            if self.member_id or self.attendee_id:
                errors["speaker_kind"] = _(
                    "A stage direction or an agenda heading is nobody's words: it names no speaker."
                )
            self.role_label = ""
        else:
            if self.member_id or self.attendee_id:
                errors["speaker_kind"] = _(
                    "Remarks by the members together name no single speaker."
                )
        if self.speaker_kind != kind.UNIDENTIFIED:
            self.written_name = ""
        if self.speaker_kind not in (kind.MEMBER, *self.UNSPOKEN) and not self.role_label.strip():
            errors["role_label"] = _("Enter the label printed in the heading.")
        meeting = getattr(self, "meeting", None)
        if meeting is not None:
            if self.member_id and "member" not in errors:
                try:
                    validate_roster_member(meeting, self.member)
                except ValidationError as exc:
                    errors.update(exc.message_dict)
            if self.attendee_id and meeting.pk and self.attendee.meeting_id != meeting.pk:
                errors["attendee"] = _("This attendee was recorded for another meeting.")
            if self.agenda_item_id and meeting.pk and self.agenda_item.meeting_id != meeting.pk:
                errors["agenda_item"] = _("This agenda item belongs to another meeting.")
        if errors:
            raise ValidationError(errors)
        if self.speaker_kind == kind.MEMBER and not self.role_label.strip() and meeting:
            self.role_label = self.default_label()

    def default_label(self):
        """The member's role on the meeting day, in the document's language."""
        return self.member.role_label_on(self.meeting.meeting_day)

    @property
    def speaker_name(self):
        if self.member_id:
            return self.member.person.name
        if self.attendee_id and self.attendee.person_id:
            return self.attendee.person.name
        return self.written_name

    def heading(self, *, public):
        """The text between < and >: 김준호 위원 internally, 000위원 in public."""
        return speaker_heading(self.speaker_name, self.role_label, public=public)


class Statement(MeetingContent):
    """One bullet under a speaker heading."""

    # What one statement and one speaker block may hold, wherever the text
    # comes from (editor, review comments, import): longer is refused, never cut.
    MAX_LENGTH = 20_000
    MAX_PER_BLOCK = 200

    @classmethod
    def check_block(cls, texts):
        """ValidationError naming the limit if ``texts`` cannot be one block's statements."""
        if len(texts) > cls.MAX_PER_BLOCK:
            raise ValidationError(
                _("At most %(limit)s statements in one speaker block; split it.")
                % {"limit": cls.MAX_PER_BLOCK}
            )
        for text in texts:
            if len(text) > cls.MAX_LENGTH:
                raise ValidationError(too_long(cls.MAX_LENGTH, len(text)))

    block = models.ForeignKey(
        SpeakerBlock,
        verbose_name=_("speaker block"),
        on_delete=models.CASCADE,
        related_name="statements",
    )
    position = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("statement"), validators=[validate_text])

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["block", "position"], name="statement_unique_position"),
            models.CheckConstraint(condition=~Q(text=""), name="statement_not_empty"),
        ]

    def __str__(self):
        return self.text[:60]

    def guarded_meeting_id(self):
        return (
            SpeakerBlock.objects.filter(pk=self.block_id)
            .values_list("meeting_id", flat=True)
            .first()
        )


class Resolution(MeetingContent):
    """A question put to the committee and how it was decided.

    It belongs to the meeting, not only to an agenda item: a meeting also
    decides things that are on no agenda (electing its chair, or the members
    who will sign these minutes).
    """

    class Method(models.TextChoices):
        NO_OBJECTION = "no_objection", _("no objection")
        SHOW_OF_HANDS = "show_of_hands", _("show of hands")
        BALLOT = "ballot", _("ballot")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="resolutions"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="resolutions",
    )
    after_block = models.ForeignKey(
        SpeakerBlock,
        verbose_name=_("decided after"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The speaker block after which the decision was taken, in the editor."),
    )
    question = models.CharField(_("question put"), max_length=300, validators=[validate_text])
    method = models.CharField(_("decided by"), max_length=16, choices=Method.choices)
    votes_for = models.PositiveSmallIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("against"), null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(method__in=["no_objection", "show_of_hands", "ballot"]),
                name="resolution_method_valid",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values) & ~Q(outcome="received"),
                name="resolution_outcome_valid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        method="no_objection",
                        votes_for__isnull=True,
                        votes_against__isnull=True,
                        abstentions__isnull=True,
                    )
                    | (
                        ~Q(method="no_objection")
                        & Q(votes_for__isnull=False, votes_against__isnull=False)
                    )
                ),
                name="resolution_counts_match_method",
                violation_error_message=_(
                    "Vote counts are recorded for a show of hands or a ballot, and only for those."
                ),
            ),
        ]

    def __str__(self):
        return self.question

    def clean(self):
        errors = {}
        counted = self.method in (self.Method.SHOW_OF_HANDS, self.Method.BALLOT)
        if counted:
            for field in ("votes_for", "votes_against"):
                if getattr(self, field) is None:
                    errors[field] = _("Enter the count for a show of hands or a ballot.")
        elif self.method == self.Method.NO_OBJECTION:
            if any(
                getattr(self, f) is not None for f in ("votes_for", "votes_against", "abstentions")
            ):
                errors["method"] = _("A decision by no objection has no vote counts.")
        if self.outcome == Outcome.RECEIVED:
            errors["outcome"] = _("A resolution is passed, amended, rejected or deferred.")
        meeting = getattr(self, "meeting", None)
        if self.agenda_item_id and meeting is not None and meeting.pk:
            if self.agenda_item.meeting_id != meeting.pk:
                errors["agenda_item"] = _("This agenda item belongs to another meeting.")
        if counted and not errors and meeting is not None and meeting.pk:
            present = len(meeting.voting_attendance()[0])
            total = self.votes_for + self.votes_against + (self.abstentions or 0)
            if total > present:
                errors["votes_for"] = _(
                    "%(total)s votes were counted but only %(present)s members attended."
                ) % {"total": total, "present": present}
        if errors:
            raise ValidationError(errors)

    @property
    def tally(self):
        """for/against/abstain as printed, or empty for a decision by no objection."""
        if self.votes_for is None:
            return ""
        return _("for %(for)s, against %(against)s, abstaining %(abstain)s") % {
            "for": self.votes_for,
            "against": self.votes_against,
            "abstain": self.abstentions or 0,
        }


class ReviewComment(models.Model):
    """A member's correction request on one speaker block or agenda item, made
    while the draft is in review, and what the secretary decided about it.

    Not part of the minutes' text (not MeetingContent): accepting one changes
    the text through the services, which keep the old wording here.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="review_comments"
    )
    speaker_block = models.ForeignKey(
        SpeakerBlock,
        verbose_name=_("speaker block"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="review_comments",
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="review_comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="review_comments",
    )
    proposed_text = models.TextField(
        _("proposed wording"),
        help_text=_("For remarks, one statement per line; for an agenda item, its new title."),
        validators=[validate_text],
    )
    reason = models.TextField(_("reason"), validators=[validate_text])
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, editable=False
    )
    reply = models.TextField(_("reply"), blank=True, validators=[validate_text])
    previous_text = models.TextField(
        _("previous wording"),
        blank=True,
        editable=False,
        help_text=_("The wording an accepted comment replaced."),
        validators=[validate_text],
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(speaker_block__isnull=False, agenda_item__isnull=True)
                    | Q(speaker_block__isnull=True, agenda_item__isnull=False)
                ),
                name="review_comment_one_target",
                violation_error_message=_(
                    "A comment is about one speaker block or one agenda item."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "accepted", "declined"]),
                name="review_comment_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_status_display()}: {self.proposed_text[:60]}"

    @property
    def is_open(self):
        return self.status == self.Status.OPEN
