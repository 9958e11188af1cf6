"""Changes to a committee's roster: a seat added, a term ended, a role from a date.

A roster is history: the minutes of a past meeting print the roles held on
its day, so nothing here rewrites the past. A term is ended, not deleted; a
new role closes the one it follows the day before it starts. Each function
checks what the models' clean() and constraints check, and raises
ValidationError keyed by the form field that is wrong.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from minutes_site.dates import day as printed_day

from .models import Member, MemberRole


def add_member(committee, *, person, kind, term_start, term_end=None, role=MemberRole.Role.MEMBER):
    """A new seat for ``person`` from ``term_start``, holding ``role`` from that day."""
    with transaction.atomic():
        person.full_clean()
        person.save()  # new, or newly given a login account
        member = Member(
            committee=committee,
            person=person,
            kind=kind,
            term_start=term_start,
            term_end=term_end,
        )
        member.full_clean()
        member.save()
        MemberRole.objects.create(member=member, role=role, since=term_start, until=term_end)
    return member


def end_term(member, *, on):
    """The term ends on ``on``; roles still open then end with it."""
    if on < member.term_start:
        raise ValidationError({"term_end": _("The term cannot end before it starts.")})
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        later = member.roles.filter(since__gt=on).order_by("since").first()
        if later is not None:
            raise ValidationError(
                {
                    "term_end": _(
                        "A role is recorded from %(day)s, after that day: the term must cover it."
                    )
                    % {"day": printed_day(later.since)}
                }
            )
        member.term_end = on
        member.full_clean()
        member.save(update_fields=["term_end"])
        for role in member.roles.all():
            if role.until is None or role.until > on:
                role.until = on
                role.save(update_fields=["until"])
    return member


def change_role(member, *, role, since):
    """``role`` from ``since`` on; the role held until then ends the day before."""
    if since < member.term_start or (member.term_end and since > member.term_end):
        raise ValidationError({"since": _("The date must fall within the member's term.")})
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        roles = list(member.roles.all())
        later = [r for r in roles if r.since > since]
        if later:
            raise ValidationError(
                {
                    "since": _(
                        "A role is already recorded from %(day)s: a change must come after "
                        "the last one."
                    )
                    % {"day": printed_day(later[-1].since)}
                }
            )
        current = next((r for r in roles if r.covers(since)), None)
        if current is not None and current.role == role:
            raise ValidationError({"role": _("The member already holds this role on that day.")})
        if current is not None:
            if current.since == since:
                current.delete()  # replaced on the same day: a correction
            else:
                current.until = since - datetime.timedelta(days=1)
                current.save(update_fields=["until"])
        assignment = MemberRole(member=member, role=role, since=since, until=member.term_end)
        assignment.full_clean()
        assignment.save()
    return assignment
