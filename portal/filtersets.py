"""The one base of every filter set, the pages' and the API's.

django-filter builds a filter's form field once and keeps it on the filter; each filter set
instance deep-copies its class's filters, cached field included. drf-spectacular reads the
class's filters' fields to write the API schema, before any model is attached to them: a filter
named from its model field then kept a field with no label, and every later form of that filter
set showed the bare field name ("Status") in every language, in whatever order requests came.
Each instance here builds its fields afresh, in the reader's language."""

import django_filters


class FilterSet(django_filters.FilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            filter_.__dict__.pop("_field", None)
