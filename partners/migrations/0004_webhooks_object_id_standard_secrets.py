"""Webhook deliveries name their object instead of storing a body (it is read through the API
for the subscriber's token at each attempt), and signing secrets take the Standard Webhooks
form `whsec_<base64 of the key>`.

The secrets keep their key: the old signature was keyed with the whole secret string's
bytes, so the new secret is `whsec_` + base64 of that string. A partner converts the secret
it holds the same way (docs/api/webhooks.md), or deletes and recreates the subscription."""

import base64

from django.db import migrations, models

# The object of each event, as the old payloads named it.
OBJECT_KEYS = {
    "need.published": "need_id",
    "need.closed": "need_id",
    "match.accepted": "match_id",
    "engagement.completed": "engagement_id",
    "project.status_changed": "project_id",
}


def forwards(apps, schema_editor):
    WebhookDelivery = apps.get_model("partners", "WebhookDelivery")
    WebhookSubscription = apps.get_model("partners", "WebhookSubscription")
    for delivery in WebhookDelivery.objects.filter(status="pending").only("pk", "event", "payload"):
        value = (delivery.payload or {}).get(OBJECT_KEYS.get(delivery.event, ""))
        if isinstance(value, int):
            WebhookDelivery.objects.filter(pk=delivery.pk).update(object_id=value)
    for subscription in WebhookSubscription.objects.only("pk", "secret"):
        secret = "whsec_" + base64.b64encode(subscription.secret.encode()).decode()
        WebhookSubscription.objects.filter(pk=subscription.pk).update(secret=secret)


def backwards(apps, schema_editor):
    WebhookSubscription = apps.get_model("partners", "WebhookSubscription")
    for subscription in WebhookSubscription.objects.only("pk", "secret"):
        key = base64.b64decode(subscription.secret.removeprefix("whsec_") + "==")
        WebhookSubscription.objects.filter(pk=subscription.pk).update(secret=key.decode("utf-8", "replace"))


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0003_engagementoutcome"),
    ]

    operations = [
        migrations.AddField(
            model_name="webhookdelivery",
            name="object_id",
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name="object id"),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(
            model_name="webhookdelivery",
            name="payload",
        ),
        migrations.RemoveField(
            model_name="webhookdelivery",
            name="region",
        ),
        migrations.AlterField(
            model_name="webhookdelivery",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Pending"),
                    ("succeeded", "Delivered"),
                    ("failed", "Failed"),
                    ("cancelled", "Cancelled"),
                    ("withheld", "Withheld (no longer visible to the token)"),
                ],
                default="pending",
                max_length=16,
                verbose_name="status",
            ),
        ),
    ]
