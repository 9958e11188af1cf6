"""Agenda items, remarks and resolutions on the meeting's admin page.

The agenda app depends on meetings, so it is the one that puts its inlines on
the meeting change page: it re-registers MeetingAdmin with them added.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from meetings.admin import (
    AttendanceInline,
    MeetingAdmin,
    MeetingPartAdmin,
    MeetingRelatedInline,
    NonMemberAttendeeInline,
    OptionalPositionForm,
    OrderedFormSet,
    ProceedingsInline,
    SignatoryInline,
    StatusChangeInline,
)
from meetings.models import Meeting, NonMemberAttendee
from minutes_site.inputs import validate_text

from .editing import MAX_BLOCKS
from .models import AgendaItem, Resolution, SpeakerBlock, Statement
from .services import replace_statements, split_statements


class AgendaItemInline(MeetingRelatedInline):
    model = AgendaItem
    fields = ["kind", "number", "title", "outcome"]


def short_agenda_label(item):
    """심의 【1】: enough to pick an item in a narrow dropdown."""
    return f"{item.get_kind_display()} 【{item.number}】"


class MeetingScopedFormSet(OrderedFormSet):
    """Ordered rows whose dropdowns are evaluated once for the whole inline."""

    cached_choice_fields = ("member", "attendee", "agenda_item")


class SpeakerBlockForm(OptionalPositionForm):
    """A speaker block with its statements typed one per line.

    Statements stay separate rows (members comment on them one by one); the
    textarea is only the fastest way to type them in the admin.
    """

    statements_text = forms.CharField(
        label=_("statements (one per line)"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 70}),
        required=False,
        validators=[validate_text],
    )

    class Meta:
        model = SpeakerBlock
        fields = [
            "position",
            "speaker_kind",
            "member",
            "attendee",
            "role_label",
            "written_name",
            "agenda_item",
            "statements_text",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["statements_text"] = "\n".join(
                statement.text for statement in self.instance.statements.all()
            )

    def clean_statements_text(self):
        statements = split_statements(self.cleaned_data["statements_text"])
        if not statements:
            raise ValidationError(_("A speaker block needs at least one statement."))
        Statement.check_block(statements)
        return statements

    def save(self, commit=True):
        block = super().save(commit=commit)
        statements = self.cleaned_data["statements_text"]
        if commit:
            replace_statements(block, statements)
        else:
            save_m2m = self.save_m2m

            def save_m2m_and_statements():
                save_m2m()
                replace_statements(block, statements)

            self.save_m2m = save_m2m_and_statements
        return block


class SpeakerBlockInline(MeetingRelatedInline):
    model = SpeakerBlock
    form = SpeakerBlockForm
    formset = MeetingScopedFormSet
    max_rows = MAX_BLOCKS
    verbose_name_plural = _("remarks (speaker blocks in order)")

    def get_queryset(self, request):
        # Each row shows its heading (str), which names the speaker.
        return (
            super()
            .get_queryset(request)
            .select_related("member__person", "attendee__person")
            .prefetch_related("statements")
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        meeting = getattr(self, "parent_meeting", None)
        if db_field.name == "member":
            kwargs["queryset"] = self.roster()
        elif db_field.name == "attendee":
            kwargs["queryset"] = (
                NonMemberAttendee.objects.filter(meeting=meeting).select_related("person")
                if meeting
                else NonMemberAttendee.objects.none()
            )
        elif db_field.name == "agenda_item":
            kwargs["queryset"] = (
                AgendaItem.objects.filter(meeting=meeting) if meeting else AgendaItem.objects.none()
            )
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "agenda_item":
            field.label_from_instance = short_agenda_label
        return field


class ResolutionInline(MeetingRelatedInline):
    model = Resolution
    form = OptionalPositionForm
    formset = MeetingScopedFormSet
    fields = [
        "position",
        "agenda_item",
        "question",
        "method",
        "votes_for",
        "votes_against",
        "abstentions",
        "outcome",
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "agenda_item":
            meeting = getattr(self, "parent_meeting", None)
            field.queryset = (
                AgendaItem.objects.filter(meeting=meeting) if meeting else AgendaItem.objects.none()
            )
            field.label_from_instance = short_agenda_label
        return field


admin.site.unregister(Meeting)


# A speaker block is a dozen form fields: past this many the page would be
# megabytes of forms (3.6 MB, 3.6 s at the reference's 580 blocks) for what
# the editor does better, so a longer record's remarks are a link to the
# editor and to the list of its blocks (each editable on its own page).
INLINE_SPEAKER_BLOCKS = 30


@admin.register(Meeting)
class MeetingWithAgendaAdmin(MeetingAdmin):
    inlines = [
        AttendanceInline,
        NonMemberAttendeeInline,
        ProceedingsInline,
        AgendaItemInline,
        SpeakerBlockInline,
        ResolutionInline,
        SignatoryInline,
        StatusChangeInline,
    ]
    readonly_fields = [*MeetingAdmin.readonly_fields, "remarks"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [*fieldsets, (_("Remarks"), {"fields": ["remarks"]})]

    def get_inlines(self, request, obj):
        if obj is not None and self.block_count(obj) > INLINE_SPEAKER_BLOCKS:
            return [inline for inline in self.inlines if inline is not SpeakerBlockInline]
        return self.inlines

    def block_count(self, obj):
        if not hasattr(obj, "_block_count"):
            obj._block_count = obj.speaker_blocks.count()
        return obj._block_count

    @admin.display(description=_("remarks"))
    def remarks(self, obj):
        count = self.block_count(obj)
        listed = reverse("admin:agenda_speakerblock_changelist") + f"?meeting__id__exact={obj.pk}"
        parts = [
            ngettext("%(count)s speaker block", "%(count)s speaker blocks", count)
            % {"count": count}
        ]
        if obj.is_editable:
            parts.append(
                format_html(
                    '<a href="{}">{}</a>',
                    reverse("editor:page", args=[obj.pk]),
                    _("Edit the remarks in the editor"),
                )
            )
        parts.append(format_html('<a href="{}">{}</a>', listed, _("List them one by one")))
        if count > INLINE_SPEAKER_BLOCKS:
            parts.append(_("(too many to edit on this page)"))
        return format_html_join(" · ", "{}", ((part,) for part in parts))


class StandaloneSpeakerBlockForm(SpeakerBlockForm):
    """Outside the meeting page there is no list to number the block after."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "position" in self.fields:  # absent when the page is read-only
            self.fields["position"].required = True


@admin.register(SpeakerBlock)
class SpeakerBlockAdmin(MeetingPartAdmin):
    """Find a remark across meetings; editing happens on the meeting page."""

    list_display = ["position", "meeting", "speaker_kind", "role_label", "agenda_item"]
    list_filter = ["meeting__committee", "speaker_kind"]
    list_select_related = ["meeting__committee", "agenda_item"]
    search_fields = ["statements__text", "role_label", "member__person__name"]
    form = StandaloneSpeakerBlockForm
    raw_id_fields = ["meeting"]
    fields = ["meeting", *SpeakerBlockForm.Meta.fields]


@admin.register(AgendaItem)
class AgendaItemAdmin(MeetingPartAdmin):
    list_display = ["__str__", "meeting", "kind", "outcome"]
    list_filter = ["kind", "outcome", "meeting__committee"]
    list_select_related = ["meeting__committee"]
    search_fields = ["title"]
    raw_id_fields = ["meeting"]
