from rest_framework import serializers

from regions.models import Commune, Province, Region


class RegionBriefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="In the language of Accept-Language.")

    class Meta:
        model = Region
        fields = ["id", "code", "name"]


class ProvinceBriefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Province
        fields = ["id", "code", "name"]


class RegionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="In the language of Accept-Language.")

    class Meta:
        model = Region
        fields = [
            "id", "code", "iso_code", "name", "name_ar", "name_fr", "name_en", "is_pilot",
            "population_2024", "households_2024",
        ]  # fmt: skip


class ProvinceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    region = RegionBriefSerializer(read_only=True)

    class Meta:
        model = Province
        fields = ["id", "code", "kind", "name", "name_ar", "name_fr", "region", "population_2024"]


class CommuneSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    region = RegionBriefSerializer(read_only=True)
    province = ProvinceBriefSerializer(read_only=True)

    class Meta:
        model = Commune
        fields = ["id", "code", "kind", "name", "name_ar", "name_fr", "region", "province", "population_2024"]
