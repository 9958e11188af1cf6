"""The secretary's forms for a committee and its roster.

Dates are native date inputs within the span meetings are held in; texts
meet the models' own validators (the text rule, the column lengths); a login
account is named by its login name, so nobody scrolls through every account.
"""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minutes_site.inputs import FIRST_YEAR, LAST_YEAR, validate_meeting_day, validate_text

from .models import Committee, Member, MemberRole, Person


class DayInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        attrs = {"min": f"{FIRST_YEAR}-01-01", "max": f"{LAST_YEAR}-12-31", **(attrs or {})}
        super().__init__(attrs, format="%Y-%m-%d")


def day_field(label, **kwargs):
    return forms.DateField(
        label=label, widget=DayInput(), validators=[validate_meeting_day], **kwargs
    )


def plain_helper(*layout):
    helper = FormHelper()
    helper.form_tag = False
    if layout:
        helper.layout = Layout(*layout)
    return helper


class LoginNamesField(forms.CharField):
    """Login accounts named by their login names, separated by commas or spaces."""

    MAX_NAMES = 20

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 1000)
        kwargs.setdefault("validators", [validate_text])
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(user.get_username() for user in value)
        return value

    def clean(self, value):
        text = super().clean(value)
        names = [name for name in re.split(r"[\s,]+", text or "") if name]
        if len(names) > self.MAX_NAMES:
            raise ValidationError(_("At most %(limit)s login names.") % {"limit": self.MAX_NAMES})
        users = {
            user.get_username(): user
            for user in get_user_model().objects.filter(username__in=names, is_active=True)
        }
        unknown = [name for name in names if name not in users]
        if unknown:
            raise ValidationError(
                _("No active login account is named %(names)s.") % {"names": ", ".join(unknown)}
            )
        return list(dict.fromkeys(users[name] for name in names))


# Addresses of the committee pages themselves (/committees/new/), and of the
# site's pages that sit beside committees' own (/public/search/).
RESERVED_SLUGS = frozenset({"new", "search"})


class CommitteeForm(forms.ModelForm):
    """The committee as printed on the cover, and who keeps it."""

    secretaries = LoginNamesField(
        label=gettext_lazy("secretaries (login names)"),
        required=False,
        help_text=gettext_lazy(
            "The login accounts that keep the roster and set up the meetings, separated by commas."
        ),
    )

    class Meta:
        model = Committee
        fields = ["name", "slug", "organisation", "department", "member_title"]
        help_texts = {
            "slug": gettext_lazy(
                "Letters, digits and hyphens, used in addresses and file names, e.g. data-policy."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["secretaries"] = list(self.instance.secretaries.all())
        self.helper = plain_helper(
            Row(Column("name"), Column("slug")),
            Row(Column("organisation"), Column("department")),
            "member_title",
            "secretaries",
        )

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise ValidationError(_("This short name is reserved: choose another."))
        return slug

    def save(self, *, by):
        """The committee; a new one is kept by whoever created it, at least."""
        created = self.instance.pk is None
        committee = super().save()
        secretaries = self.cleaned_data["secretaries"]
        if created and by not in secretaries:
            secretaries = [by, *secretaries]
        committee.secretaries.set(secretaries)
        return committee


def person_label(person):
    details = " · ".join(part for part in (person.position, person.affiliation) if part)
    return f"{person.name} ({details})" if details else person.name


class MemberForm(forms.Form):
    """A new seat on the roster: somebody already known, or a new person."""

    person = forms.ModelChoiceField(
        label=gettext_lazy("person already known"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=gettext_lazy("— a new person (fill in below) —"),
    )
    name = forms.CharField(
        label=gettext_lazy("name"), max_length=50, required=False, validators=[validate_text]
    )
    position = forms.CharField(
        label=gettext_lazy("position"),
        max_length=100,
        required=False,
        validators=[validate_text],
        help_text=gettext_lazy("The job title printed next to internal members, e.g. 안전총괄관."),
    )
    affiliation = forms.CharField(
        label=gettext_lazy("affiliation"),
        max_length=100,
        required=False,
        validators=[validate_text],
    )
    email = forms.EmailField(label=gettext_lazy("email"), required=False)
    login = forms.CharField(
        label=gettext_lazy("login name"),
        max_length=150,
        required=False,
        validators=[validate_text],
        help_text=gettext_lazy(
            "The person's login account, so they can review and sign online (optional)."
        ),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("seat"), choices=Member.Kind.choices, widget=forms.RadioSelect
    )
    role = forms.ChoiceField(
        label=gettext_lazy("role"), choices=MemberRole.Role.choices, initial="member"
    )
    term_start = day_field(gettext_lazy("term start"))
    term_end = day_field(gettext_lazy("term end"), required=False)

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.committee = committee
        self.fields["person"].queryset = Person.objects.order_by("name", "id")
        self.fields["person"].label_from_instance = person_label
        self.helper = plain_helper(
            "person",
            Row(Column("name"), Column("position")),
            Row(Column("affiliation"), Column("email")),
            "login",
            Row(Column("kind"), Column("role")),
            Row(Column("term_start"), Column("term_end")),
        )

    def clean_login(self):
        login = self.cleaned_data["login"].strip()
        if not login:
            return None
        user = get_user_model().objects.filter(username=login, is_active=True).first()
        if user is None:
            raise ValidationError(
                _("No active login account is named %(names)s.") % {"names": login}
            )
        return user

    def clean(self):
        cleaned = super().clean()
        person, name = cleaned.get("person"), cleaned.get("name", "").strip()
        user = cleaned.get("login")
        if person is None and not name and "name" not in self.errors:
            self.add_error("name", _("Choose a person already known or enter a new person's name."))
        if person is not None and name:
            self.add_error(
                "name", _("Either choose a person already known or enter a new one, not both.")
            )
        if user is not None:
            holder = Person.objects.filter(user=user).exclude(pk=getattr(person, "pk", None))
            if holder.exists():
                self.add_error(
                    "login",
                    _("This login account already belongs to %(name)s.")
                    % {"name": holder.first().name},
                )
            elif person is not None and person.user_id not in (None, user.pk):
                self.add_error("login", _("This person already has another login account."))
        start, end = cleaned.get("term_start"), cleaned.get("term_end")
        if start and end and end < start:
            self.add_error("term_end", _("The term cannot end before it starts."))
        return cleaned

    def person_to_seat(self):
        """The chosen person (given the login, if any), or a new unsaved one."""
        cleaned = self.cleaned_data
        person = cleaned["person"] or Person(
            name=cleaned["name"].strip(),
            position=cleaned["position"].strip(),
            affiliation=cleaned["affiliation"].strip(),
            email=cleaned["email"],
        )
        if cleaned["login"] is not None:
            person.user = cleaned["login"]
        return person


class EndTermForm(forms.Form):
    term_end = day_field(gettext_lazy("last day of the term"))


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("new role"), choices=MemberRole.Role.choices)
    since = day_field(gettext_lazy("effective from"))
