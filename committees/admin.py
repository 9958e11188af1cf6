from django.contrib import admin
from django.contrib.admin.actions import delete_selected
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Committee, Member, MemberRole, Person


# Django's own wording reads "선택된 회의 을/를 삭제합니다." in Korean: the same
# action, site-wide, under a name that reads well with every model's name.
@admin.action(permissions=["delete"], description=_("Delete the selected %(verbose_name_plural)s"))
def delete_selected_entries(modeladmin, request, queryset):
    return delete_selected(modeladmin, request, queryset)


admin.site.disable_action("delete_selected")
admin.site.add_action(delete_selected_entries, "delete_selected")


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0
    fields = ["person", "kind", "term_start", "term_end"]
    autocomplete_fields = ["person"]
    show_change_link = True


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "department"]
    search_fields = ["name", "organisation", "department"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["secretaries"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "secretaries"]}),
        (_("As printed on the cover"), {"fields": ["organisation", "department", "member_title"]}),
    ]
    inlines = [MemberInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "affiliation", "user"]
    list_select_related = ["user"]
    list_filter = ["memberships__committee"]
    search_fields = ["name", "position", "affiliation", "email"]
    autocomplete_fields = ["user"]


class MemberRoleInline(admin.TabularInline):
    model = MemberRole
    extra = 0
    fields = ["role", "since", "until"]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["person", "committee", "kind", "current_role", "term_start", "term_end"]
    list_filter = ["committee", "kind"]
    list_select_related = ["person", "committee"]
    search_fields = ["person__name", "person__position", "committee__name"]
    autocomplete_fields = ["person"]
    inlines = [MemberRoleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("roles")

    @admin.display(description=_("current role"))
    def current_role(self, member):
        return MemberRole.Role(member.role_on(timezone.localdate())).label
