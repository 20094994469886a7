"""Issue 13, item 3: pseudonyms per partner organisation (rotatable), opaque cursors, and
coarsened quasi-identifiers. Personas: partner A, partner B, an official of this region and
of another, the member, anonymous."""

import base64
import importlib
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.cache import cache
from rest_framework.test import APIClient

from diaspora.disclosure import PublishedPlaces, places_from_counts, years_band
from matching.models import Engagement, Match
from partners.enums import ProposalStatus, Scope, WebhookEvent
from partners.models import NeedProposal
from partners.services import api_token_create, partner_pseudonym_key_rotate
from partners.webhooks import webhook_emit, webhook_subscription_create
from portal.api.pseudonyms import pseudonyms_for
from portal.enums import Role
from portal.models import PartnerOrganisation
from taxonomy.models import Skill
from tests.api.receiver import Receiver
from tests.diaspora.factories import ConsentingExpertFactory, ExpertSkillFactory
from tests.factories import PartnerOrganisationFactory, UserFactory
from tests.regions.factories import NeedFactory, RoadmapAxisFactory, RoadmapFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/experts/"


def _client(partner, scopes=(Scope.READ_EXPERTS,)) -> APIClient:
    creator = UserFactory(role=Role.PARTNER, partner=partner)
    _token, plaintext = api_token_create(partner=partner, created_by=creator, name="t", scopes=list(scopes))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    return client


@pytest.fixture
def partners(db):
    cache.clear()
    yield PartnerOrganisationFactory(name="Partner A"), PartnerOrganisationFactory(name="Partner B")
    cache.clear()


@pytest.fixture
def experts(region_a, taxonomy):
    skill = Skill.objects.filter(concept_type="skill").order_by("pk").first()
    profiles = [ConsentingExpertFactory(origin_region=region_a) for _ in range(6)]
    for years, profile in enumerate(profiles):
        ExpertSkillFactory(profile=profile, skill=skill, years=years * 4)
    return profiles


def _ids(client, query="") -> list[str]:
    response = client.get(f"{URL}?limit=200{query}")
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- pseudonyms per organisation -------------------------------------------------------------


def test_two_partners_cannot_join_their_views_by_id(partners, experts):
    a, b = partners
    client_a, client_b = _client(a), _client(b)

    ids_a, ids_b = _ids(client_a), _ids(client_b)

    assert sorted(ids_a) == sorted(pseudonyms_for(a).public_id(p.pk) for p in experts)
    assert sorted(ids_b) == sorted(pseudonyms_for(b).public_id(p.pk) for p in experts)
    assert set(ids_a).isdisjoint(ids_b)
    # Each looks up only its own ids: B cannot resolve A's id (nor A B's) to compare rows.
    assert [client_b.get(f"{URL}{i}/").status_code for i in ids_a] == [404] * len(experts)
    assert [client_a.get(f"{URL}{i}/").status_code for i in ids_b] == [404] * len(experts)
    assert [client_a.get(f"{URL}{i}/").status_code for i in ids_a] == [200] * len(experts)


def test_sessions_see_the_portal_ids_and_other_personas_are_refused(
    partners, experts, official_a, official_b, member, client_for
):
    a, _b = partners
    portal_ids = sorted(pseudonyms_for(None).public_id(p.pk) for p in experts)

    answers = {name: client_for(user).get(URL) for name, user in (("a", official_a), ("b", official_b))}

    assert {name: r.status_code for name, r in answers.items()} == {"a": 200, "b": 200}
    assert sorted(row["id"] for row in answers["a"].json()["results"]) == portal_ids
    assert set(portal_ids).isdisjoint(_ids(_client(a)))
    assert client_for(member).get(URL).status_code == 403
    assert APIClient().get(URL).status_code == 401


