from django.contrib import admin

from .models import (
    EligibilityRule,
    Opportunity,
    OpportunityDocument,
    OpportunityInterest,
    Project,
    ProjectDeadlineAlert,
    ProjectDocument,
    ProjectNote,
    ProjectPartner,
    ProjectTransition,
    SupportProgramme,
)


class ReadOnlyAdminMixin:
    """History and records written by services: readable in the admin, never edited there."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EligibilityRuleInline(admin.TabularInline):
    model = EligibilityRule
    extra = 1


@admin.register(SupportProgramme)
class SupportProgrammeAdmin(admin.ModelAdmin):
    """Staff keep the programmes and their rules here: the pre-check reads them as data."""

    list_display = ["name_fr", "operator", "region", "subsidy_rate_pct", "max_subsidy_mad", "is_active"]
    list_filter = ["is_active", "region"]
    search_fields = ["name_fr", "name_ar", "name_en", "operator"]
    inlines = [EligibilityRuleInline]


class OpportunityDocumentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = OpportunityDocument
    fields = ["title", "size", "uploaded_by", "created_at"]
    readonly_fields = fields
    extra = 0


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ["title", "region", "sector", "investment_min_mad", "investment_max_mad", "status", "created_at"]
    list_filter = ["status", "region", "sector"]
    search_fields = ["title", "description"]
    list_select_related = ["region", "sector"]
    raw_id_fields = ["province", "commune"]
    readonly_fields = ["status", "created_by", "created_at", "published_at", "closed_at"]
    filter_horizontal = ["programmes"]
    inlines = [OpportunityDocumentInline]


@admin.register(OpportunityInterest)
class OpportunityInterestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["opportunity", "investor", "created_at"]
    list_select_related = ["opportunity", "investor"]


class ProjectTransitionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ProjectTransition
    fields = ["at", "from_status", "to_status", "by", "note"]
    readonly_fields = fields
    extra = 0


class ProjectNoteInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ProjectNote
    fields = ["created_at", "author", "body"]
    readonly_fields = fields
    extra = 0


class ProjectDocumentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ProjectDocument
    fields = ["original_name", "size", "uploaded_by", "created_at"]
    readonly_fields = fields
    extra = 0


class ProjectPartnerInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ProjectPartner
    fields = ["partner", "proposed_by", "proposed_at", "consented_at", "ended_at"]
    readonly_fields = fields
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    """Status, deadline and officer change only through the pipeline services (the portal pages)."""

    list_display = ["title", "investor", "region", "amount_mad", "status", "due_at", "assigned_officer"]
    list_filter = ["status", "stage", "region", "sector"]
    search_fields = ["title", "investor__email", "investor__full_name"]
    list_select_related = ["investor", "region", "assigned_officer"]
    raw_id_fields = ["province", "commune", "opportunity"]
    readonly_fields = [
        "investor",
        "status",
        "status_changed_at",
        "due_at",
        "assigned_officer",
        "drop_reason",
        "created_at",
    ]
    inlines = [ProjectTransitionInline, ProjectNoteInline, ProjectDocumentInline, ProjectPartnerInline]

    def has_add_permission(self, request):
        return False  # projects are submitted by investors, through project_submit


@admin.register(ProjectTransition)
class ProjectTransitionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["project", "from_status", "to_status", "by", "at"]
    list_filter = ["to_status"]
    list_select_related = ["project", "by"]


@admin.register(ProjectDeadlineAlert)
class ProjectDeadlineAlertAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["project", "kind", "recipients", "sent_at"]
    list_filter = ["kind"]
    list_select_related = ["project"]
