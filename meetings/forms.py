import base64
import binascii
import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committees.models import Committee, Member
from minutes_site import throttle
from minutes_site.inputs import FIRST_YEAR, LAST_YEAR, validate_meeting_day, validate_text
from minutes_site.paging import page_field

from .models import Meeting, Signature

DATA_URL_PREFIX = "data:image/png;base64,"


class SendForReviewForm(forms.Form):
    deadline = forms.DateTimeField(
        label=_("review deadline"),
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M"
        ),
        validators=[validate_meeting_day],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["deadline"] = timezone.localtime() + datetime.timedelta(days=7)


class AmendForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        max_length=2000,
        validators=[validate_text],
    )


class SignForm(forms.Form):
    """The signature: drawn on the canvas or an uploaded seal, and the password again."""

    content_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)
    method = forms.ChoiceField(
        label=_("how you sign"),
        choices=[
            (Signature.Method.DRAWN, _("draw my signature")),
            (Signature.Method.SEAL, _("upload an image of my seal")),
        ],
        widget=forms.RadioSelect,
        initial=Signature.Method.DRAWN,
    )
    remember = forms.BooleanField(
        label=_("keep this signature to sign the next minutes with one click"), required=False
    )
    drawn = forms.CharField(widget=forms.HiddenInput, required=False)
    seal = forms.FileField(
        label=_("seal image (PNG or JPEG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    password = forms.CharField(
        label=_("your password, to confirm it is you"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, request, saved=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request
        self.saved = saved
        if saved is not None:
            self.fields["method"].choices = [
                (Signature.Method.SAVED, _("use my saved signature")),
                *self.fields["method"].choices,
            ]
            self.fields["method"].initial = Signature.Method.SAVED

    def clean_password(self):
        """Checked like a login: wrong passwords count towards the lockout (throttle)."""
        password = self.cleaned_data["password"]
        try:
            correct = throttle.confirm_password(self.request, self.user, password)
        except throttle.LockedOut as locked:
            raise forms.ValidationError(str(locked), code="locked_out") from locked
        if not correct:
            raise forms.ValidationError(_("The password is not correct."))
        return password

    def clean(self):
        cleaned = super().clean()
        method = cleaned.get("method")
        if method == Signature.Method.DRAWN:
            drawn = cleaned.get("drawn", "")
            if not drawn.startswith(DATA_URL_PREFIX):
                raise forms.ValidationError(_("Draw your signature in the box first."))
            try:
                cleaned["image"] = base64.b64decode(drawn[len(DATA_URL_PREFIX) :], validate=True)
            except (binascii.Error, ValueError) as exc:
                raise forms.ValidationError(_("The drawing could not be read.")) from exc
        elif method == Signature.Method.SAVED:
            if self.saved is None:
                raise forms.ValidationError(_("You have no saved signature yet."))
            cleaned["image"] = bytes(self.saved.image)
        elif method == Signature.Method.SEAL:
            seal = cleaned.get("seal")
            if not seal:
                raise forms.ValidationError(_("Choose the image of your seal."))
            cleaned["image"] = seal.read(2 * 1024 * 1024 + 1)
        return cleaned


class ArchiveExportForm(forms.Form):
    """Which signed minutes to export: one committee's, of one year."""

    committee = forms.ModelChoiceField(
        label=_("committee"), queryset=Committee.objects.order_by("name"), to_field_name="slug"
    )
    year = forms.IntegerField(label=_("year"), min_value=1948, max_value=9999)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["year"] = timezone.localdate().year


def offer_committees_and_years(form, options):
    """A filter form's committee and year choices: those of ``options``, the
    (slug, name, year) triples of what the reader may find (one query)."""
    committees = sorted({(slug, name) for slug, name, _year in options}, key=lambda c: c[1])
    years = sorted({year for _slug, _name, year in options}, reverse=True)
    form.fields["committee"].choices = [("", _("all committees")), *committees]
    form.fields["year"].choices = [("", _("all years")), *((y, y) for y in years)]


class MeetingFilterForm(forms.Form):
    """The home page's filters, read from the query string: words of the title
    (committee, year, 차수, place), committee, year and status, and the page.

    The committees and years offered are those of the meetings the user may
    see (one query, given as ``options``): a value from elsewhere is a field
    error, never a query with it.
    """

    q = forms.CharField(
        label=_("search"),
        required=False,
        max_length=100,
        validators=[validate_text],
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "class": "form-control",
                "placeholder": _("committee, year, number or place"),
            }
        ),
    )
    committee = forms.ChoiceField(
        label=_("committee"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("Choose one of your committees from the list.")},
    )
    year = forms.TypedChoiceField(
        label=_("year"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("Choose a year of your meetings from the list.")},
    )
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("all statuses")), *Meeting.Status.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("Choose a status from the list.")},
    )
    page = page_field()

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        offer_committees_and_years(self, options)


