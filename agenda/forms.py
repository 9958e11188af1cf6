"""The editor's overview form: when, where, who attended, proceedings, agenda.

The secretary edits the meeting overview on one form. Lists that people
type as lists (non-member attendees, the order of proceedings) are
textareas, one entry per line; attendance is a checklist of the roster.
Saving reconciles the typed lines with the stored rows, so rows that the
remarks refer to (an attendee who spoke) keep their identity.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committees.models import Member, Person
from meetings.models import (
    Attendance,
    Meeting,
    NonMemberAttendee,
    ProceedingsItem,
    Signatory,
)
from minutes_site.forms import BootstrapForm
from minutes_site.inputs import (
    FIRST_YEAR,
    LAST_YEAR,
    BoundedFormSetMixin,
    clean_text,
    too_long,
    validate_meeting_day,
    validate_text,
)

from .models import AgendaItem
from .parsing import Person as ParsedPerson
from .parsing import parse_non_member

INDENT = "  "
# Lines in the overview's list fields, and agenda items in one meeting.
MAX_LINES = 500
MAX_AGENDA_ITEMS = 100


def line_error(number, problem):
    return _("Line %(number)s: %(problem)s") % {"number": number, "problem": problem}


def too_many_lines():
    return _("At most %(limit)s lines.") % {"limit": MAX_LINES}


class MonthField(forms.DateField):
    """A year and month (the cover's 2024. 4.), stored as the first of the month."""

    input_formats = ["%Y-%m", "%Y-%m-%d", "%Y. %m.", "%Y.%m"]
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class RosterField(forms.ModelMultipleChoiceField):
    """The attendance checklist: a posted value that cannot be an id is refused
    before it reaches a query (a 20-digit number overflows the column)."""

    def clean(self, value):
        for pk in value or []:
            if not re.fullmatch(r"[0-9]{1,18}", str(pk)):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


class OverviewForm(BootstrapForm, forms.ModelForm):
    """Laid out by templates/agenda/_overview_fields.html."""

    day = forms.DateField(
        label=gettext_lazy("date"),
        widget=forms.DateInput(
            attrs={"type": "date", "min": f"{FIRST_YEAR}-01-01", "max": f"{LAST_YEAR}-12-31"}
        ),
        validators=[validate_meeting_day],
    )
    starts = forms.TimeField(
        label=gettext_lazy("starts at"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    ends = forms.TimeField(
        label=gettext_lazy("ends at"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    document_date = MonthField(
        label=gettext_lazy("document date (year and month)"), validators=[validate_meeting_day]
    )
    present = RosterField(
        label=gettext_lazy("members present"),
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy("Unticked members on the roster are recorded as absent."),
    )
    non_members = forms.CharField(
        label=gettext_lazy("non-member attendees (배석)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        validators=[validate_text],
        help_text=gettext_lazy(
            "One per line: a name and title (이상용 디지털수석) or free text (담당 팀장 등). "
            "Indent a name under a free-text group it belongs to."
        ),
    )
    proceedings_text = forms.CharField(
        label=gettext_lazy("order of proceedings"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        validators=[validate_text],
        help_text=gettext_lazy("One item per line; indent sub-items by two spaces."),
    )
    # The signature block (Signatory): two signers elected from the members
    # present, the confirmer and the author, who need a login to act online.
    signer_1 = forms.ModelChoiceField(
        label=gettext_lazy("reader and signer 1"), queryset=Member.objects.none(), required=False
    )
    signer_2 = forms.ModelChoiceField(
        label=gettext_lazy("reader and signer 2"), queryset=Member.objects.none(), required=False
    )
    confirmer = forms.ModelChoiceField(
        label=gettext_lazy("confirmer"),
        queryset=Person.objects.none(),
        required=False,
        help_text=gettext_lazy("Freezes the final text after the review."),
    )
    author = forms.ModelChoiceField(
        label=gettext_lazy("author"), queryset=Person.objects.none(), required=False
    )
    revision = forms.CharField(widget=forms.HiddenInput)

    class Meta:
        model = Meeting
        fields = ["year", "sequence", "place", "unplaced_text"]
        widgets = {"unplaced_text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meeting = self.instance
        start = timezone.localtime(meeting.starts_at)
        self.initial.update(
            day=start.date(),
            starts=start.time(),
            ends=timezone.localtime(meeting.ends_at).time(),
            document_date=meeting.document_date,
            present=[a.member_id for a in meeting.attendances.all() if a.is_present],
            non_members=self._non_members_text(),
            proceedings_text="\n".join(
                INDENT * p.depth + p.text for p in meeting.proceedings.all()
            ),
            revision=meeting.revision,
        )
        roster = (
            Member.objects.filter(committee_id=meeting.committee_id)
            .serving_on(meeting.meeting_day)
            .select_related("person")
        )
        members = list(roster)  # one query for the checklist and both signers' lists
        self._offer(
            "present",
            roster,
            members,
            lambda m: f"{m.person.name} {m.person.position}".strip() + f" · {m.get_kind_display()}",
        )
        self._init_signature_block(roster, members)

    def _offer(self, name, queryset, objects, label):
        """Choices from rows loaded once: a model choice field would run its
        query again each time it is printed. Posted values are still checked
        against ``queryset``."""
        field = self.fields[name]
        field.queryset = queryset
        empty = (
            [] if isinstance(field, forms.ModelMultipleChoiceField) else [("", field.empty_label)]
        )
        field.choices = empty + [(obj.pk, label(obj)) for obj in objects]

    SIGNATURE_FIELDS = {
        "signer_1": (Signatory.Role.SIGNER, 1),
        "signer_2": (Signatory.Role.SIGNER, 2),
        "confirmer": (Signatory.Role.CONFIRMER, 1),
        "author": (Signatory.Role.AUTHOR, 1),
    }

    def _init_signature_block(self, roster, members):
        stored = list(self.instance._loaded("signatories", select=["person"]))
        signers = [s for s in stored if s.role == Signatory.Role.SIGNER]
        by_person = {member.person_id: member.pk for member in members}
        for name, signer in zip(("signer_1", "signer_2"), signers, strict=False):
            self.initial[name] = by_person.get(signer.person_id)
        for signatory in stored:
            if signatory.role != Signatory.Role.SIGNER:
                self.initial[signatory.role] = signatory.person_id
        for name in ("signer_1", "signer_2"):
            self._offer(name, roster, members, lambda m: m.person.name)
        # Those who can confirm or write online (a login account), and whoever
        # is named already.
        people = Person.objects.filter(
            Q(user__isnull=False) | Q(pk__in=[s.person_id for s in stored])
        ).order_by("name", "id")
        candidates = list(people)
        for name in ("confirmer", "author"):
            self._offer(name, people, candidates, lambda p: f"{p.name} {p.position}".strip())

    def _clean_signature_block(self, cleaned):
        """Two different signers, both ticked present (Signatory.validate_attended)."""
        present = {member.pk for member in cleaned.get("present") or []}
        chosen = []
        for name in ("signer_1", "signer_2"):
            member = cleaned.get(name)
            if member is None:
                continue
            if member.person_id in chosen:
                self.add_error(name, _("Choose two different members to sign."))
                continue
            chosen.append(member.person_id)
            if "present" in cleaned and member.pk not in present:
                self.add_error(
                    name,
                    _(
                        "%(name)s did not attend this meeting as a member and cannot "
                        "sign its minutes."
                    )
                    % {"name": member.person.name},
                )

    def _save_signature_block(self, meeting):
        """Keep the rows that stay (and their printed titles); replace the rest."""
        wanted = {}
        for name, (role, position) in self.SIGNATURE_FIELDS.items():
            choice = self.cleaned_data.get(name)
            if choice is not None:
                person_id = choice.person_id if isinstance(choice, Member) else choice.pk
                wanted[(role, position, person_id)] = True
        for signatory in meeting.signatories.all():
            key = (signatory.role, signatory.position, signatory.person_id)
            if wanted.pop(key, None) is None:
                signatory.delete()
        for role, position, person_id in wanted:
            Signatory.objects.create(
                meeting=meeting, role=role, position=position, person_id=person_id
            )

    def _non_members_text(self):
        lines = []
        for attendee in self.instance._loaded("non_member_attendees", select=["person"]):
            prefix = INDENT if attendee.included_in_id else ""
            lines.append(prefix + attendee.display_name)
        return "\n".join(lines)

    def _check_revision(self, revision):
        """Refuse a form opened before someone else's save (their work stays)."""
        saved = self.instance.saved_since(revision)
        if saved:
            self.add_error(
                None,
                _(
                    "%(user)s saved these minutes at %(time)s, after you opened them. "
                    "Nothing was saved from this form: your entries are still below. "
                    "Open the editor again in a new tab to see theirs, then apply yours there."
                )
                % {"user": saved[0], "time": saved[1]},
            )

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValidationError(
                _("Enter a year between %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return year

    def clean_proceedings_text(self):
        items, errors = [], []
        limit = ProceedingsItem._meta.get_field("text").max_length
        lines = self.cleaned_data["proceedings_text"].splitlines()
        if len(lines) > MAX_LINES:
            raise ValidationError(too_many_lines())
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            expanded = line.replace("\t", INDENT).replace("\u3000", INDENT)
            depth = (len(expanded) - len(expanded.lstrip(" "))) // len(INDENT)
            text = clean_text(line.strip().lstrip("-○•·"), single_line=True)
            if len(text) > limit:
                errors.append(line_error(number, too_long(limit, len(text))))
            items.append((depth, text))
        errors += ProceedingsItem.outline_errors([depth for depth, _text in items])
        if errors:
            raise ValidationError(errors)
        return items

    def clean_non_members(self):
        entries, errors = [], []
        limit = NonMemberAttendee._meta.get_field("description").max_length
        name_limit = Person._meta.get_field("name").max_length
        position_limit = Person._meta.get_field("position").max_length
        lines = self.cleaned_data["non_members"].splitlines()
        if len(lines) > MAX_LINES:
            raise ValidationError(too_many_lines())
        for number, line in enumerate(lines, 1):
            text = clean_text(line, single_line=True)
            if not text:
                continue
            entry = parse_non_member(text)
            if len(text) > limit:
                errors.append(line_error(number, too_long(limit, len(text))))
            elif isinstance(entry, ParsedPerson) and (
                len(entry.name) > name_limit or len(entry.position) > position_limit
            ):
                errors.append(
                    line_error(
                        number,
                        _(
                            "a name has at most %(name)s characters and a title at most "
                            "%(position)s."
                        )
                        % {"name": name_limit, "position": position_limit},
                    )
                )
            included = line[:1].isspace() and bool(entries)
            entries.append((text, included))
        if errors:
            raise ValidationError(errors)
        return entries

    def clean(self):
        cleaned = super().clean()
        self._check_revision(cleaned.get("revision"))
        self._clean_signature_block(cleaned)
        day, starts, ends = (cleaned.get(k) for k in ("day", "starts", "ends"))
        if day and starts and ends:
            if ends <= starts:
                self.add_error("ends", _("The meeting must end after it starts."))
            else:
                zone = timezone.get_current_timezone()
                self.instance.starts_at = datetime.datetime.combine(day, starts, zone)
                self.instance.ends_at = datetime.datetime.combine(day, ends, zone)
        year, sequence = cleaned.get("year"), cleaned.get("sequence")
        taken = Meeting.objects.filter(
            committee_id=self.instance.committee_id, year=year, sequence=sequence
        ).exclude(pk=self.instance.pk)
        if year and sequence and taken.exists():
            # The constraint names the committee, which this form does not
            # show, so Django's own unique check would skip it.
            self.add_error(
                "sequence",
                _("This committee already has a meeting with this number in that year."),
            )
        if cleaned.get("document_date"):
            self.instance.document_date = cleaned["document_date"].replace(day=1)
        return cleaned

    @transaction.atomic
    def save(self, user):
        meeting = super().save(commit=False)
        meeting.updated_by = user
        meeting.save()
        self._save_attendance(meeting)
        self._save_non_members(meeting)
        self._save_signature_block(meeting)
        ProceedingsItem.objects.filter(meeting=meeting).delete()
        ProceedingsItem.objects.bulk_create(
            ProceedingsItem(meeting=meeting, position=position, depth=depth, text=text)
            for position, (depth, text) in enumerate(self.cleaned_data["proceedings_text"], start=1)
        )
        return meeting

    def _save_attendance(self, meeting):
        present = {m.pk for m in self.cleaned_data["present"]}
        stored = {a.member_id: a for a in meeting.attendances.all()}
        changed, added = [], []
        for member in self.fields["present"].queryset:
            status = "present" if member.pk in present else "absent"
            row = stored.get(member.pk)
            if row is None:
                added.append(Attendance(meeting=meeting, member=member, status=status))
            elif row.status != status:
                row.status = status
                changed.append(row)
        Attendance.objects.bulk_update(changed, ["status"])
        Attendance.objects.bulk_create(added)

    def _save_non_members(self, meeting):
        stored = list(meeting.non_member_attendees.select_related("person"))
        by_text = {}
        for attendee in stored:
            by_text.setdefault(attendee.display_name, []).append(attendee)
        kept, group = [], None
        for position, (text, included) in enumerate(self.cleaned_data["non_members"], start=1):
            same = by_text.get(text)
            attendee = same.pop(0) if same else None  # the stored row, kept
            if attendee is None:
                attendee = NonMemberAttendee(meeting=meeting)
                entry = parse_non_member(text)  # as the import reads 배석
                if isinstance(entry, ParsedPerson):
                    attendee.person, _created = Person.objects.known_or_new(
                        entry.name, entry.position
                    )
                else:
                    attendee.description = text
            attendee.position = position
            attendee.included_in = group if included and group is not None else None
            if attendee.person_id is None and not included:
                group = attendee
            attendee.save()
            kept.append(attendee.pk)
        leaving = [a for a in stored if a.pk not in kept]
        try:
            with transaction.atomic():
                for attendee in leaving:
                    attendee.delete()
        except ProtectedError as error:
            spoke = ", ".join(sorted({str(a) for a in leaving}))
            self.add_error(
                "non_members",
                _(
                    "%(names)s spoke in the remarks and cannot be removed from the "
                    "attendees: change those remarks first."
                )
                % {"names": spoke},
            )
            raise ValidationError(self.errors["non_members"]) from error


class AgendaItemForm(BootstrapForm, forms.ModelForm):
    """One row of templates/agenda/_agenda_formset.html."""


class BaseAgendaItemFormSet(BoundedFormSetMixin, BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["number"].max_value = MAX_AGENDA_ITEMS
        form.fields["number"].validators.append(MaxValueValidator(MAX_AGENDA_ITEMS))

    def clean(self):
        super().clean()
        counts = self.management_form.cleaned_data
        if not 0 <= counts.get(INITIAL_FORM_COUNT, 0) <= counts.get(TOTAL_FORM_COUNT, 0):
            raise ValidationError(
                _("The agenda form was changed outside this page: reload it and try again.")
            )
        # The meeting is not in these forms, so Django's own unique check
        # skips (meeting, kind, number): two 【1】 of one kind are caught here.
        seen = set()
        for form in self.forms:
            if form in self.deleted_forms or not form.has_changed() and not form.instance.pk:
                continue
            key = (form.cleaned_data.get("kind"), form.cleaned_data.get("number"))
            if None in key:
                continue
            if key in seen:
                form.add_error("number", _("Another agenda item of this kind has this number."))
            seen.add(key)
        for form in self.deleted_forms:
            item = form.instance
            if item.pk and item.resolutions.exists():
                form.add_error(
                    None,
                    _("%(item)s has resolutions: delete them in the remarks editor first.")
                    % {"item": item},
                )
                raise ValidationError(_("An agenda item with resolutions cannot be deleted."))


AgendaItemFormSet = inlineformset_factory(
    Meeting,
    AgendaItem,
    form=AgendaItemForm,
    formset=BaseAgendaItemFormSet,
    fields=["kind", "number", "title", "outcome"],
    extra=1,
    can_delete=True,
    # A forged TOTAL_FORMS is refused before thousands of forms are built.
    max_num=MAX_AGENDA_ITEMS,
    absolute_max=MAX_AGENDA_ITEMS,
    validate_max=True,
)
