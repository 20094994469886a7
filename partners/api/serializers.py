from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from partners.enums import WebhookEvent
from partners.models import NeedProposal, WebhookAttempt, WebhookDelivery, WebhookSubscription
from portal.enums import Language, LanguageLevel
from regions.models import Region
from taxonomy.models import Sector


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=WebhookEvent.choices))

    class Meta:
        model = WebhookSubscription
        fields = ["id", "url", "events", "is_active", "failure_count", "disabled_at", "created_at"]


class WebhookSubscriptionCreatedSerializer(WebhookSubscriptionSerializer):
    """The answer to a creation: the only time the signing secret is shown."""

    secret = serializers.CharField(
        read_only=True, help_text="Verify `webhook-signature` with it (Standard Webhooks). Shown only once."
    )

    class Meta(WebhookSubscriptionSerializer.Meta):
        fields = [*WebhookSubscriptionSerializer.Meta.fields, "secret"]


class WebhookSubscriptionWriteSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=500)
    events = serializers.MultipleChoiceField(choices=WebhookEvent.choices, allow_empty=False)


class WebhookAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ["number", "started_at", "duration_ms", "response_code", "error"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    attempt_log = WebhookAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id", "subscription", "event", "event_id", "status", "attempts", "response_code", "created_at",
            "last_attempt_at", "next_attempt_at", "delivered_at", "attempt_log",
        ]  # fmt: skip


class ProposedSkillSerializer(serializers.Serializer):
    skill_id = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    weight = serializers.IntegerField(min_value=1, max_value=5, default=3)
    essential = serializers.BooleanField(default=False)


class ProposedLanguageSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=Language.choices)
    min_level = serializers.ChoiceField(choices=LanguageLevel.choices, default=LanguageLevel.B2)


class NeedProposalSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    sector = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    skills = ProposedSkillSerializer(many=True, read_only=True)
    languages = ProposedLanguageSerializer(many=True, read_only=True)
    need = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The draft need, once accepted."
    )

    class Meta:
        model = NeedProposal
        fields = [
            "id", "region", "axis_kind", "title", "description", "text_language", "sector", "format", "work_mode",
            "start_date", "duration_days", "experts_wanted", "skills", "languages", "status", "need", "decided_at",
            "created_at",
        ]  # fmt: skip


class NeedProposalWriteSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all(), help_text="HCP code")
    sector = serializers.SlugRelatedField(
        slug_field="code", queryset=Sector.objects.all(), required=False, allow_null=True, help_text="ISIC letter"
    )
    duration_days = serializers.IntegerField(min_value=1, max_value=3650, required=False, allow_null=True)
    experts_wanted = serializers.IntegerField(min_value=1, max_value=100, default=1)
    start_date = serializers.DateField(required=False, allow_null=True)
    skills = ProposedSkillSerializer(many=True, allow_empty=False, max_length=30)
    languages = ProposedLanguageSerializer(many=True, required=False, max_length=10)

    class Meta:
        model = NeedProposal
        fields = [
            "region", "axis_kind", "title", "description", "text_language", "sector", "format", "work_mode",
            "start_date", "duration_days", "experts_wanted", "skills", "languages",
        ]  # fmt: skip

    def validate_start_date(self, value):
        if value is not None and not (1900 <= value.year <= 2200):
            raise serializers.ValidationError(_("Enter a date between 1900 and 2200."))
        return value
