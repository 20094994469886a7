from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Engagement, InvestmentMatch, Match, MatchRun, MatchShard


class MatchShardInline(admin.TabularInline):
    """Who scored what (worker hostname), how often it ran, how long it took."""

    model = MatchShard
    fields = (
        "attempt",
        "index",
        "expected_candidates",
        "deliveries",
        "hostname",
        "rows_count",
        "duration_ms",
        "done_at",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    inlines = [MatchShardInline]
    list_display = (
        "pk",
        "kind",
        "status",
        "progress",
        "shards_done",
        "shards_total",
        "experts_count",
        "needs_count",
        "matches_count",
        "duration_ms",
        "requested_by",
        "created_at",
        "finished_at",
    )
    list_filter = ("kind", "status")
    readonly_fields = [f.name for f in MatchRun._meta.fields]
    actions = ["request_full_rematch"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Run a full re-match now"))
    def request_full_rematch(self, request, queryset):
        run = services.match_run_request(by=request.user)
        self.message_user(request, _("Full re-match #%(pk)s queued.") % {"pk": run.pk}, messages.SUCCESS)


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ("need", "profile", "rank", "score", "status", "interested", "updated_at")
    list_filter = ("status", "interested")
    list_select_related = ("need", "profile")
    raw_id_fields = ("need", "profile", "run", "invited_by")
    search_fields = ("need__title", "profile__display_name")


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    list_display = ("match", "status", "owner_rating", "expert_rating", "started_at", "ended_at")
    list_filter = ("status",)
    raw_id_fields = ("match",)


@admin.register(InvestmentMatch)
class InvestmentMatchAdmin(admin.ModelAdmin):
    """Read-only: the rows are the engine's output, rewritten by every investment re-match."""

    list_display = ("opportunity", "project", "score", "opportunity_rank", "project_rank", "updated_at")
    list_select_related = ("opportunity", "project")
    search_fields = ("opportunity__title", "project__title")
    readonly_fields = [f.name for f in InvestmentMatch._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