def test_rotating_a_key_renews_only_that_organisations_ids(partners, experts, admin_client):
    a, b = partners
    client_a, client_b = _client(a), _client(b)
    before_a, before_b = _ids(client_a), _ids(client_b)

    response = admin_client.post(
        "/en/admin/portal/partnerorganisation/",
        {"action": "rotate_pseudonym_key", ACTION_CHECKBOX_NAME: [a.pk]},
    )
    a.refresh_from_db()
    after_a, after_b = _ids(client_a), _ids(client_b)

    assert response.status_code == 302
    assert a.pseudonym_key_rotated_at is not None
    assert set(after_a).isdisjoint(before_a)
    assert client_a.get(f"{URL}{before_a[0]}/").status_code == 404
    assert client_a.get(f"{URL}{after_a[0]}/").status_code == 200
    assert after_b == before_b


def test_rotation_service_gives_a_new_key(partners):
    a, _b = partners
    old = a.pseudonym_key

    partner_pseudonym_key_rotate(partner=a, by=None)

    a.refresh_from_db()
    assert len(a.pseudonym_key) == 64 and a.pseudonym_key != old


def test_migration_gives_each_existing_organisation_its_own_key(partners):
    migration = importlib.import_module("portal.migrations.0003_consent_partner_pseudonym_key")
    PartnerOrganisation.objects.update(pseudonym_key="")

    migration.give_each_organisation_its_key(apps, None)

    keys = list(PartnerOrganisation.objects.values_list("pseudonym_key", flat=True))
    assert len(keys) == len(set(keys)) == 2 and all(len(k) == 64 for k in keys)


def test_webhook_payloads_carry_each_organisations_own_id(
    partners, experts, region_a, official_a, settings, django_capture_on_commit_callbacks
):
    # A delivery's data is the API's answer for the subscriber's token (partners.webhooks), so
    # the expert id is in the subscribing organisation's own space.
    settings.JUSUR_WEBHOOKS_ALLOW_PRIVATE = True
    receiver = Receiver()
    a, b = partners
    axis = RoadmapAxisFactory(roadmap=RoadmapFactory(region=region_a))
    matches = []
    for partner in (a, b):  # each runs a need the same expert accepted
        need = NeedFactory(axis=axis, owner=official_a)
        NeedProposal.objects.create(
            partner=partner, region=region_a, title=need.title, description="…", format=need.format,
            work_mode=need.work_mode, status=ProposalStatus.ACCEPTED, need=need,
        )  # fmt: skip
        matches.append(Match.objects.create(need=need, profile=experts[0], score=0.8, status="accepted"))
        Engagement.objects.create(match=matches[-1])
        creator = UserFactory(role=Role.PARTNER, partner=partner)
        token, _ = api_token_create(
            partner=partner, created_by=creator, name="hooks", scopes=[Scope.READ_EXPERTS, Scope.WEBHOOKS]
        )
        webhook_subscription_create(token=token, url=f"{receiver.url}/{partner.pk}", events=["match.accepted"])

    with django_capture_on_commit_callbacks(execute=True):
        for match in matches:
            webhook_emit(event=WebhookEvent.MATCH_ACCEPTED, object_id=match.pk)
    receiver.close()

    sent = {int(r["path"].rsplit("/", 1)[1]): json.loads(r["body"])["data"]["expert"] for r in receiver.requests}
    assert sent == {a.pk: pseudonyms_for(a).public_id(experts[0].pk), b.pk: pseudonyms_for(b).public_id(experts[0].pk)}


# --- opaque cursors --------------------------------------------------------------------------


def _next_cursor(client, query="limit=2") -> str:
    return parse_qs(urlsplit(client.get(f"{URL}?{query}").json()["next"]).query)["cursor"][0]


def test_cursor_reveals_nothing_of_the_position(partners, experts):
    client = _client(partners[0])

    cursor = _next_cursor(client)
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))

    dates = [p.confirmed_at for p in experts]
    for needle in [*(d.isoformat() for d in dates), *(str(d.year) for d in dates), "p=", "o="]:
        assert needle.encode() not in raw
    assert cursor != _next_cursor(client)  # a fresh nonce each time: not even equality leaks


