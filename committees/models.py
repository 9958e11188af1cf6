"""Committees, the people on them and the roles they hold over time.

This app knows nothing of meetings: meetings point here, never the reverse.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from minutes_site.inputs import validate_text


class CommitteeQuerySet(models.QuerySet):
    def managed_by(self, user):
        """Committees ``user`` may manage: set up rosters and meetings.

        Its secretaries manage a committee; staff with the committees' change
        permission (and superusers) manage every committee.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or (user.is_staff and user.has_perm("committees.change_committee")):
            return self
        return self.filter(secretaries=user)


class Committee(models.Model):
    """A standing committee (위원회) and the office that runs it.

    Its ``secretaries`` are the login accounts that keep its roster and set up
    its meetings: usually the 간사 and the officer who writes the minutes.
    """

    name = models.CharField(_("name"), max_length=100, unique=True, validators=[validate_text])
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    organisation = models.CharField(
        _("organisation"),
        max_length=100,
        help_text=_("Printed on the cover, e.g. the bureau that owns the committee."),
        validators=[validate_text],
    )
    department = models.CharField(
        _("department"),
        max_length=100,
        blank=True,
        help_text=_("Printed on the cover in parentheses, e.g. the division in charge."),
        validators=[validate_text],
    )
    member_title = models.CharField(
        _("member title"),
        max_length=100,
        blank=True,
        help_text=_(
            "How a member is titled in the signature block. "
            "Left empty, it is the committee name without its last character (위원회 → 위원)."
        ),
        validators=[validate_text],
    )
    secretaries = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("secretaries"),
        blank=True,
        related_name="committees_kept",
        help_text=_("Login accounts that keep the roster and set up the meetings."),
    )

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("committees:detail", args=[self.slug])

    def is_managed_by(self, user):
        """Whether ``user`` may manage this committee (CommitteeQuerySet.managed_by)."""
        return Committee.objects.managed_by(user).filter(pk=self.pk).exists()

    @property
    def signer_title(self):
        if self.member_title:
            return self.member_title
        return self.name[:-1] if self.name.endswith("회") else self.name


class PersonQuerySet(models.QuerySet):
    def known_or_new(self, name, position):
        """(person, created): the person with this name and position, or a new one.

        People are not unique by name, so unlike get_or_create() this takes
        the first of several rather than failing.
        """
        person = self.filter(name=name, position=position).order_by("pk").first()
        if person is not None:
            return person, False
        return self.create(name=name, position=position), True


class Person(models.Model):
    """Somebody who sits on, attends or works for a committee.

    The position (직위) is the person's job title as printed next to internal
    members and non-member attendees, e.g. 안전총괄관. The role a person holds
    *in a committee* lives on MemberRole, because it changes over time.
    """

    name = models.CharField(_("name"), max_length=50, validators=[validate_text])
    position = models.CharField(
        _("position"), max_length=100, blank=True, validators=[validate_text]
    )
    affiliation = models.CharField(
        _("affiliation"), max_length=100, blank=True, validators=[validate_text]
    )
    email = models.EmailField(_("email"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "id"]

    def __str__(self):
        return f"{self.name} {self.position}".strip()

    @staticmethod
    def name_of(user):
        """A login as people read it: its person's name (오세린), else the account's name."""
        person = getattr(user, "person", None)
        if person is not None and person.name:
            return person.name
        return user.get_full_name() or user.get_username()


class MemberQuerySet(models.QuerySet):
    def serving_on(self, day):
        """Members whose term covers ``day`` (open-ended terms included)."""
        return self.filter(term_start__lte=day).filter(
            Q(term_end__isnull=True) | Q(term_end__gte=day)
        )


class Member(models.Model):
    """A seat on a committee's roster: who, external or internal, for which term."""

    class Kind(models.TextChoices):
        EXTERNAL = "external", _("external member")
        INTERNAL = "internal", _("internal member")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"), null=True, blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["committee", "kind", "person__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["external", "internal"]), name="member_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="member_term_ends_after_start",
                violation_error_message=_("The term cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["committee", "person", "term_start"],
                name="member_unique_term",
                violation_error_message=_(
                    "This person already has a term on this committee starting that day."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.person.name} ({self.get_kind_display()})"

    def clean(self):
        if self.term_end and self.term_start and self.term_end < self.term_start:
            raise ValidationError({"term_end": _("The term cannot end before it starts.")})

    def serves_on(self, day):
        """Whether the term covers ``day`` (as MemberQuerySet.serving_on)."""
        return self.term_start <= day and (self.term_end is None or self.term_end >= day)

    def role_label_on(self, day):
        """The role on ``day`` as the minutes print it (위원장, 위원, 간사): in
        the document's language, whatever the reader's."""
        with translation.override(settings.LANGUAGE_CODE):
            return str(MemberRole.Role(self.role_on(day)).label)

    def role_on(self, day):
        """The role held on ``day``; a plain member when no role was assigned.

        Reads ``self.roles.all()`` so a prefetched ``roles`` costs no query.
        """
        for assignment in self.roles.all():
            if assignment.covers(day):
                return assignment.role
        return MemberRole.Role.MEMBER


class MemberRole(models.Model):
    """A role held in the committee for a period: a chair is elected, a term ends."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        VICE_CHAIR = "vice_chair", _("vice-chair")
        MEMBER = "member", _("member")
        SECRETARY = "secretary", _("secretary")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["since", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["chair", "vice_chair", "member", "secretary"]),
                name="member_role_valid",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="member_role_ends_after_start",
                violation_error_message=_("A role cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.get_role_display()

    def covers(self, day):
        return self.since <= day and (self.until is None or day <= self.until)

    def clean(self):
        if self.until and self.since and self.until < self.since:
            raise ValidationError({"until": _("A role cannot end before it starts.")})
