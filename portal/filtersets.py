"""The one base of every filter set, the pages' and the API's.

One filter set per model serves both doors (NetBox's rule): the API names every filter, and a
list page shows a short choice of them as form fields (`page_filters`), while every other filter
of the set still applies when its parameter is in the page's query string.

django-filter builds a filter's form field once and keeps it on the filter; each filter set
instance deep-copies its class's filters, cached field included. drf-spectacular reads the
class's filters' fields to write the API schema, before any model is attached to them: a filter
named from its model field then kept a field with no label, and every later form of that filter
set showed the bare field name ("Status") in every language, in whatever order requests came.
Each instance here builds its fields afresh, in the reader's language."""

import django_filters
from django import forms


class OneOfSelect(forms.Select):
    """A drop-down for a repeatable filter (`?region=05&region=02` in the API): a page picks one
    value or none (the empty option, `empty_label`), and every value sent is read."""

    def __init__(self, attrs=None, choices=(), empty_label=""):
        super().__init__(attrs, choices)
        self.empty_label = empty_label

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if values is None:
            return []
        if not isinstance(values, list | tuple):
            values = [values]
        # The empty option means "any": it is no value, not an invalid one.
        return [value for value in values if value not in ("", None)]

    def value_omitted_from_data(self, data, files, name):
        return False

    def use_required_attribute(self, initial):
        # A filter is never required; and asking Select would read the first choice, one more
        # query for a model's choices.
        return False

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, value, attrs)
        empty = self.create_option(name, "", self.empty_label, not any(value), 0, attrs=attrs)
        return [(None, [empty], 0), *groups]


class FilterSet(django_filters.FilterSet):
    # The filters a list page shows, in this order; empty: all of them (a page's subclass or the
    # model's own set names them; the others still filter from the query string).
    page_filters: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            filter_.__dict__.pop("_field", None)

    @property
    def page_fields(self) -> list:
        """The bound fields a list page renders (templates loop over these, not the form)."""
        names = [name for name in self.page_filters if name in self.filters] or list(self.filters)
        return [self.form[name] for name in names]