def test_cursors_page_through_every_expert_once(partners, experts):
    client = _client(partners[0])
    seen, url = [], f"{URL}?limit=2"
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]

    assert sorted(seen) == sorted(_ids(client)) and len(seen) == len(experts)


@pytest.mark.parametrize("cursor", ["garbage", "cD0yMDI2LTEyLTA0", "", "%%%", "AQ" + "A" * 120, "😀", "A" * 5000])
def test_forged_or_garbled_cursor_is_a_400_in_the_error_format(partners, experts, cursor):
    response = _client(partners[0]).get(URL, {"cursor": cursor})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert list(response.json()["error"]["fields"]) == ["cursor"]


def test_tampered_cursor_or_another_partners_cursor_is_refused(partners, experts):
    a, b = partners
    cursor = _next_cursor(_client(a))
    flipped = cursor[:-3] + ("A" if cursor[-3] != "A" else "B") + cursor[-2:]

    assert _client(a).get(URL, {"cursor": flipped}).status_code == 400
    assert _client(b).get(URL, {"cursor": cursor}).status_code == 400
    assert _client(a).get(URL, {"cursor": cursor}).status_code == 200


# --- coarsened quasi-identifiers -------------------------------------------------------------


def test_years_are_published_in_bands(partners, experts):
    rows = _client(partners[0]).get(URL).json()["results"]

    bands = sorted(skill["years_band"] for row in rows for skill in row["skills"])
    assert bands == sorted(["0-2", "3-5", "6-10", "11-20", "11-20", "11-20"])
    assert all("years" not in skill for row in rows for skill in row["skills"])


def test_place_is_published_only_where_five_share_it(partners, experts, region_a, region_b, taxonomy):
    ConsentingExpertFactory(origin_region=region_b, country_of_residence="FR")  # 7 in FR, 1 from 02
    for _ in range(2):
        ConsentingExpertFactory(origin_region=region_a, country_of_residence="CA")

    rows = _client(partners[0]).get(URL).json()["results"]

    places = sorted((row["country_of_residence"] or "-", row["origin_region"] or "-") for row in rows)
    assert places == sorted([("FR", "05")] * 6 + [("FR", "-")] + [("-", "-")] * 2)


@pytest.mark.parametrize(
    ("years", "band"), [(0, "0-2"), (2, "0-2"), (3, "3-5"), (5, "3-5"), (6, "6-10"), (10, "6-10"), (11, "11-20"),
                        (20, "11-20"), (21, "21+"), (60, "21+")]
)  # fmt: skip
def test_years_band_edges(years, band):
    assert years_band(years) == band


def test_place_ladder_never_publishes_a_region_without_its_country():
    places = places_from_counts({("FR", "05"): 5, ("FR", "02"): 1, ("BE", "05"): 4, ("CA", None): 5})

    assert places == PublishedPlaces(countries=frozenset({"FR", "CA"}), pairs=frozenset({("FR", "05")}))
    assert [places.place(*p) for p in [("FR", "05"), ("FR", "02"), ("BE", "05"), ("CA", None)]] == [
        ("FR", "05"),
        ("FR", None),
        (None, None),
        ("CA", None),
    ]


def test_a_withdrawal_of_partner_sharing_recounts_the_places_at_once(
    partners, experts, django_capture_on_commit_callbacks
):
    from diaspora.services import consent_set

    client = _client(partners[0])
    before = {row["country_of_residence"] for row in client.get(URL).json()["results"]}  # 6 in FR: cached

    with django_capture_on_commit_callbacks(execute=True):
        consent_set(profile=experts[0], choices={"partner_sharing": False})
        consent_set(profile=experts[1], choices={"partner_sharing": False})
    after = client.get(URL).json()["results"]

    assert before == {"FR"}
    assert [(row["country_of_residence"], row["origin_region"]) for row in after] == [(None, None)] * 4
