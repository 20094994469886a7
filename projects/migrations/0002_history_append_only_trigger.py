"""On PostgreSQL, the database itself refuses to rewrite a pipeline step or an internal note.

The application has no update path for them (AppendOnlyQuerySet, read-only admin); this
trigger also stops raw SQL or a plain manager. One change stays allowed: a person's id set to
NULL, which is how the erasure of that person (portal/privacy.py) keeps the step without them.
Deleting a whole project (the investor's erasure) still cascades. SQLite (the demo) has no
plpgsql: there the application guards alone apply.
"""

from django.db import migrations

GUARDS = [
    ("projects_projecttransition", "by_id", ["project_id", "from_status", "to_status", "note", "at"]),
    ("projects_projectnote", "author_id", ["project_id", "body", "created_at"]),
]


def _forward_sql(table, person, columns):
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in columns)
    return f"""
CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
BEGIN
  IF {changed} OR (NEW.{person} IS NOT NULL AND NEW.{person} IS DISTINCT FROM OLD.{person}) THEN
    RAISE EXCEPTION '{table} is append-only' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table}
  FOR EACH ROW EXECUTE FUNCTION {table}_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, person, columns in GUARDS:
        schema_editor.execute(_forward_sql(table, person, columns))


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _person, _columns in GUARDS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_append_only();")


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
