"""What the investment pages share: paging, the query string, refusals shown as messages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect

PAGE_SIZE = 20


def paginate(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def query_string(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def refused(request, form, *, to):
    """A form posted from an object's page that does not validate: its errors as one message,
    back to that page. Nothing was changed."""
    messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect(to)


def add_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form (field errors where the form has the field)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
