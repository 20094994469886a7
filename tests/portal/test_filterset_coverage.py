"""Every field a list shows can be filtered on (NetBox's rule), in the pages and in the API.

The walk finds the lists itself: every API route with a `list` action (its serializer's fields
are the columns) and every list page (the model fields its row template prints). A field counts
as filtered when a filter of the model's filter set acts on it (its `field_name`, or a path
under or above it); a field left out is named below with the reason. A new column without a filter, or a
filter removed, fails here."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.urls import URLResolver, get_resolver

from diaspora.filtersets import ExpertProfileFilterSet
from diaspora.selectors import CARD_COLUMNS
from projects.filtersets import OpportunityFilterSet, ProjectFilterSet
from regions.filtersets import PageNeedFilterSet

ROOT = Path(__file__).resolve().parents[2]

# Reasons, once each.
ID = "the detail route looks an object up by it"
TEXT = "free text or a name: read, or searched by the list's `q`"
TRANSLATED = "the same text in other languages"
LANGUAGE = "the language a text was written in: how to read it, not what it is about"
FIGURE = "a figure shown for reading; the list orders by it where useful"
NESTED = "nested rows shown with the object, filtered by their own list where they have one"
DATE = "a date read on the object; the list's date range filter is on its main date"
PERSONAL = "personal: shown to whoever may see the person, never a search key (no probing)"
CONTACT = "contact details, not a search key"
LOG = "delivery bookkeeping, read on the delivery"
QUASI = "a quasi-identifier of a pseudonymised expert: filtering on it would let a partner single one out"
COARSE_NEED = "the proposal's wording of its need: the partner reads its own proposals in full"

# (model label, field) -> why no filter. Keep each entry's reason true.
EXEMPT = {
    **{("taxonomy.Sector", f): TEXT for f in ("name", "name_ar", "name_fr", "name_en")},
    **{("taxonomy.Skill", f): TEXT for f in ("label", "labels", "description")},
    ("regions.Region", "iso_code"): "another spelling of `code`, which is filtered",
    **{("regions.Region", f): TEXT for f in ("name", "name_ar", "name_fr", "name_en")},
    **{("regions.Region", f): FIGURE for f in ("population_2024", "households_2024")},
    **{("regions.Province", f): TEXT for f in ("name", "name_ar", "name_fr")},
    ("regions.Province", "population_2024"): FIGURE,
    **{("regions.Commune", f): TEXT for f in ("name", "name_ar", "name_fr")},
    ("regions.Commune", "population_2024"): FIGURE,
    **{("regions.Roadmap", f): TEXT for f in ("title", "summary")},
    ("regions.Roadmap", "text_language"): LANGUAGE,
    **{("regions.Roadmap", f): DATE for f in ("period_start", "period_end", "adopted_on", "closed_on")},
    ("regions.Roadmap", "axes"): NESTED,
    **{("regions.Need", f): TEXT for f in ("title", "description")},
    ("regions.Need", "text_language"): LANGUAGE,
    ("regions.Need", "translations"): TRANSLATED,
    **{("regions.Need", f): DATE for f in ("start_date", "end_date", "response_deadline")},
    **{("regions.Need", f): FIGURE for f in ("duration_days", "experts_wanted")},
    ("regions.Need", "languages"): NESTED,
    **{("regions.Stakeholder", f): TEXT for f in ("description", "website", "country")},
    **{("regions.ConsultationMeeting", f): TEXT for f in ("title", "place", "agenda")},
    ("regions.ConsultationMeeting", "text_language"): LANGUAGE,
    ("regions.ConsultationMeeting", "translations"): TRANSLATED,
    ("regions.ConsultationMeeting", "ends_at"): DATE,
    **{("regions.ConsultationMeeting", f): NESTED for f in ("stakeholders", "decisions")},
    **{("regions.Partnership", f): TEXT for f in ("title", "objective", "results")},
    **{("regions.Partnership", f): NESTED for f in ("axes", "needs")},
    ("regions.Partnership", "budget_mad"): FIGURE,
    ("regions.Partnership", "end_date"): DATE,
    **{("regions.Study", f): TEXT for f in ("title", "authors", "institutions", "abstract", "url", "countries")},
    ("regions.Study", "language"): LANGUAGE,
    ("regions.Study", "translations"): TRANSLATED,
    **{("diaspora.ExpertProfile", f): QUASI for f in ("hours_per_month", "available_from", "available_until")},
    **{("diaspora.ExpertProfile", f): PERSONAL for f in ("bio", "confirmed_at")},
    ("projects.Opportunity", "description"): TEXT,
    ("projects.Opportunity", "language"): LANGUAGE,
    ("projects.Opportunity", "translations"): TRANSLATED,
    ("projects.Opportunity", "sector_division"): "a finer sector code, read with the filtered sector",
    # The amount_min/amount_max filters act on both ends at once: a budget overlaps the range.
    ("projects.Opportunity", "investment_min_mad"): "filtered by amount_max (overlap of ranges)",
    ("projects.Opportunity", "investment_max_mad"): "filtered by amount_min (overlap of ranges)",
    **{("projects.Opportunity", f): FIGURE for f in ("expected_jobs",)},
    **{("projects.Opportunity", f): TEXT for f in ("incentives",)},
    ("projects.Opportunity", "programmes"): NESTED,
    **{("projects.Opportunity", f): CONTACT for f in ("contact_office", "contact_email")},
    **{("projects.Opportunity", f): DATE for f in ("published_at", "closed_at")},
    ("projects.Project", "description"): TEXT,
    ("projects.Project", "language"): LANGUAGE,
    ("projects.Project", "sector_division"): "a finer sector code, read with the filtered sector",
    **{("projects.Project", f): FIGURE for f in ("amount_mad", "share_from_abroad_pct", "expected_jobs")},
    **{("projects.Project", f): DATE for f in ("status_changed_at", "created_at")},
    ("projects.Project", "investor"): PERSONAL,
    ("matching.Match", "expert"): PERSONAL,
    ("matching.Match", "rank"): "the rank within a need follows the score, which is filtered (min_score)",
    **{("matching.Match", f): DATE for f in ("created_at", "updated_at")},
    ("matching.Engagement", "expert"): PERSONAL,
    **{("matching.Engagement", f): DATE for f in ("started_at", "ended_at")},
    ("partners.WebhookSubscription", "url"): "the partner's own endpoint, a handful per partner",
    ("partners.WebhookSubscription", "events"): "a handful of subscriptions per partner, read whole",
    **{("partners.WebhookSubscription", f): LOG for f in ("failure_count", "disabled_at", "created_at")},
    **{
        ("partners.WebhookDelivery", f): LOG
        for f in (
            "event_id",
            "attempts",
            "response_code",
            "last_attempt_at",
            "next_attempt_at",
            "delivered_at",
            "attempt_log",
        )
    },
    **{
        ("partners.NeedProposal", f): COARSE_NEED
        for f in (
            "axis_kind",
            "title",
            "description",
            "text_language",
            "sector",
            "format",
            "work_mode",
            "start_date",
            "duration_days",
            "experts_wanted",
            "skills",
            "languages",
        )
    },
    ("partners.NeedProposal", "need"): "the need the proposal became, read on the proposal",
    ("partners.NeedProposal", "decided_at"): DATE,
}
# Lists with no filter set at all, and why.
UNFILTERED_ROUTES = {
    "OpenDataSnapshotViewSet": "one route per open-data table; a table is read whole (or as CSV)",
}
EVERY_FIELD = {"id": ID, "pk": ID}


def _api_lists():
    """(route, viewset) of every API route with a list action, found in the URLconf."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern), pattern.callback

    found = {}
    for route, callback in walk(get_resolver().url_patterns):
        viewset = getattr(callback, "cls", None)
        if viewset is not None and (getattr(callback, "actions", None) or {}).get("get") == "list":
            found[viewset.__name__] = (route, viewset)
    return found


