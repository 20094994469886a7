"""The shared filter sets' page side: a repeatable API filter is one drop-down on a page, and a
page shows its own short list of filters while the query string may use any of them."""

from django.http import QueryDict
from django.utils import translation

from diaspora.filtersets import ExpertProfileFilterSet, PartnerExpertFilterSet
from projects.filtersets import PartnerProjectFilterSet, ProjectFilterSet
from regions.filtersets import NeedFilterSet, PageNeedFilterSet
from regions.models import Need


def test_a_repeatable_filter_is_one_drop_down_with_an_empty_choice():
    with translation.override("en"):
        html = str(NeedFilterSet(QueryDict("status=open")).form["status"])

    assert "multiple" not in html
    assert "required" not in html
    assert '<option value="">Any status</option>' in html
    assert '<option value="open" selected>Open</option>' in html


def test_a_repeatable_filter_reads_every_value_and_takes_the_empty_choice_for_any():
    filterset = NeedFilterSet(QueryDict("status=open&status=closed&engagement_format="), queryset=Need.objects.none())

    assert filterset.is_valid(), filterset.errors
    assert filterset.form.cleaned_data["status"] == ["open", "closed"]
    assert filterset.form.cleaned_data["engagement_format"] == []


def test_a_page_shows_its_filters_in_its_order():
    names = [field.name for field in PageNeedFilterSet().page_fields]

    assert names == ["region", "sector", "skill", "engagement_format", "remote", "province", "axis", "status"]
    assert {"region_id", "commune", "published_after", "q"} <= set(PageNeedFilterSet.base_filters)


def test_the_partner_api_cannot_search_experts_by_name():
    # A name search would let a partner probe whether a named person is registered.
    assert "q" in ExpertProfileFilterSet.base_filters
    assert "q" not in PartnerExpertFilterSet.base_filters
    assert set(PartnerExpertFilterSet.base_filters) == set(ExpertProfileFilterSet.base_filters) - {"q"}


def test_the_api_projects_have_no_work_queue_filters():
    assert {"mine", "overdue"} <= set(ProjectFilterSet.base_filters)
    assert set(PartnerProjectFilterSet.base_filters) == set(ProjectFilterSet.base_filters) - {"mine", "overdue"}
