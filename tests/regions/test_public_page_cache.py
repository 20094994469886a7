"""The cached anonymous public pages (portal/pagecache.py, regions/pagecache.py, decision 0022),
on the real Redis cache: served without a query, per language, never to a signed-in visitor,
without anyone's cookie or CSRF token, answered 304 by ETag, and rendered anew after every
kind of write that changes them."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from portal.events import NeedChanged, emit
from portal.pagecache import GLOBAL, PLACEHOLDER, public_pages_changed
from regions import services
from regions.models import ConsultationMeeting, Decision, Indicator, Need, Partnership, Region, Study
from taxonomy.models import Skill

from .factories import NeedFactory, NeedSkillFactory, StakeholderFactory

pytestmark = pytest.mark.django_db

ROADMAP = "/fr/regions/05/roadmap/"
TOKEN_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a block's writes scheduled for after the commit (the test's transaction never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def page_cache(settings, committed):
    """The cache on (tests/settings.py turns it off), and a generation no earlier test used."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    redis = cache._cache.get_client(None)
    for key in redis.scan_iter("*pagecache:page:*"):  # pages stored by earlier tests, whatever their data
        redis.delete(key)
    with committed():
        public_pages_changed(GLOBAL)


def _state(response) -> str:
    return response.get("X-Page-Cache", "bypass")


def _stored_pages() -> list:
    client = cache._cache.get_client(None)
    keys = [key.decode().split(":", 2)[2] for key in client.scan_iter("*pagecache:page:*")]
    return [cache.get(key) for key in keys]


def test_second_anonymous_get_is_a_hit_without_queries(client, need_a, django_assert_num_queries):
    # The uncached page (tests/regions/test_query_counts.py names its 18 queries): 16 here, with
    # no meeting nor study to prefetch decisions or regions for. The hit: none at all.
    with django_assert_num_queries(16):
        first = client.get(ROADMAP)
    with django_assert_num_queries(0):
        second = client.get(ROADMAP)
    assert (_state(first), _state(second)) == ("miss", "hit")
    assert need_a.title in second.content.decode()
    assert TOKEN_INPUT.sub("", first.content.decode()) == TOKEN_INPUT.sub("", second.content.decode())


def test_need_page_hit_without_queries(client, need_a, django_assert_num_queries):
    url = need_a.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(0):
        response = client.get(url)
    assert _state(response) == "hit"
    assert need_a.title in response.content.decode()