class ChooseCommitteeForm(forms.Form):
    """Step one of a new meeting, for whoever keeps several committees."""

    committee = forms.ModelChoiceField(
        label=_("committee"), queryset=Committee.objects.none(), to_field_name="slug"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = Committee.objects.managed_by(user).order_by("name")


class RosterChecklist(forms.ModelMultipleChoiceField):
    """Members ticked as present: a value that cannot be an id is refused
    before it reaches a query (a 20-digit number overflows the column)."""

    def clean(self, value):
        for pk in value or []:
            if not str(pk).isascii() or not str(pk).isdigit() or len(str(pk)) > 18:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


class NewMeetingForm(forms.Form):
    """새 회의: when and where, its number, who attended, what to copy from the last one.

    The year is the meeting day's; a 차수 left empty is the next number in
    that year. The checklist offers the members serving around now; each
    ticked one must be serving on the meeting day.
    """

    day = forms.DateField(
        label=_("date"),
        widget=forms.DateInput(
            attrs={"type": "date", "min": f"{FIRST_YEAR}-01-01", "max": f"{LAST_YEAR}-12-31"},
            format="%Y-%m-%d",
        ),
        validators=[validate_meeting_day],
    )
    starts = forms.TimeField(
        label=_("starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends = forms.TimeField(
        label=_("ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    place = forms.CharField(label=_("place"), max_length=200, validators=[validate_text])
    sequence = forms.IntegerField(
        label=_("number in the year (차수)"), required=False, min_value=1, max_value=999
    )
    present = RosterChecklist(
        label=_("members present"),
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "attendance-checklist"}),
        required=False,
        help_text=_("Unticked members serving on the day are recorded as absent."),
    )
    copy_non_members = forms.BooleanField(
        label=_("copy the non-member attendees (배석) of the last meeting"), required=False
    )
    copy_signatories = forms.BooleanField(
        label=_("copy the signature block of the last meeting"),
        required=False,
        help_text=_("Signers are copied only if they are ticked as present."),
    )

    def __init__(self, *args, committee, previous=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.committee = committee
        self.previous = previous
        today = timezone.localdate()
        recent = today - datetime.timedelta(days=366)
        roster = (
            Member.objects.filter(
                committee=committee, term_start__lte=today + datetime.timedelta(days=366)
            )
            .exclude(term_end__lt=recent)
            .select_related("person")
            .order_by("kind", "person__name", "term_start")
        )
        self.fields["present"].queryset = roster
        self.fields["present"].label_from_instance = lambda m: (
            f"{m.person.name} {m.person.position}".strip() + f" · {m.get_kind_display()}"
        )
        self.fields["sequence"].widget.attrs["placeholder"] = _("next in the year")
        if not self.is_bound:
            self.initial["present"] = [m.pk for m in roster if m.serves_on(today)]
        if previous is None:
            del self.fields["copy_non_members"]
            del self.fields["copy_signatories"]
        elif not self.is_bound:
            start = timezone.localtime(previous.starts_at)
            self.initial.update(
                place=previous.place,
                starts=start.time(),
                ends=timezone.localtime(previous.ends_at).time(),
                copy_non_members=True,
                copy_signatories=True,
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("day", css_class="col-sm-5"), Column("starts"), Column("ends")),
            Row(Column("place", css_class="col-sm-8"), Column("sequence")),
            "present",
            *[name for name in ("copy_non_members", "copy_signatories") if name in self.fields],
        )

    def clean(self):
        cleaned = super().clean()
        day, starts, ends = (cleaned.get(k) for k in ("day", "starts", "ends"))
        if starts and ends and ends <= starts:
            self.add_error("ends", _("The meeting must end after it starts."))
        if day is None:
            return cleaned
        not_serving = [m for m in cleaned.get("present") or [] if not m.serves_on(day)]
        if not_serving:
            self.add_error(
                "present",
                _("%(names)s did not serve on the committee on that day.")
                % {"names": ", ".join(m.person.name for m in not_serving)},
            )
        sequence = cleaned.get("sequence")
        if (
            sequence
            and Meeting.objects.filter(
                committee=self.committee, year=day.year, sequence=sequence
            ).exists()
        ):
            self.add_error(
                "sequence",
                _("This committee already has a meeting with this number in that year."),
            )
        return cleaned
