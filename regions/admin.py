from django.contrib import admin

from .models import (
    Commune,
    ConsultationMeeting,
    Decision,
    Indicator,
    MeetingParticipant,
    Need,
    NeedInterest,
    NeedLanguage,
    NeedReminder,
    NeedSkill,
    Partnership,
    Province,
    Region,
    Roadmap,
    RoadmapAxis,
    RoadmapDocument,
    Stakeholder,
    Study,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_ar", "name_en", "is_pilot", "population_2024"]
    list_filter = ["is_pilot"]
    search_fields = ["code", "name_fr", "name_ar", "name_en"]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_ar", "kind", "region", "population_2024"]
    list_filter = ["region", "kind"]
    search_fields = ["code", "name_fr", "name_ar"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_ar", "kind", "province", "region", "population_2024"]
    list_filter = ["region", "kind"]
    search_fields = ["code", "name_fr", "name_ar"]
    list_select_related = ["province", "region"]


class RoadmapAxisInline(admin.TabularInline):
    model = RoadmapAxis
    extra = 0


class RoadmapDocumentInline(admin.TabularInline):
    model = RoadmapDocument
    extra = 0


@admin.register(Roadmap)
class RoadmapAdmin(admin.ModelAdmin):
    list_display = ["title", "region", "version", "status", "period_start", "period_end", "adopted_on"]
    list_filter = ["status", "region"]
    search_fields = ["title"]
    inlines = [RoadmapAxisInline, RoadmapDocumentInline]
    list_select_related = ["region"]
    readonly_fields = ["status", "adopted_on", "closed_on"]  # changed only through the services


class NeedSkillInline(admin.TabularInline):
    model = NeedSkill
    extra = 0
    raw_id_fields = ["skill"]


class NeedLanguageInline(admin.TabularInline):
    model = NeedLanguage
    extra = 0


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["title", "region", "status", "format", "work_mode", "owner", "response_deadline", "end_date"]
    list_filter = ["status", "region", "format", "work_mode"]
    search_fields = ["title", "description"]
    raw_id_fields = ["roadmap", "axis", "province", "commune", "owner"]
    readonly_fields = ["region", "status", "end_date", "published_at", "status_changed_at"]
    inlines = [NeedSkillInline, NeedLanguageInline]
    list_select_related = ["region", "owner"]


@admin.register(NeedInterest)
class NeedInterestAdmin(admin.ModelAdmin):
    list_display = ["need", "user", "created_at"]
    raw_id_fields = ["need", "user"]
    list_select_related = ["need", "user"]


@admin.register(NeedReminder)
class NeedReminderAdmin(admin.ModelAdmin):
    list_display = ["need", "kind", "recipient", "deadline", "sent_at"]
    list_filter = ["kind"]
    raw_id_fields = ["need", "recipient"]


@admin.register(Stakeholder)
class StakeholderAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "is_active"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["name"]


class ParticipantInline(admin.TabularInline):
    model = MeetingParticipant
    extra = 0
    raw_id_fields = ["user", "stakeholder"]


class DecisionInline(admin.StackedInline):
    model = Decision
    extra = 0
    raw_id_fields = ["axis", "need", "owner", "region"]


@admin.register(ConsultationMeeting)
class ConsultationMeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "region", "starts_at", "status"]
    list_filter = ["status", "region"]
    search_fields = ["title", "agenda", "minutes"]
    inlines = [ParticipantInline, DecisionInline]
    filter_horizontal = ["stakeholders"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["title", "region", "meeting", "owner", "due_date", "follow_up_status"]
    list_filter = ["follow_up_status", "region"]
    raw_id_fields = ["meeting", "axis", "need", "owner"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["title", "region", "status", "start_date", "end_date", "budget_mad"]
    list_filter = ["status", "region"]
    filter_horizontal = ["partners", "axes", "needs"]


@admin.register(Study)
class StudyAdmin(admin.ModelAdmin):
    list_display = ["title", "authors", "year", "language"]
    list_filter = ["year", "language", "regions"]
    search_fields = ["title", "authors", "institutions", "abstract"]
    filter_horizontal = ["regions", "axes", "needs"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["key", "region", "year", "value", "unit", "status", "source"]
    list_filter = ["key", "region", "status"]
