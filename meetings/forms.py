import base64
import binascii
import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committees.models import Committee
from minutes_site import throttle
from minutes_site.inputs import validate_meeting_day, validate_text

from .models import Signature

DATA_URL_PREFIX = "data:image/png;base64,"


class SendForReviewForm(forms.Form):
    deadline = forms.DateTimeField(
        label=_("review deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        validators=[validate_meeting_day],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["deadline"] = timezone.localtime() + datetime.timedelta(days=7)


class AmendForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 2}),
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
