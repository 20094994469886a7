from rest_framework import serializers

from taxonomy.models import Sector, Skill


class SectorBriefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Sector
        fields = ["id", "code", "name"]


class SectorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="In the language of Accept-Language.")

    class Meta:
        model = Sector
        fields = ["id", "code", "name", "name_ar", "name_fr", "name_en"]


class SkillSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text="Preferred label in the language of Accept-Language.")
    labels = serializers.DictField(child=serializers.CharField(), help_text="Preferred label per language.")
    description = serializers.CharField(read_only=True)
    sector = SectorBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Skill
        fields = ["id", "uri", "concept_type", "skill_type", "label", "labels", "description", "sector"]
