"""Read endpoints: filters, ordering, pagination, and a constant number of queries per page."""

import pytest

from regions.models import Commune, Province

# (url, filter that leaves exactly one row, queries for any page size)
LISTS = [
    ("/api/v1/regions/", "code=05", 2),  # COUNT + page
    ("/api/v1/provinces/", "code=05.081", 2),
    ("/api/v1/communes/", "code=05.081.01.01", 1),  # cursor: no COUNT
    ("/api/v1/sectors/", "code=A", 2),
    ("/api/v1/skills/", None, 1),
]


@pytest.mark.parametrize(("url", "one_row", "queries"), LISTS)
def test_list_queries_constant_at_1_and_50_rows(
    url, one_row, queries, api, territories, taxonomy, django_assert_num_queries
):
    if one_row is None:  # skills: the first one's URI
        first = api.get(f"{url}?limit=1").json()["results"][0]
        one_row = f"uri={first['uri']}"

    with django_assert_num_queries(queries):
        single = api.get(f"{url}?{one_row}")
    with django_assert_num_queries(queries):
        page = api.get(f"{url}?limit=50")

    assert len(single.json()["results"]) == 1
    # regions (12) and sectors (21) are smaller than a page: all of them
    assert len(page.json()["results"]) in (12, 21, 50)


def test_list_with_token_adds_one_query(token_client, territories, django_assert_num_queries):
    client = token_client()
    client.get("/api/v1/communes/")  # first use writes last_used_at

    with django_assert_num_queries(2):  # token, page
        response = client.get("/api/v1/communes/?limit=50")

    assert len(response.json()["results"]) == 50


def test_skill_search_queries_constant(api, taxonomy, django_assert_num_queries):
    with django_assert_num_queries(3):  # labels, skills, page
        response = api.get("/api/v1/skills/?q=gestion&limit=50")

    assert response.status_code == 200


def test_provinces_filter_by_region_code_and_id(api, region_a, region_b):
    by_code = api.get("/api/v1/provinces/?region=05&limit=200").json()["results"]
    by_id = api.get(f"/api/v1/provinces/?region_id={region_a.pk}&limit=200").json()["results"]
    both = api.get("/api/v1/provinces/?region=05&region=02&limit=200").json()["results"]

    assert by_code == by_id
    assert {row["region"]["code"] for row in by_code} == {"05"}
    assert len(by_code) == Province.objects.filter(region=region_a).count()
    assert len(both) == Province.objects.filter(region__in=[region_a, region_b]).count()


def test_communes_cursor_pages_cover_the_region_once(api, region_a):
    seen, url = [], "/api/v1/communes/?region=05&limit=50"
    while url:
        body = api.get(url).json()
        seen += [row["code"] for row in body["results"]]
        url = body["next"]

    assert len(seen) == len(set(seen)) == Commune.objects.filter(region=region_a).count()


def test_communes_filter_by_province_id(api, territories):
    province = Province.objects.get(code="05.081")

    rows = api.get(f"/api/v1/communes/?province_id={province.pk}&limit=200").json()["results"]

    assert {row["province"]["code"] for row in rows} == {"05.081"}


def test_regions_ordering_and_pilot_filter(api, territories):
    pilots = api.get("/api/v1/regions/?is_pilot=true&ordering=-code").json()["results"]

    assert [row["code"] for row in pilots] == ["09", "05", "02"]


def test_regions_name_in_the_requested_language(api, territories):
    arabic = api.get("/api/v1/regions/05/", HTTP_ACCEPT_LANGUAGE="ar").json()
    english = api.get("/api/v1/regions/05/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert arabic["name"] == arabic["name_ar"]
    assert english["name"] == english["name_en"]


def test_skill_search_finds_labels_in_any_language(api, taxonomy):
    from taxonomy.models import SkillLabel

    labels = {lang: SkillLabel.objects.filter(language=lang).first() for lang in ("ar", "fr", "en")}
    for lang, label in labels.items():
        if label is None:
            continue
        results = api.get("/api/v1/skills/", {"q": label.text}).json()["results"]
        assert label.skill_id in [row["id"] for row in results], lang


def test_skill_search_pages_follow_the_ranking(api, taxonomy):
    ranked = [row["id"] for row in api.get("/api/v1/skills/", {"q": "gestion", "limit": 200}).json()["results"]]
    paged, url = [], "/api/v1/skills/?q=gestion&limit=5"
    while url and len(paged) < 20:
        body = api.get(url).json()
        paged += [row["id"] for row in body["results"]]
        url = body["next"]

    assert paged == ranked[: len(paged)]


def test_limit_is_capped_at_200(api, territories):
    response = api.get("/api/v1/communes/?limit=100000")

    assert len(response.json()["results"]) == 200


def test_filters_apply_only_when_named_and_are_still_validated(api, territories):
    everything = api.get("/api/v1/provinces/?limit=200&ordering=code&unrelated=1").json()
    bad = api.get("/api/v1/provinces/?limit=200&region=99")
    good = api.get("/api/v1/provinces/?limit=200&region=05").json()

    assert everything["count"] == Province.objects.count()
    assert bad.status_code == 400 and set(bad.json()["error"]["fields"]) == {"region"}
    assert 0 < good["count"] == Province.objects.filter(region__code="05").count() < everything["count"]
