"""The API's filter backend, and filter fields shared by its filtersets."""

from datetime import UTC, datetime

import django_filters as filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend

EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)


class BoundedIsoDateTimeField(IsoDateTimeField):
    """ISO 8601 date-times between 1900 and 9000: a year-1 date with a +23:00 offset would
    overflow when converted to UTC (a 500) and means nothing here anyway."""

    def strptime(self, value, format):
        try:
            parsed = super().strptime(value, format)
            if parsed.tzinfo is not None:
                parsed.astimezone(UTC)
        except OverflowError:
            raise ValueError(value) from None
        return parsed

    def clean(self, value):
        value = super().clean(value)
        if value is not None:
            try:
                aware = value if value.tzinfo else value.replace(tzinfo=UTC)
                in_range = EARLIEST <= aware <= LATEST
            except OverflowError:
                in_range = False
            if not in_range:
                raise forms.ValidationError(_("Enter a date between 1900 and 9000."), code="out_of_range")
            # PostgreSQL refuses UTC offsets beyond ±15:59, which ISO 8601 allows: send UTC.
            value = aware.astimezone(UTC)
        return value


class BoundedIsoDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = BoundedIsoDateTimeField


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, skipped when the request names none of the view's filters.

    Building a filter set copies every filter and builds its form: 5 ms of a 30 ms page of
    needs (bench/api.py), spent to apply nothing. With any filter named, the whole set is
    built and validated as usual (no filter of ours acts when absent)."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and request.query_params.keys().isdisjoint(filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)


class CodeMultipleChoiceFilter(filters.ModelMultipleChoiceFilter):
    """Several rows named by a natural key (`to_field_name`, e.g. a region's HCP code).

    django-filter compares the foreign key with the natural key's *value* (`region_id = '05'`),
    which only matches while ids happen to equal codes. Our foreign keys point to primary
    keys, so filter on the row itself.
    """

    def get_filter_predicate(self, v):
        return {self.field_name: v}


class IntegerFilter(filters.NumberFilter):
    """A filter on an integer column: a whole number within 64 bits. A plain NumberFilter takes
    any decimal (`-1.7e+157`), which SQLite cannot bind (OverflowError: a 500 on the demo)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", -(2**63))
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)
