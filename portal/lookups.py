"""`<integer field>__in` that ignores values outside the database's integer range.

Django already answers `pk=<too large>` with "no match" (lookups.IntegerFieldOverflow) but not
`pk__in=[<too large>]`: SQLite then raises OverflowError (a 500) where PostgreSQL compares as
numeric. Form and filter fields that take several ids (ModelMultipleChoiceField, so every
`<fk>_id` filter of the API) run that lookup on input, so an id like 28624267319921471488 must
simply match nothing, and the field answers "not a valid choice" (a 400). Registered once, for
every integer field, in portal's AppConfig.ready.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int) or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def integer_lookups_register() -> None:
    IntegerField.register_lookup(IntegerIn)
