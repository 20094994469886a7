import secrets

from django.db import migrations, models

import portal.models


def give_each_organisation_its_key(apps, schema_editor):
    # AddField computes a callable default once for all existing rows: one shared key would
    # link every organisation's pseudonyms, so each row gets its own here.
    PartnerOrganisation = apps.get_model("portal", "PartnerOrganisation")
    for partner in PartnerOrganisation.objects.only("pk"):
        PartnerOrganisation.objects.filter(pk=partner.pk).update(pseudonym_key=secrets.token_hex(32))


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_notification"),
    ]

    operations = [
        migrations.AddField(
            model_name="partnerorganisation",
            name="pseudonym_key",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="pseudonym key"),
            preserve_default=False,
        ),
        migrations.RunPython(give_each_organisation_its_key, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="partnerorganisation",
            name="pseudonym_key",
            field=models.CharField(
                default=portal.models.new_pseudonym_key, editable=False, max_length=64, verbose_name="pseudonym key"
            ),
        ),
        migrations.AddField(
            model_name="partnerorganisation",
            name="pseudonym_key_rotated_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="pseudonym key rotated at"),
        ),
    ]