API_LISTS = _api_lists()

# The list pages: (filter set their selector builds, model, the row template, its loop variable).
# The expert list shows cards built from diaspora.selectors.CARD_COLUMNS, not model instances.
PAGE_LISTS = {
    "regions:need_list": (PageNeedFilterSet, "regions/templates/regions/_need_card.html", "need"),
    "projects:opportunity_list": (
        OpportunityFilterSet, "projects/templates/projects/opportunity_list.html", "opportunity",
    ),
    "projects:project_list": (ProjectFilterSet, "projects/templates/projects/project_list.html", "project"),
    "diaspora:expert_list": (ExpertProfileFilterSet, None, None),
}  # fmt: skip


def _model_field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _filtered_paths(filterset_class) -> set[str]:
    paths = set()
    for filter_ in filterset_class.base_filters.values():
        name = filter_.field_name
        paths.add(name)
        # `subscription_id` acts on the `subscription` relation.
        if name.endswith("_id"):
            paths.add(name.removesuffix("_id"))
    return paths


def _unfiltered(model, filterset_class, columns) -> list[str]:
    paths = _filtered_paths(filterset_class)
    label = model._meta.label
    missing = []
    for column, source in columns:
        if column in EVERY_FIELD or (label, column) in EXEMPT:
            continue
        path = source.replace(".", "__").removesuffix("_id")
        # A filter on the column, on a path under it (skills__skill), or above it (a country
        # shown as country.code).
        if not any(p == path or p.startswith(path + "__") or path.startswith(p + "__") for p in paths):
            missing.append(column)
    return missing


