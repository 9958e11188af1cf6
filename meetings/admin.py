"""The secretary's workspace for a meeting record.

The meeting change page carries every part of the record as ordered inlines.
Agenda content (items, remarks, resolutions) is added to this page by the
agenda app's admin, which extends MeetingAdmin: this module never imports it.
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from committees.models import Member, Person
from minutes_site.inputs import BoundedFormSetMixin

from .archive import build_archive, signed_documents
from .models import (
    Attendance,
    Meeting,
    MeetingCheck,
    MinutesVersion,
    NonMemberAttendee,
    ProceedingsItem,
    Signatory,
    StatusChange,
)
from .services import WorkflowError, publish, send_for_review


class SiblingAwareFormSet(BoundedFormSetMixin, forms.BaseInlineFormSet):
    """An inline formset that can see the other inlines submitted with it.

    Some rules span inlines (a signer must be marked present in the attendance
    inline of the same submission), and Django validates each inline on its
    own. MeetingAdmin hands every formset its siblings before validation.
    """

    siblings = None

    def sibling(self, name):
        return (self.siblings or {}).get(name)


class CachedChoicesFormSet(SiblingAwareFormSet):
    """Evaluates each foreign-key dropdown once for the whole formset.

    Without this every form of a long inline (57 speaker blocks) would run its
    own query for each dropdown while rendering.
    """

    cached_choice_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.cached_choice_fields:
            field = self.form.base_fields.get(name)
            if field is None:
                continue
            choices = list(self.form.base_fields[name].choices)
            for form in self.forms + [self.empty_form]:
                form.fields[name].choices = choices


class MeetingPartAdmin(admin.ModelAdmin):
    """A part of a meeting's text on its own admin page: read-only once frozen.

    Without this, saving a confirmed meeting's speaker block here would reach
    the model's refusal and end in a server error instead of a read-only page.
    """

    def has_change_permission(self, request, obj=None):
        frozen = obj is not None and not obj.meeting.is_editable
        return not frozen and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        frozen = obj is not None and not obj.meeting.is_editable
        return not frozen and super().has_delete_permission(request, obj)


class MeetingRelatedInline(admin.TabularInline):
    """Inline whose dropdowns only offer what belongs to the parent meeting.

    Read-only once the meeting's text is frozen (confirmed and after).
    """

    extra = 0
    formset = SiblingAwareFormSet
    # Rows one meeting may have in this inline; a forged count above is refused.
    max_rows = 1000

    def has_add_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_delete_permission(request, obj)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Rows are typed by the dozen: the change/delete/view icons next to
        # every dropdown only get in the way of the keyboard. A person may
        # still be added on the spot (a new 배석 or confirmer), nothing else.
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(field.widget, RelatedFieldWidgetWrapper):
            if db_field.related_model is Person:
                wrapper = field.widget
                wrapper.can_change_related = wrapper.can_delete_related = False
                wrapper.can_view_related = False
            else:
                field.widget = field.widget.widget
        return field

    def get_formset(self, request, obj=None, **kwargs):
        self.parent_meeting = obj
        kwargs.setdefault("absolute_max", self.max_rows)
        return super().get_formset(request, obj, **kwargs)

    # What each row's title (str of the row) reads, joined in the row query:
    # without it every row of the inline costs a query or two.
    row_select_related = ()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.row_select_related:
            queryset = queryset.select_related(*self.row_select_related)
        return queryset

    def roster(self):
        meeting = getattr(self, "parent_meeting", None)
        members = Member.objects.select_related("person", "committee")
        return members.filter(committee=meeting.committee) if meeting else members


class AttendanceFormSet(CachedChoicesFormSet):
    cached_choice_fields = ("member",)

    def present_member_ids(self):
        """Members this submission marks present (call once the formset is valid)."""
        return {
            form.cleaned_data["member"].pk
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("member")
            and form.cleaned_data.get("status") == Attendance.Status.PRESENT
        }


class AttendanceForm(forms.ModelForm):
    class Meta:
        model = Attendance
        fields = ["member", "status"]

    def has_changed(self):
        # Rows pre-filled from the roster must be saved even if left as they
        # are: "present" is the answer, not an untouched blank.
        return bool(self.initial.get("member")) or super().has_changed()


class AttendanceInline(MeetingRelatedInline):
    model = Attendance
    form = AttendanceForm
    formset = AttendanceFormSet
    fields = ["member", "status"]
    verbose_name_plural = _("attendance (roster members)")
    row_select_related = ("member__person",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "member":
            kwargs["queryset"] = self.roster()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def unrecorded_members(self, meeting):
        if meeting is None:
            return []
        return list(
            Member.objects.serving_on(meeting.meeting_day)
            .filter(committee=meeting.committee)
            .exclude(attendances__meeting=meeting)
            .select_related("person")
            .order_by("kind", "person__name")
        )

    def get_extra(self, request, obj=None, **kwargs):
        unrecorded = len(self.unrecorded_members(obj))
        return unrecorded if unrecorded else (0 if obj else 3)


class NonMemberAttendeeFormSet(CachedChoicesFormSet):
    cached_choice_fields = ("person", "included_in")


class NonMemberAttendeeInline(MeetingRelatedInline):
    model = NonMemberAttendee
    formset = NonMemberAttendeeFormSet
    fields = ["position", "person", "description", "included_in"]
    row_select_related = ("person",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "included_in":
            meeting = getattr(self, "parent_meeting", None)
            kwargs["queryset"] = (
                NonMemberAttendee.objects.filter(meeting=meeting, person__isnull=True)
                if meeting
                else NonMemberAttendee.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class OrderedFormSet(CachedChoicesFormSet):
    """Rows ordered by a ``position`` number that the secretary may leave blank.

    The inline shows every row of the meeting, so duplicates are checked here
    over the whole list; blank numbers continue after the highest one, in the
    order the rows were typed.
    """

    def kept_forms(self):
        return [
            form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        forms_kept = self.kept_forms()
        numbers = [f.cleaned_data.get("position") for f in forms_kept]
        given = [n for n in numbers if n is not None]
        if len(given) != len(set(given)):
            raise ValidationError(
                _("Two rows have the same order number: give each row its own number.")
            )
        next_number = max(given, default=0) + 1
        for form in forms_kept:
            if form.cleaned_data.get("position") is None:
                form.cleaned_data["position"] = form.instance.position = next_number
                next_number += 1

    def ordered_forms(self):
        return sorted(self.kept_forms(), key=lambda f: f.cleaned_data["position"])


class OptionalPositionForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "position" in self.fields:
            self.fields["position"].required = False


class ProceedingsFormSet(OrderedFormSet):
    def clean(self):
        super().clean()
        if any(self.errors) or self.non_form_errors():
            return
        depths = [form.cleaned_data["depth"] for form in self.ordered_forms()]
        errors = ProceedingsItem.outline_errors(depths)
        if errors:
            raise ValidationError(errors)


class ProceedingsInline(MeetingRelatedInline):
    model = ProceedingsItem
    form = OptionalPositionForm
    formset = ProceedingsFormSet
    fields = ["position", "depth", "text"]


class SignatoryFormSet(CachedChoicesFormSet):
    cached_choice_fields = ("person",)

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        attendance = self.sibling("attendances")
        if attendance is not None and attendance.is_valid():
            present = attendance.present_member_ids()
        else:
            present = self.instance.present_member_ids() if self.instance.pk else set()
        rows = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        for form in rows:
            try:
                form.instance.validate_attended(present)
            except ValidationError as exc:
                form.add_error(None, exc.message_dict["person"])
        signers = [f for f in rows if f.cleaned_data["role"] == Signatory.Role.SIGNER]
        if len(signers) > Signatory.SIGNERS_REQUIRED:
            raise ValidationError(
                _("The minutes are signed by %(count)s members, not more.")
                % {"count": Signatory.SIGNERS_REQUIRED}
            )
        for role in (Signatory.Role.CONFIRMER, Signatory.Role.AUTHOR):
            if sum(f.cleaned_data["role"] == role for f in rows) > 1:
                raise ValidationError(_("The signature block has one confirmer and one author."))


class SignatoryInline(MeetingRelatedInline):
    model = Signatory
    formset = SignatoryFormSet
    fields = ["role", "position", "person", "printed_title"]
    row_select_related = ("person",)

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj and obj.signatories.exists() else 4


class MeetingAdminForm(forms.ModelForm):
    """Carries the time the page was loaded, to catch two secretaries editing at once."""

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Meeting
        fields = [
            "committee",
            "year",
            "sequence",
            "starts_at",
            "ends_at",
            "place",
            "document_date",
            "unplaced_text",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["loaded_version"] = self.instance.revision

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            saved = self.instance.saved_since(cleaned.get("loaded_version"))
            if saved:
                raise ValidationError(
                    _(
                        "%(user)s saved these minutes at %(time)s, after you opened them. "
                        "Nothing was saved from this page: your changes are still below. "
                        "Open the page again in a new tab to see theirs, then apply yours there."
                    )
                    % {"user": saved[0], "time": saved[1]}
                )
        return cleaned


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    form = MeetingAdminForm
    list_display = ["__str__", "committee", "starts_at", "place", "status"]
    list_filter = ["committee", "status", "year"]
    list_select_related = ["committee"]
    search_fields = ["committee__name", "place"]
    date_hierarchy = "starts_at"
    readonly_fields = ["status", "updated_at", "updated_by"]
    fieldsets = [
        (None, {"fields": ["committee", ("year", "sequence"), "status", "loaded_version"]}),
        (_("When and where"), {"fields": [("starts_at", "ends_at"), "place", "document_date"]}),
        (_("Unplaced text"), {"fields": ["unplaced_text"], "classes": ["collapse"]}),
        (_("Record"), {"fields": ["updated_at", "updated_by"], "classes": ["collapse"]}),
    ]
    # The agenda app appends its inlines (see agenda/admin.py) between these.
    inlines = [AttendanceInline, NonMemberAttendeeInline, ProceedingsInline, SignatoryInline]
    view_on_site = True

    class Media:
        css = {"all": ["admin/css/minutes.css"]}

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, AttendanceInline) and obj is not None and obj.pk:
            kwargs["initial"] = [
                {"member": member.pk, "status": Attendance.Status.PRESENT}
                for member in inline.unrecorded_members(obj)
            ]
        return kwargs

    def _create_formsets(self, request, obj, change):
        # Django validates inlines one by one; rules that span them (signers
        # must be present) need to see the others of the same submission.
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        siblings = {formset.prefix: formset for formset in formsets}
        for formset in formsets:
            formset.siblings = siblings
        return formsets, inline_instances

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Person:
            kwargs["queryset"] = Person.objects.order_by("name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    actions = ["export_archive_action", "send_for_review_action", "publish_action"]

    def has_change_permission(self, request, obj=None):
        # A confirmed text is evidence: it is viewed here, corrected by amend().
        if obj is not None and not obj.is_editable:
            return False
        return super().has_change_permission(request, obj)

    def _run(self, request, queryset, transition, done_message):
        for meeting in queryset:
            try:
                transition(meeting)
            except WorkflowError as error:
                self.message_user(request, f"{meeting}: {error}", messages.ERROR)
            else:
                self.message_user(request, f"{meeting}: {done_message}", messages.SUCCESS)

    @admin.action(description=_("Send for review (deadline in 7 days)"), permissions=["change"])
    def send_for_review_action(self, request, queryset):
        deadline = timezone.now() + datetime.timedelta(days=7)
        self._run(
            request,
            queryset,
            lambda meeting: send_for_review(meeting, by=request.user, deadline=deadline),
            _("sent for review."),
        )

    @admin.action(description=_("Publish the signed minutes"), permissions=["change"])
    def publish_action(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda meeting: publish(meeting, by=request.user),
            _("published."),
        )

    @admin.action(description=_("Export the signed files for the archive (ZIP with manifest)"))
    def export_archive_action(self, request, queryset):
        """The selected meetings' signed versions, as stored, with the manifest.

        Unsigned minutes are not archive records: they are left out, and said so.
        """
        documents = list(signed_documents(meetings=queryset))
        signed = {document.version.meeting_id for document in documents}
        for meeting in queryset.exclude(pk__in=signed):
            self.message_user(
                request,
                _("%(meeting)s: not signed, so not exported (drafts are not archive records).")
                % {"meeting": meeting},
                messages.WARNING,
            )
        if not documents:
            return None
        response = HttpResponse(build_archive(documents), content_type="application/zip")
        response["Content-Disposition"] = content_disposition_header(True, "minutes-archive.zip")
        return response

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


class StatusChangeInline(admin.TabularInline):
    """The workflow trail, shown on the meeting page; written only by the services."""

    model = StatusChange
    fields = ["at", "from_status", "to_status", "by", "version", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class LookUpOnlyAdmin(admin.ModelAdmin):
    """Rows written only by the site's services: the admin shows them, never writes."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MinutesVersion)
class MinutesVersionAdmin(LookUpOnlyAdmin):
    """Frozen versions: for looking up, never for editing."""

    list_display = ["__str__", "frozen_at", "frozen_by", "content_sha256"]
    list_select_related = ["meeting__committee", "frozen_by"]
    list_filter = ["meeting__committee"]
    search_fields = ["content_sha256", "meeting__committee__name"]
    readonly_fields = ["meeting", "number", "frozen_at", "frozen_by", "content_sha256", "content"]


@admin.register(MeetingCheck)
class MeetingCheckAdmin(LookUpOnlyAdmin):
    """Points to check, for looking up: made by imports, settled in the editor
    (확인 완료), which records who and when; never written here."""

    list_display = ["message", "meeting", "topic", "source_line", "settled_at", "settled_by"]
    list_filter = [("settled_at", admin.EmptyFieldListFilter), "topic", "meeting__committee"]
    list_select_related = ["meeting__committee", "settled_by"]
    search_fields = ["message", "source_text", "meeting__committee__name"]
    fields = [
        "meeting",
        "topic",
        "message",
        "source_line",
        "source_text",
        "created_at",
        "settled_at",
        "settled_by",
    ]
    readonly_fields = fields
