from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


def create_indexes(apps, schema_editor):
    # PostgreSQL only: SQLite (the demo's embedded default) searches `folded` with LIKE.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS skilllabel_folded_trgm ON taxonomy_skilllabel USING gin (folded gin_trgm_ops)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS skilllabel_search_vector ON taxonomy_skilllabel USING gin (search_vector)"
    )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS skilllabel_folded_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS skilllabel_search_vector")


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
