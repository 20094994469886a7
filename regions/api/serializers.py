from rest_framework import serializers

from portal.i18n import pick
from regions.models import (
    Commune,
    ConsultationMeeting,
    Decision,
    Need,
    NeedLanguage,
    NeedSkill,
    Partnership,
    Province,
    Region,
    Roadmap,
    RoadmapAxis,
    Stakeholder,
    Study,
)
from regions.selectors import MEETING_PUBLIC_FIELDS


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


# --- Roadmaps, needs, consultation, civil society, research -------------------------------


class AxisSerializer(serializers.ModelSerializer):
    class Meta:
        model = RoadmapAxis
        fields = ["id", "kind", "title", "description", "text_language", "translations", "position"]


class AxisBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = RoadmapAxis
        fields = ["id", "kind", "title"]


class RoadmapSerializer(serializers.ModelSerializer):
    region = RegionBriefSerializer(read_only=True)
    axes = AxisSerializer(many=True, read_only=True)

    class Meta:
        model = Roadmap
        fields = [
            "id", "region", "version", "title", "summary", "text_language", "period_start", "period_end", "status",
            "adopted_on", "closed_on", "axes",
        ]  # fmt: skip


class SkillBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    uri = serializers.CharField()
    label = serializers.CharField()


class NeedSkillSerializer(serializers.ModelSerializer):
    skill = SkillBriefSerializer(read_only=True)

    class Meta:
        model = NeedSkill
        fields = ["skill", "weight", "essential", "min_level"]


class NeedLanguageSerializer(serializers.ModelSerializer):
    class Meta:
        model = NeedLanguage
        fields = ["language", "min_level"]


class SectorRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class NeedSerializer(serializers.ModelSerializer):
    """A need as the public sees it: no owner, no candidates."""

    region = RegionBriefSerializer(read_only=True)
    roadmap = serializers.PrimaryKeyRelatedField(read_only=True)
    axis = AxisBriefSerializer(read_only=True)
    sector = SectorRefSerializer(read_only=True, allow_null=True)
    province = ProvinceBriefSerializer(read_only=True, allow_null=True)
    commune = ProvinceBriefSerializer(read_only=True, allow_null=True)
    skills = NeedSkillSerializer(many=True, read_only=True)
    languages = NeedLanguageSerializer(many=True, read_only=True)

    class Meta:
        model = Need
        fields = [
            "id", "title", "description", "text_language", "translations", "region", "roadmap", "axis", "sector",
            "format", "work_mode", "province", "commune", "start_date", "duration_days", "end_date", "experts_wanted",
            "status", "response_deadline", "published_at", "skills", "languages",
        ]  # fmt: skip

    def to_representation(self, row: dict) -> dict:
        # The declared fields document the schema; the view hands over rows of
        # regions.selectors.need_rows (completed), built here directly because instances and
        # the nested field machinery cost several times the queries on a page of 50
        # (bench/api.py). tests/api/test_schemathesis.py checks this output against the schema.
        def brief(place):
            if place is None:
                return None
            names = {language: place.get(f"name_{language}", "") for language in ("ar", "fr", "en")}
            return {"id": place["id"], "code": place["code"], "name": pick(names)}

        def joined(prefix):  # region and sector come joined to the need's row
            if row[f"{prefix}_id"] is None:
                return None
            return brief(
                {key: row[f"{prefix}__{key}"] for key in ("code", "name_ar", "name_fr", "name_en")}
                | {"id": row[f"{prefix}_id"]}
            )

        def day(value):
            return value.isoformat() if value else None

        return {
            "id": row["id"],
            "title": row["title"],
            "description": row["description"],
            "text_language": row["text_language"],
            "translations": row["translations"],
            "region": joined("region"),
            "roadmap": row["roadmap_id"],
            "axis": {"id": row["axis_id"], "kind": row["axis__kind"], "title": row["axis__title"]},
            "sector": joined("sector"),
            "format": row["format"],
            "work_mode": row["work_mode"],
            "province": brief(row["province"]),
            "commune": brief(row["commune"]),
            "start_date": day(row["start_date"]),
            "duration_days": row["duration_days"],
            "end_date": day(row["end_date"]),
            "experts_wanted": row["experts_wanted"],
            "status": row["status"],
            "response_deadline": day(row["response_deadline"]),
            "published_at": _DATETIME.to_representation(row["published_at"]) if row["published_at"] else None,
            "skills": [
                {
                    "skill": {"id": s["skill_id"], "uri": s["uri"], "label": s["label"]},
                    "weight": s["weight"],
                    "essential": s["essential"],
                    "min_level": s["min_level"],
                }
                for s in row["skills"]
            ],
            "languages": row["languages"],
        }


_DATETIME = serializers.DateTimeField()


class StakeholderSerializer(serializers.ModelSerializer):
    region = RegionBriefSerializer(read_only=True)

    class Meta:
        model = Stakeholder
        fields = ["id", "region", "name", "kind", "description", "website", "country"]


class StakeholderBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stakeholder
        fields = ["id", "name", "kind"]


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "title", "description", "axis", "need", "due_date", "follow_up_status"]


class MeetingSerializer(serializers.ModelSerializer):
    """The public part of a consultation meeting: no participants, minutes or meeting link."""

    region = RegionBriefSerializer(read_only=True)
    stakeholders = StakeholderBriefSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta:
        model = ConsultationMeeting
        fields = list(MEETING_PUBLIC_FIELDS)


class PartnershipSerializer(serializers.ModelSerializer):
    region = RegionBriefSerializer(read_only=True)
    partners = StakeholderBriefSerializer(many=True, read_only=True)
    axes = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    needs = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Partnership
        fields = [
            "id", "region", "title", "objective", "partners", "axes", "needs", "budget_mad", "start_date",
            "end_date", "status", "results",
        ]  # fmt: skip


class StudySerializer(serializers.ModelSerializer):
    regions = RegionBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Study
        fields = [
            "id",
            "title",
            "authors",
            "institutions",
            "countries",
            "year",
            "abstract",
            "language",
            "translations",
            "url",
            "regions",
        ]
