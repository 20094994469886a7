"""Profile form details found when tried (issue 18): the origin province list is narrowed to the
chosen region by the script the place forms share; the needs list folds its filters."""

import re

import pytest

from regions.models import Province

pytestmark = pytest.mark.django_db


def test_origin_provinces_carry_their_region_for_the_shared_narrowing_script(member, territories, client_for):
    page = client_for(member).get("/fr/diaspora/me/edit/about/").content.decode()

    select = re.search(r'<select name="origin_province"[^>]*>', page).group(0)
    options = re.findall(r'<option value="(\d+)" data-region="(\d+)"', page)
    assert 'data-narrowed-by="id_origin_region"' in select
    assert 'data-narrowed-attr="data-region"' in select
    assert len(options) == Province.objects.count()
    assert all(Province.objects.get(pk=pk).region_id == int(region) for pk, region in options[:5])
    assert "js/place-picker.js" in page


def test_needs_list_folds_its_filters_and_counts_the_active_ones(territories, client):
    plain = client.get("/fr/regions/needs/").content.decode()
    filtered = client.get("/fr/regions/needs/?engagement_format=remote_advice").content.decode()

    assert '<details class="filters-panel">' in plain
    assert "<summary>Filtres</summary>" in plain
    assert "<summary>Filtres (1)</summary>" in filtered