def _serializer_columns(serializer_class) -> list[tuple[str, str]]:
    fields = serializer_class().fields
    return [(name, field.source if field.source != "*" else name) for name, field in fields.items()]


def test_the_walk_finds_the_lists():
    assert len(API_LISTS) >= 20
    assert set(UNFILTERED_ROUTES) <= set(API_LISTS)


@pytest.mark.parametrize("name", sorted(API_LISTS))
def test_every_api_list_column_has_a_filter(name):
    route, viewset = API_LISTS[name]
    if name in UNFILTERED_ROUTES:
        assert getattr(viewset, "filterset_class", None) is None
        return
    filterset_class = viewset.filterset_class
    model = viewset.serializer_class.Meta.model
    assert filterset_class._meta.model is model, route

    assert _unfiltered(model, filterset_class, _serializer_columns(viewset.serializer_class)) == []


def _template_columns(model, template: str, variable: str) -> list[tuple[str, str]]:
    text = (ROOT / template).read_text(encoding="utf-8")
    names = set(re.findall(rf"\b{variable}\.(\w+)", text))
    names |= set(re.findall(rf'usertext {variable} "(\w+)"', text))
    names = {m.group(1) if (m := re.fullmatch(r"get_(\w+)_display", n)) else n for n in names}
    return sorted((n, n) for n in names if _model_field(model, n) is not None)


@pytest.mark.parametrize("name", sorted(PAGE_LISTS))
def test_every_page_list_column_has_a_filter(name):
    filterset_class, template, variable = PAGE_LISTS[name]
    model = filterset_class._meta.model
    columns = [(c, c) for c in CARD_COLUMNS] if template is None else _template_columns(model, template, variable)
    assert len(columns) >= 5, columns  # the walk read the template

    assert _unfiltered(model, filterset_class, columns) == []


def test_every_exemption_names_a_real_field():
    """An exemption outliving its field would hide the next column of that name."""
    from django.apps import apps

    stale = [(label, field) for label, field in EXEMPT if _model_field(apps.get_model(label), field) is None]
    # Serializer-only names (translations, name in the reader's language) are columns too.
    serializer_names = {
        (viewset.serializer_class.Meta.model._meta.label, column)
        for name, (_, viewset) in API_LISTS.items()
        if name not in UNFILTERED_ROUTES
        for column in viewset.serializer_class().fields
    }
    assert [entry for entry in stale if entry not in serializer_names] == []
