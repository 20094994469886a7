from django.contrib import admin

from .models import Sector, Skill, SkillLabel


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_ar", "name_en"]
    search_fields = ["code", "name_fr", "name_ar", "name_en"]


class SkillLabelInline(admin.TabularInline):
    model = SkillLabel
    fields = ["language", "kind", "text"]
    extra = 0


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["__str__", "concept_type", "skill_type", "reuse_level", "sector", "uri"]
    list_filter = ["concept_type", "skill_type", "reuse_level", "sector"]
    search_fields = ["uri", "all_labels__folded"]
    list_select_related = ["sector"]
    inlines = [SkillLabelInline]
    raw_id_fields = ["sector"]
