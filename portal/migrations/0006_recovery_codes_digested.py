from django.db import migrations


def digest_recovery_codes(apps, schema_editor):
    """Recovery codes were stored as typed; from now on only their keyed digest is
    (portal.twofactor.recovery_code_digest). Codes already handed out keep working."""
    from portal.twofactor import recovery_code_digest

    StaticToken = apps.get_model("otp_static", "StaticToken")
    for token in StaticToken.objects.all().iterator():
        token.token = recovery_code_digest(token.token)
        token.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0005_outbox_message_lease"),
        ("otp_static", "0003_add_timestamps"),
    ]

    # Not reversible into the codes themselves (that is the point); going back leaves digests
    # that match no typed code, so members would regenerate their codes.
    operations = [migrations.RunPython(digest_recovery_codes, migrations.RunPython.noop)]
