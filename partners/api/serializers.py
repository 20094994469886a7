from rest_framework import serializers

from partners.enums import WebhookEvent
from partners.models import WebhookAttempt, WebhookDelivery, WebhookSubscription


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=WebhookEvent.choices))

    class Meta:
        model = WebhookSubscription
        fields = ["id", "url", "events", "is_active", "failure_count", "disabled_at", "created_at"]


class WebhookSubscriptionCreatedSerializer(WebhookSubscriptionSerializer):
    """The answer to a creation: the only time the signing secret is shown."""

    secret = serializers.CharField(read_only=True, help_text="Verify `Jusur-Signature` with it. Shown only once.")

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
