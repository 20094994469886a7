from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from matching.models import Engagement, Match
from portal.api.pseudonyms import serializer_pseudonyms

from ..enums import OutcomeStatus
from ..models import EngagementOutcome


class MatchSerializer(serializers.ModelSerializer):
    """A candidate for a need, pseudonymised: the expert is an opaque id (see /experts/), in the
    caller's organisation's own id space."""

    expert = serializers.SerializerMethodField()

    class Meta:
        model = Match
        fields = ["id", "need", "expert", "score", "rank", "status", "created_at", "updated_at"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_expert(self, match) -> str:
        return serializer_pseudonyms(self.context).public_id(match.profile_id)


class EngagementSerializer(serializers.ModelSerializer):
    need = serializers.IntegerField(source="match.need_id", read_only=True)
    expert = serializers.SerializerMethodField()

    class Meta:
        model = Engagement
        fields = ["id", "need", "expert", "status", "started_at", "ended_at"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_expert(self, engagement) -> str:
        return serializer_pseudonyms(self.context).public_id(engagement.match.profile_id)


class EngagementOutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = EngagementOutcome
        fields = ["id", "engagement", "status", "note", "beneficiaries", "reported_at"]


class EngagementOutcomeWriteSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=OutcomeStatus.choices)
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    beneficiaries = serializers.IntegerField(min_value=0, max_value=10_000_000, required=False, allow_null=True)
