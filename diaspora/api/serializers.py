from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from diaspora.disclosure import YEAR_BAND_LABELS
from diaspora.models import ExpertLanguage, ExpertProfile, ExpertSkill
from portal.api.pseudonyms import serializer_pseudonyms


class ExpertSkillSerializer(serializers.ModelSerializer):
    skill_id = serializers.IntegerField(read_only=True)
    label = serializers.CharField(source="skill.label", read_only=True)
    years_band = serializers.ChoiceField(
        choices=[(label, label) for label in YEAR_BAND_LABELS],
        read_only=True,
        help_text="Years of experience, in a band (never exact).",
    )

    class Meta:
        model = ExpertSkill
        fields = ["skill_id", "label", "level", "years_band"]


class ExpertLanguageSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExpertLanguage
        fields = ["language", "level"]


class ExpertSerializer(serializers.ModelSerializer):
    """A pseudonymised expert: what they can do, never who they are (no name, contact, bio,
    birth year, city or CV). `id` is stable and opaque, and your organisation's own: another
    organisation sees another id. Place and years are coarsened (see the fields)."""

    id = serializers.SerializerMethodField()
    country_of_residence = serializers.CharField(
        source="country_of_residence.code",
        read_only=True,
        allow_null=True,
        help_text="ISO 3166-1 alpha-2; null when fewer than 5 experts partners can see live there.",
    )
    origin_region = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="HCP code; given only with the country, when at least 5 experts share both.",
    )
    sectors = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    skills = ExpertSkillSerializer(many=True, read_only=True)
    languages = ExpertLanguageSerializer(many=True, read_only=True)
    formats = serializers.SlugRelatedField(slug_field="format", many=True, read_only=True)

    class Meta:
        model = ExpertProfile
        fields = [
            "id", "country_of_residence", "origin_region", "sectors", "work_mode", "hours_per_month",
            "available_from", "available_until", "skills", "languages", "formats",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.STR)
    def get_id(self, profile) -> str:
        return serializer_pseudonyms(self.context).public_id(profile.pk)

    def to_representation(self, row: dict) -> dict:
        # The declared fields document the schema; the view hands over rows of
        # diaspora.selectors.partner_expert_rows (completed), built here directly because
        # instances and the nested field machinery cost several times the queries on a page of
        # 50 (bench/api.py). tests/api/test_schemathesis.py checks the output against the schema.
        def day(value):
            return value.isoformat() if value else None

        pseudonyms = serializer_pseudonyms(self.context)
        return {
            "id": pseudonyms.public_id(row["id"]),
            "country_of_residence": row["country_of_residence"],
            "origin_region": row["origin_region__code"],
            "sectors": row["sectors"],
            "work_mode": row["work_mode"],
            "hours_per_month": row["hours_per_month"],
            "available_from": day(row["available_from"]),
            "available_until": day(row["available_until"]),
            "skills": [
                {"skill_id": s["skill_id"], "label": s["label"], "level": s["level"], "years_band": s["years_band"]}
                for s in row["skills"]
            ],
            "languages": row["languages"],
            "formats": row["formats"],
        }
