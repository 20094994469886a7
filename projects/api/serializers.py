from rest_framework import serializers

from projects.models import Opportunity, Project
from regions.api.serializers import ProvinceBriefSerializer, RegionBriefSerializer


class OpportunitySerializer(serializers.ModelSerializer):
    region = RegionBriefSerializer(read_only=True)
    province = ProvinceBriefSerializer(read_only=True, allow_null=True)
    commune = ProvinceBriefSerializer(read_only=True, allow_null=True)
    sector = serializers.SlugRelatedField(slug_field="code", read_only=True)
    programmes = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Opportunity
        fields = [
            "id", "title", "description", "language", "translations", "region", "province", "commune", "sector",
            "sector_division",
            "investment_min_mad", "investment_max_mad", "expected_jobs", "land_available", "premises_available",
            "incentives", "programmes", "contact_office", "contact_email", "status", "published_at", "closed_at",
        ]  # fmt: skip


class ProjectSerializer(serializers.ModelSerializer):
    """A diaspora investment project, without its investor or the officials' notes."""

    region = RegionBriefSerializer(read_only=True)
    province = ProvinceBriefSerializer(read_only=True, allow_null=True)
    sector = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Project
        fields = [
            "id", "title", "description", "language", "region", "province", "sector", "sector_division", "opportunity",
            "amount_mad", "share_from_abroad_pct", "expected_jobs", "stage", "status", "status_changed_at",
            "created_at",
        ]  # fmt: skip