def test_if_none_match_answers_304_without_rendering(client, need_a, django_assert_num_queries):
    first = client.get(ROADMAP)
    with django_assert_num_queries(0):
        again = client.get(ROADMAP, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert "Cookie" in again["Vary"]


def test_etag_changes_with_the_page(client, need_a, official_a, committed):
    before = client.get(ROADMAP)["ETag"]
    with committed():
        services.need_transition(need=need_a, to="closed", by=official_a)
    response = client.get(ROADMAP, headers={"if-none-match": before})
    assert response.status_code == 200
    assert response["ETag"] != before


def test_languages_never_cross(client, need_a):
    pages = {}
    for language in ("ar", "fr", "en"):
        client.get(f"/{language}/regions/05/roadmap/")  # miss, stored
        response = client.get(f"/{language}/regions/05/roadmap/")
        assert _state(response) == "hit"
        pages[language] = response.content.decode()
        assert f'<html lang="{language}"' in pages[language]
    assert len(set(pages.values())) == 3
    assert 'dir="rtl"' in pages["ar"] and 'dir="rtl"' not in pages["fr"]


def test_query_strings_are_separate_pages(client, need_a, roadmap_a, official_a):
    other = NeedFactory(axis=roadmap_a.axes.first(), owner=official_a, title="Autre besoin")
    client.get("/fr/regions/05/needs/")
    client.get("/fr/regions/05/needs/?status=closed")
    everything = client.get("/fr/regions/05/needs/")
    nothing = client.get("/fr/regions/05/needs/?status=closed")
    assert (_state(everything), _state(nothing)) == ("hit", "hit")
    assert other.title in everything.content.decode()
    assert other.title not in nothing.content.decode()


def test_signed_in_visitor_never_gets_the_anonymous_copy(client, client_for, member, need_a):
    client.get(ROADMAP)
    assert _state(client.get(ROADMAP)) == "hit"
    response = client_for(member).get(ROADMAP)
    assert response.status_code == 200
    assert _state(response) == "bypass"
    assert "ETag" not in response
    assert 'action="/fr/accounts/logout/"' in response.content.decode()  # their own header


def test_signed_in_visitor_page_is_not_stored(client_for, member, need_a):
    client_for(member).get(ROADMAP)
    assert _stored_pages() == []


def test_session_cookie_skips_the_cache(client, need_a):
    client.cookies[settings.SESSION_COOKIE_NAME] = "not-a-session"
    assert _state(client.get(ROADMAP)) == "bypass"
    assert _stored_pages() == []


def test_stored_copy_holds_no_cookie_nor_csrf_token(client, need_a):
    response = client.get(ROADMAP)
    secret = response.cookies[settings.CSRF_COOKIE_NAME].value
    token = TOKEN_INPUT.search(response.content.decode()).group(1)
    (stored,) = _stored_pages()
    _generations, content, content_type = stored  # the body and its type; no header, no cookie
    assert content_type == "text/html; charset=utf-8"
    assert PLACEHOLDER in content
    assert secret.encode() not in content and token.encode() not in content
    assert b"Set-Cookie" not in content and b"sessionid" not in content


def test_each_visitor_gets_a_working_token_of_their_own(need_a):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get(ROADMAP)
    hit = second.get(ROADMAP)
    assert _state(hit) == "hit"
    token = TOKEN_INPUT.search(hit.content.decode()).group(1)
    assert PLACEHOLDER.decode() not in hit.content.decode()
    setlang = reverse("set_language")
    switched = second.post(setlang, {"language": "en", "next": "/en/", "csrfmiddlewaretoken": token})
    assert switched.status_code == 302
    refused = first.post(setlang, {"language": "en", "next": "/en/", "csrfmiddlewaretoken": token})
    assert refused.status_code == 403


# --- invalidation: after each write, the next anonymous GET shows the new state ----------------


def _cached(client, url):
    client.get(url)
    assert _state(client.get(url)) == "hit"


def test_need_published_appears(client, draft_need_a, official_a, committed):
    _cached(client, ROADMAP)
    assert draft_need_a.title not in client.get(ROADMAP).content.decode()
    with committed():
        services.need_transition(need=draft_need_a, to="open", by=official_a)
    response = client.get(ROADMAP)
    assert _state(response) == "miss"
    assert draft_need_a.title in response.content.decode()


def test_need_closed_leaves_the_open_needs(client, need_a, official_a, committed):
    _cached(client, "/fr/regions/needs/")  # the list of every region's needs too
    _cached(client, ROADMAP)
    with committed():
        services.need_transition(need=need_a, to="closed", by=official_a)
    assert need_a.title not in client.get(ROADMAP).content.decode()
    assert need_a.title not in client.get("/fr/regions/needs/").content.decode()


def test_need_edited_shows_new_title(client, need_a, committed):
    url = need_a.get_absolute_url()
    _cached(client, url)
    with committed():
        need_a.title = "Irrigation goutte à goutte"
        need_a.save()
    assert "Irrigation goutte à goutte" in client.get(url).content.decode()


def test_need_event_alone_invalidates(client, need_a, committed):
    """A write that sends no signal (a bulk update) is still announced by the service's event."""
    url = need_a.get_absolute_url()
    _cached(client, url)
    with committed(), transaction.atomic():
        Need.objects.filter(pk=need_a.pk).update(title="Titre par mise à jour groupée")
        emit(NeedChanged(need_id=need_a.pk))
    assert "Titre par mise à jour groupée" in client.get(url).content.decode()


def test_unannounced_bulk_write_is_not_seen(client, need_a, committed):
    """The cache really serves the stored copy: a write nobody announces stays unseen (until the
    timer), which is why every loader that writes in bulk announces its change."""
    url = need_a.get_absolute_url()
    _cached(client, url)
    with committed():
        Need.objects.filter(pk=need_a.pk).update(title="Jamais annoncé")
    response = client.get(url)
    assert _state(response) == "hit"
    assert "Jamais annoncé" not in response.content.decode()


def test_axis_renamed(client, roadmap_a, committed):
    _cached(client, ROADMAP)
    axis = roadmap_a.axes.first()
    with committed():
        axis.title = "Axe renommé pour le test"
        axis.save()
    assert "Axe renommé pour le test" in client.get(ROADMAP).content.decode()


def test_roadmap_adopted(client, region_a, roadmap_a, official_a, committed):
    _cached(client, ROADMAP)
    with committed():
        draft = services.roadmap_new_version(roadmap=roadmap_a, by=official_a)
        draft.title = "Feuille de route révisée"
        draft.save()
        services.roadmap_adopt(roadmap=draft, by=official_a)
    assert "Feuille de route révisée" in client.get(ROADMAP).content.decode()


def test_stakeholder_added(client, region_a, roadmap_a, committed):
    _cached(client, ROADMAP)
    with committed():
        StakeholderFactory(region=region_a, name="Coopérative Tadla")
    assert "Coopérative Tadla" in client.get(ROADMAP).content.decode()


def test_meeting_decision_recorded(client, region_a, roadmap_a, committed):
    meeting = ConsultationMeeting.objects.create(
        region=region_a,
        title="Comité de suivi",
        starts_at="2024-05-01T09:00Z",
        ends_at="2024-05-01T12:00Z",
        status="held",
    )
    _cached(client, ROADMAP)
    _cached(client, meeting.get_absolute_url())
    with committed():
        Decision.objects.create(region=region_a, meeting=meeting, title="Ouvrir un guichet diaspora")
    assert "Ouvrir un guichet diaspora" in client.get(ROADMAP).content.decode()
    assert "Ouvrir un guichet diaspora" in client.get(meeting.get_absolute_url()).content.decode()


def test_partnership_and_its_partners(client, region_a, roadmap_a, committed):
    stakeholder = StakeholderFactory(region=region_a, name="Fondation Atlas")
    partnership = Partnership.objects.create(
        region=region_a, title="Convention eau", status="signed", start_date="2024-01-01"
    )
    _cached(client, ROADMAP)
    with committed():
        partnership.partners.add(stakeholder)  # only the m2m table changes
    assert "Fondation Atlas" in client.get(ROADMAP).content.decode().split("Convention eau", 1)[1]


def test_study_linked_to_the_region(client, region_a, roadmap_a, committed):
    study = Study.objects.create(title="Étude sur les transferts", authors="A. Auteur", year=2023)
    _cached(client, ROADMAP)
    _cached(client, "/fr/regions/studies/")
    with committed():
        study.regions.add(region_a)
    assert "Étude sur les transferts" in client.get(ROADMAP).content.decode()
    with committed():
        study.title = "Étude sur l'épargne"
        study.save()
    assert "Étude sur l&#x27;épargne" in client.get("/fr/regions/studies/").content.decode()


def test_indicator_loaded(client, region_a, roadmap_a, committed):
    _cached(client, ROADMAP)
    with committed():
        Indicator.objects.create(
            key="mre_population",
            region=region_a,
            year=2024,
            value=123456,
            unit="persons",
            source="HCP",
            status="published",
        )
    assert _state(client.get(ROADMAP)) == "miss"


def test_owner_renamed(client, need_a, official_a, committed):
    url = need_a.get_absolute_url()
    _cached(client, url)
    with committed():
        official_a.full_name = "Nadia Responsable-Renommée"
        official_a.save()
    assert "Nadia Responsable-Renommée" in client.get(url).content.decode()


def test_sign_in_alone_keeps_the_pages(client, client_for, need_a, official_a, committed):
    url = need_a.get_absolute_url()
    _cached(client, url)
    with committed():
        official_a.save(update_fields=["last_login"])
    assert _state(client.get(url)) == "hit"


def test_skill_label_changed(client, need_a, committed):
    url = need_a.get_absolute_url()
    skill = Skill.objects.get(pk=need_a.skills.first().skill_id)
    _cached(client, url)
    with committed():
        skill.labels = dict.fromkeys(("ar", "fr", "en"), "Compétence relabellisée")
        skill.save()
    assert "Compétence relabellisée" in client.get(url).content.decode()


def test_territories_reload_after_a_bulk_change(client, region_a, roadmap_a, committed):
    _cached(client, "/fr/regions/")
    Region.objects.filter(pk=region_a.pk).update(name_fr="Nom provisoire")  # no signal, no announcement
    assert "Nom provisoire" not in client.get("/fr/regions/").content.decode()
    with committed():
        services.territories_load()
    assert _state(client.get("/fr/regions/")) == "miss"


def test_one_region_change_keeps_the_other_regions_pages(client, need_a, roadmap_b, committed):
    _cached(client, "/fr/regions/03/roadmap/")
    with committed():
        need_a.title = "Changé dans la région 05"
        need_a.save()
    assert _state(client.get("/fr/regions/03/roadmap/")) == "hit"


def test_rolled_back_write_keeps_the_page(client, need_a, committed):
    url = need_a.get_absolute_url()
    _cached(client, url)
    with committed():
        try:
            with transaction.atomic():
                NeedSkillFactory(need=need_a)
                raise RuntimeError("abandoned")
        except RuntimeError:
            pass
    assert _state(client.get(url)) == "hit"
