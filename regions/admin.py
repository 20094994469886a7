from django.contrib import admin

from .models import Commune, Province, Region


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
