"""Pseudonymised experts: only profiles consenting to partner sharing; no name or contact."""

import pytest
from django.utils import translation

from partners.enums import Scope
from portal.api.pseudonyms import pseudonyms_for
from taxonomy.models import Sector, Skill
from tests.diaspora.factories import (
    ConsentingExpertFactory,
    ExpertFormatFactory,
    ExpertLanguageFactory,
    ExpertProfileFactory,
    ExpertSkillFactory,
)

URL = "/api/v1/experts/"


def _expert(region, *, consenting=True, **kwargs):
    factory = ConsentingExpertFactory if consenting else ExpertProfileFactory
    profile = factory(origin_region=region, **kwargs)
    if not consenting:  # matchable in the portal, but never shared with partners
        type(profile).objects.filter(pk=profile.pk).update(consent_matching=True)
    ExpertSkillFactory(profile=profile, skill=Skill.objects.filter(concept_type="skill").order_by("pk").first())
    ExpertLanguageFactory(profile=profile)
    ExpertFormatFactory(profile=profile)
    profile.sectors.add(Sector.objects.get(code="A"))
    return profile


@pytest.fixture
def reader(token_client):
    return token_client([Scope.READ_EXPERTS])


@pytest.fixture
def ids(partner_user):
    """The reader's organisation's id space."""
    return pseudonyms_for(partner_user.partner)


def test_experts_lists_only_consenting_profiles(reader, ids, region_a, taxonomy):
    shared = _expert(region_a)
    private = _expert(region_a, consenting=False)

    listed = [row["id"] for row in reader.get(URL).json()["results"]]

    assert listed == [ids.public_id(shared.pk)]
    assert reader.get(f"{URL}{ids.public_id(private.pk)}/").status_code == 404


def test_experts_show_no_personal_data(reader, ids, region_a, taxonomy):
    profile = _expert(
        region_a, display_name="Nadia Benali", phone="+33 6 00 00 00 01", city="Lille", bio="Née à Azilal"
    )

    body = str(reader.get(URL).json()) + str(reader.get(f"{URL}{ids.public_id(profile.pk)}/").json())

    for secret in ("Nadia", "Benali", "+33 6", "Lille", "Azilal", profile.user.email, f"'id': {profile.pk},"):
        assert secret not in body


def test_experts_opaque_id_is_stable_and_reversible(reader, ids, region_a, taxonomy):
    profile = _expert(region_a)
    public_id = ids.public_id(profile.pk)

    row = reader.get(f"{URL}{public_id}/").json()

    assert row["id"] == public_id == ids.public_id(profile.pk)
    assert ids.pk(public_id) == profile.pk
    assert public_id != f"{profile.pk:016x}"
    assert ids.pk("ffffffffffffffff") != profile.pk


@pytest.mark.parametrize("language", ["ar", "en"])
def test_expert_rows_in_the_requested_language(language, reader, ids, region_a, taxonomy):
    profile = _expert(region_a)
    second = Skill.objects.filter(concept_type="skill").order_by("pk")[1]
    ExpertSkillFactory(profile=profile, skill=second, level=4, years=1)
    profile.sectors.add(Sector.objects.get(code="C"))

    band = {1: "0-2", 5: "3-5"}
    with translation.override(language):
        expected = {
            "id": ids.public_id(profile.pk),
            "country_of_residence": None,  # one expert: fewer than 5 share the place
            "origin_region": None,
            "sectors": ["A", "C"],
            "work_mode": profile.work_mode,
            "hours_per_month": profile.hours_per_month,
            "available_from": profile.available_from and profile.available_from.isoformat(),
            "available_until": profile.available_until and profile.available_until.isoformat(),
            "skills": [
                {"skill_id": s.skill_id, "label": s.skill.label, "level": s.level, "years_band": band[s.years]}
                for s in profile.skills.order_by("-level", "pk")
            ],
            "languages": [{"language": x.language, "level": x.level} for x in profile.languages.all()],
            "formats": [x.format for x in profile.formats.all()],
        }

    listed = reader.get(URL, HTTP_ACCEPT_LANGUAGE=language).json()["results"][0]
    single = reader.get(f"{URL}{expected['id']}/", HTTP_ACCEPT_LANGUAGE=language).json()

    assert listed == single == expected
    assert len(expected["skills"]) == 2


def test_experts_filters_select_published_places_only(reader, ids, region_a, region_b, taxonomy):
    in_a = sorted(ids.public_id(_expert(region_a).pk) for _ in range(5))
    _expert(region_b, country_of_residence="BE")  # alone in BE and in region 02

    def listed(query):
        return sorted(row["id"] for row in reader.get(URL, query).json()["results"])

    for query in ({"origin_region": "05"}, {"origin_region_id": region_a.pk}, {"country": "FR"}):
        assert listed(query) == in_a, query
    # What the output withholds, a filter must not reveal.
    for query in ({"origin_region": "02"}, {"origin_region_id": region_b.pk}, {"country": "BE"}):
        assert listed(query) == [], query


@pytest.mark.parametrize("rows", [1, 50])
def test_experts_queries_constant(rows, reader, region_a, taxonomy, django_assert_num_queries):
    for _ in range(rows):
        _expert(region_a)
    reader.get(URL)  # the token's last_used_at is written once a minute

    # token, page (with the origin region), sectors, skills, their labels, languages, formats,
    # and one bulk INSERT of the partner's reads (diaspora.access_log.profile_reads_record)
    with django_assert_num_queries(8):
        response = reader.get(f"{URL}?limit=50")

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize(
    ("persona", "status"), [("member", 403), ("partner_user", 403), ("official_a", 200), ("coordinator", 200)]
)
def test_experts_sessions(persona, status, request, client_for, taxonomy):
    assert client_for(request.getfixturevalue(persona)).get(URL).status_code == status


def test_experts_need_the_scope(token_client, api):
    assert token_client([Scope.READ_PUBLIC, Scope.WRITE_NEEDS]).get(URL).status_code == 403
    assert api.get(URL).status_code == 401
