"""Notifications keep references, not rendered text; queued e-mails keep the notification id only.

Decision 0008: a stored subject kept the names of other people (an official's "X accepted
your invitation") after their erasure, and the queued e-mail's context kept names, titles,
messages and secret links. The subjects are dropped (they are rendered at read time from
now on; older notifications have no references, so they render empty), and every queued
notification e-mail is reduced to its notification id, its template moved to the row.
"""

from django.db import migrations, models

TASK = "portal.send_notification_email"


def strip_queued_contexts(apps, schema_editor):
    OutboxMessage = apps.get_model("portal", "OutboxMessage")
    Notification = apps.get_model("portal", "Notification")
    for message in OutboxMessage.objects.filter(task_name=TASK).iterator():
        notification_id = message.kwargs.get("notification_id")
        template = message.kwargs.get("template", "")
        if notification_id and template and message.done_at is None:
            # Unsent: it will be rendered with empty references rather than with stored text.
            Notification.objects.filter(pk=notification_id, template="").update(template=template)
        OutboxMessage.objects.filter(pk=message.pk).update(kwargs={"notification_id": notification_id})


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_consent_partner_pseudonym_key"),
    ]

    operations = [
        migrations.RemoveField(model_name="notification", name="subject"),
        migrations.AddField(
            model_name="notification",
            name="params",
            field=models.JSONField(blank=True, default=dict, verbose_name="parameters"),
        ),
        migrations.AddField(
            model_name="notification",
            name="refs",
            field=models.JSONField(blank=True, default=dict, verbose_name="referenced rows"),
        ),
        migrations.AddField(
            model_name="notification",
            name="template",
            field=models.CharField(blank=True, max_length=200, verbose_name="template"),
        ),
        migrations.RunPython(strip_queued_contexts, migrations.RunPython.noop),
    ]
