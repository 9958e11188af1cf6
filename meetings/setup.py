"""새 회의: the secretary sets up a meeting, then writes it in the editor.

Who may: whoever keeps the committee (Committee.objects.managed_by). The page
first asks which committee when the user keeps several; then a short form
(meetings.forms.NewMeetingForm), create_meeting(), and straight into the
editor. The committee comes from the query string and is checked like any
other input: one the user does not keep is a field error of the first step.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import Committee, Member

from .forms import ChooseCommitteeForm, NewMeetingForm
from .models import Attendance, Meeting, NonMemberAttendee, Signatory


def next_sequence(committee, year):
    """The number the committee's next meeting in ``year`` takes: one after the last."""
    last = Meeting.objects.filter(committee=committee, year=year).aggregate(Max("sequence"))
    return (last["sequence__max"] or 0) + 1


def last_meeting(committee):
    return Meeting.objects.filter(committee=committee).order_by("-starts_at", "-pk").first()


def create_meeting(
    committee,
    *,
    by,
    day,
    starts,
    ends,
    place,
    present,
    sequence=None,
    copy_from=None,
    copy_non_members=False,
    copy_signatories=False,
):
    """A new draft meeting with its attendance, and what was asked to be copied.

    Every member serving on ``day`` gets an attendance row: present if in
    ``present``, else absent. Copied signers who are not present are left
    out (a signer must have attended): returns (meeting, names left out).
    Raises ValidationError keyed by field (a 차수 taken meanwhile included).
    """
    zone = timezone.get_current_timezone()
    meeting = Meeting(
        committee=committee,
        year=day.year,
        sequence=sequence or next_sequence(committee, day.year),
        starts_at=datetime.datetime.combine(day, starts, zone),
        ends_at=datetime.datetime.combine(day, ends, zone),
        place=place,
        document_date=day.replace(day=1),
        updated_by=by,
    )
    meeting.full_clean()
    present_ids = {member.pk for member in present}
    try:
        with transaction.atomic():
            meeting.save()
            Attendance.objects.bulk_create(
                Attendance(
                    meeting=meeting,
                    member=member,
                    status=Attendance.Status.PRESENT
                    if member.pk in present_ids
                    else Attendance.Status.ABSENT,
                )
                for member in Member.objects.filter(committee=committee).serving_on(day)
            )
            if copy_from is not None and copy_non_members:
                _copy_non_members(copy_from, meeting)
            left_out = []
            if copy_from is not None and copy_signatories:
                left_out = _copy_signatories(copy_from, meeting, present_ids)
    except IntegrityError as error:
        # Another secretary took the same 차수 between the check and the save.
        raise ValidationError(
            {"sequence": _("This committee already has a meeting with this number in that year.")}
        ) from error
    return meeting, left_out


def _copy_non_members(source, meeting):
    """배석 in the same order, with each person still covered by the same group entry."""
    copies = {}
    attendees = source.non_member_attendees.order_by("position", "id")
    # Group entries first, so that the people they cover can point to their copies.
    for attendee in sorted(attendees, key=lambda a: a.included_in_id is not None):
        copies[attendee.pk] = NonMemberAttendee.objects.create(
            meeting=meeting,
            position=attendee.position,
            person_id=attendee.person_id,
            description=attendee.description,
            included_in=copies.get(attendee.included_in_id),
        )


def _copy_signatories(source, meeting, present_ids):
    present_people = set(
        Member.objects.filter(pk__in=present_ids).values_list("person_id", flat=True)
    )
    left_out = []
    for signatory in source.signatories.select_related("person"):
        if signatory.role == Signatory.Role.SIGNER and signatory.person_id not in present_people:
            left_out.append(signatory.person.name)
            continue
        Signatory.objects.create(
            meeting=meeting,
            role=signatory.role,
            position=signatory.position,
            person_id=signatory.person_id,
            printed_title=signatory.printed_title,
        )
    return left_out


def _choose_committee(request):
    """The committee of the new meeting, or the first step's form to choose it."""
    managed = Committee.objects.managed_by(request.user).order_by("name")
    if "choose" in request.GET:
        return None, ChooseCommitteeForm(user=request.user)
    if "committee" in request.GET:
        choice = ChooseCommitteeForm(request.GET, user=request.user)
        return (choice.cleaned_data["committee"], None) if choice.is_valid() else (None, choice)
    only = list(managed[:2])
    if not only:
        raise PermissionDenied
    if len(only) == 1:
        return only[0], None
    return None, ChooseCommitteeForm(user=request.user)


@login_required
def new_meeting(request):
    committee, choice = _choose_committee(request)
    if committee is None:
        return render(
            request,
            "meetings/new_meeting.html",
            {"choice": choice},
            status=400 if choice.is_bound else 200,
        )
    previous = last_meeting(committee)
    form = NewMeetingForm(request.POST or None, committee=committee, previous=previous)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting, left_out = create_meeting(
                committee,
                by=request.user,
                day=data["day"],
                starts=data["starts"],
                ends=data["ends"],
                place=data["place"],
                present=data["present"],
                sequence=data["sequence"],
                copy_from=previous,
                copy_non_members=data.get("copy_non_members", False),
                copy_signatories=data.get("copy_signatories", False),
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(
                request, _("%(meeting)s is set up: write its minutes here.") % {"meeting": meeting}
            )
            if left_out:
                messages.warning(
                    request,
                    _(
                        "%(names)s did not attend, so they were not copied as signers: "
                        "choose the signers in the overview."
                    )
                    % {"names": ", ".join(left_out)},
                )
            return redirect("editor:page", pk=meeting.pk)
    year = timezone.localdate().year
    return render(
        request,
        "meetings/new_meeting.html",
        {
            "committee": committee,
            "form": form,
            "previous": previous,
            "year": year,
            "proposed": next_sequence(committee, year),
            "several": Committee.objects.managed_by(request.user).count() > 1,
        },
        status=400 if form.is_bound else 200,
    )
