"""The partner API's needs list served from the cache per token (portal/api/caching.py,
decision 0022): nothing shared between tokens, throttling and revocation as before, 304 by
ETag, and the next call after a change shows it."""

import pytest
from django.core.cache import cache

from partners.enums import Scope
from partners.services import api_token_revoke
from portal.pagecache import GLOBAL, public_pages_changed
from regions import services
from tests.regions.factories import NeedFactory, NeedSkillFactory, RoadmapAxisFactory, RoadmapFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/needs/?limit=50"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def list_cache(settings, committed):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    with committed():
        public_pages_changed(GLOBAL)


@pytest.fixture
def needs(region_a, region_b, official_a, official_b, taxonomy):
    made = []
    for region, owner in ((region_a, official_a), (region_b, official_b)):
        axis = RoadmapAxisFactory(roadmap=RoadmapFactory(region=region, created_by=owner))
        need = NeedFactory(axis=axis, owner=owner, title=f"Besoin de la région {region.code}")
        NeedSkillFactory(need=need)
        made.append(need)
    return made


def _client(make_token, **kwargs):
    from rest_framework.test import APIClient

    token, plaintext = make_token((Scope.READ_PUBLIC,), **kwargs)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    return token, client


def _titles(response) -> list[str]:
    return sorted(row["title"] for row in response.json()["results"])


def test_second_call_is_a_hit_with_one_query(make_token, needs, django_assert_num_queries):
    _token, client = _client(make_token)
    # token; its last_used_at (first use); COUNT; page; the needs' skills; the skills' labels;
    # languages (no province or commune on these needs)
    with django_assert_num_queries(7):
        first = client.get(URL)
    # token (authentication and its scopes are checked on every call)
    with django_assert_num_queries(1):
        second = client.get(URL)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.json() == first.json()
    assert "Authorization" in second["Vary"]


def test_if_none_match_answers_304(make_token, needs, django_assert_num_queries):
    _token, client = _client(make_token)
    etag = client.get(URL)["ETag"]
    with django_assert_num_queries(1):  # the token
        response = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


def test_tokens_never_share_a_copy(make_token, needs, region_a):
    _everywhere, national = _client(make_token)
    _restricted, regional = _client(make_token, region=region_a)
    national.get(URL)
    everything = national.get(URL)
    restricted = regional.get(URL)
    assert restricted["X-Page-Cache"] == "miss"
    assert _titles(everything) == ["Besoin de la région 02", "Besoin de la région 05"]
    assert _titles(restricted) == ["Besoin de la région 05"]
    assert restricted["ETag"] != everything["ETag"]


def test_revoked_token_is_refused_despite_the_copy(make_token, needs, partner_user):
    token, client = _client(make_token)
    client.get(URL)
    api_token_revoke(token=token, by=partner_user)
    assert client.get(URL).status_code == 401


def test_throttle_still_counts_hits(make_token, needs, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/day"}}
    _token, client = _client(make_token)
    codes = [client.get(URL).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]


def test_languages_never_cross(make_token, needs):
    _token, client = _client(make_token)
    labels = {}
    for language in ("fr", "en", "fr", "en"):
        response = client.get(URL, HTTP_ACCEPT_LANGUAGE=language)
        labels.setdefault(language, set()).add(response.json()["results"][0]["skills"][0]["skill"]["label"])
    assert all(len(found) == 1 for found in labels.values())
    assert labels["fr"] != labels["en"]


def test_closed_need_leaves_the_list(make_token, needs, official_a, committed):
    _token, client = _client(make_token)
    client.get(URL)
    assert client.get(URL)["X-Page-Cache"] == "hit"
    with committed():
        services.need_transition(need=needs[0], to="closed", by=official_a)
    response = client.get(URL)
    assert response["X-Page-Cache"] == "miss"
    assert _titles(response) == ["Besoin de la région 02"]  # closed needs are not public


def test_throttle_counter_expires_with_its_window(make_token, needs, settings):
    """The count is one pipelined round trip (portal/cache.py count_in_window); its key still
    expires with the window."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "100/minute"}}
    token, client = _client(make_token)
    client.get(URL)
    client.get(URL)
    redis = cache._cache.get_client(None)
    (key,) = list(redis.scan_iter(f"*api-throttle:t{token.pk}:60:*"))
    assert int(redis.get(key)) == 2
    assert 0 < redis.ttl(key) <= 61
