from datetime import timedelta

import pytest
from django.utils import timezone

from diaspora import selectors
from diaspora.selectors import ExpertCard, expert_contacts, expert_list
from portal.enums import EngagementFormat, Language
from taxonomy.models import Sector, Skill
from tests.diaspora.factories import (
    ConsentingExpertFactory,
    ExpertFormatFactory,
    ExpertLanguageFactory,
    ExpertProfileFactory,
    ExpertSkillFactory,
)

pytestmark = pytest.mark.django_db


def make_expert(skill, sector, **kwargs):
    profile = ConsentingExpertFactory(**kwargs)
    ExpertSkillFactory(profile=profile, skill=skill)
    ExpertLanguageFactory(profile=profile, language=Language.AR)
    ExpertFormatFactory(profile=profile, format=EngagementFormat.MENTORING)
    profile.sectors.add(sector)
    return profile


@pytest.fixture
def skill(taxonomy):
    return Skill.objects.order_by("pk").first()


@pytest.fixture
def sector(taxonomy):
    return Sector.objects.get(code="A")


@pytest.mark.parametrize("rows", [1, 50])
def test_expert_list_query_count_is_constant(coordinator, skill, sector, django_assert_num_queries, rows):
    for _ in range(rows):
        make_expert(skill, sector)

    # count, page rows (+ origin region), skills (+ skill), languages, formats, sectors
    with django_assert_num_queries(6):
        page, _ = expert_list(user=coordinator, per_page=50)

    assert len(page.object_list) == rows
    assert all(isinstance(card, ExpertCard) for card in page.object_list)


@pytest.mark.parametrize("rows", [1, 50])
def test_expert_list_page_query_count_is_constant(
    client_for, official_a, skill, sector, django_assert_num_queries, rows
):
    for _ in range(rows):
        make_expert(skill, sector)
    client = client_for(official_a)

    # session, user, official's regions, the 6 of the selector, one bulk INSERT of the reads
    # (diaspora.access_log.profile_reads_record), the filter form's regions and sectors
    with django_assert_num_queries(12):
        response = client.get("/fr/diaspora/experts/", {"per_page": 50})

    assert response.status_code == 200


def test_officials_see_only_consenting_fresh_active_experts_without_contact_details(
    client_for, official_a, skill, sector, region_b
):
    visible = make_expert(skill, sector, display_name="Visible Expert", origin_region=region_b)
    ExpertProfileFactory(display_name="No Consent")
    make_expert(skill, sector, display_name="Stale Expert", confirmed_at=timezone.now() - timedelta(days=400))
    make_expert(skill, sector, display_name="Inactive Expert", is_active=False)

    response = client_for(official_a).get("/fr/diaspora/experts/")

    content = response.content.decode()
    assert response.status_code == 200
    assert [card.id for card in response.context["page_obj"].object_list] == [visible.pk]
    assert "Visible Expert" in content
    for hidden in ("No Consent", "Stale Expert", "Inactive Expert", visible.user.email, visible.phone, "Lyon"):
        assert hidden not in content


def test_expert_card_holds_no_contact_field():
    fields = set(ExpertCard.__dataclass_fields__)
    assert fields.isdisjoint({"email", "phone", "user", "user_id", "cv", "birth_year", "city"})


@pytest.mark.parametrize("persona", ["member", "partner_user", "official_without_region"])
def test_other_personas_cannot_browse_experts(request, client_for, persona, skill, sector, db):
    make_expert(skill, sector)
    if persona == "official_without_region":
        from portal.enums import Role
        from tests.factories import UserFactory

        user = UserFactory(role=Role.OFFICIAL)
    else:
        user = request.getfixturevalue(persona)

    page, _ = expert_list(user=user)

    assert client_for(user).get("/fr/diaspora/experts/").status_code == 403
    assert list(page.object_list) == []


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/fr/diaspora/experts/")
    assert response.status_code == 302


def test_filters_narrow_the_list(coordinator, taxonomy, region_a, region_b):
    skills = list(Skill.objects.order_by("pk")[:2])
    a, b = Sector.objects.get(code="A"), Sector.objects.get(code="F")
    one = make_expert(skills[0], a, country_of_residence="ES", origin_region=region_a)
    two = make_expert(skills[1], b, country_of_residence="NL", origin_region=region_b)
    ExpertLanguageFactory(profile=two, language=Language.NL)
    ExpertFormatFactory(profile=two, format=EngagementFormat.INVESTMENT)

    def ids(filters):
        page, _ = expert_list(user=coordinator, filters=filters)
        return [card.id for card in page.object_list]

    assert ids({"skill_id": skills[0].pk}) == [one.pk]
    assert ids({"sector": b.code}) == [two.pk]
    assert ids({"sector_id": b.pk}) == [two.pk]
    assert ids({"language": "nl"}) == [two.pk]
    assert ids({"country": "ES"}) == [one.pk]
    assert ids({"origin_region": region_b.code}) == [two.pk]
    assert ids({"origin_region_id": region_b.pk}) == [two.pk]
    assert ids({"engagement_format": "investment"}) == [two.pk]
    assert sorted(ids({"language": "ar"})) == sorted([one.pk, two.pk])
    assert ids({"country": "XX"}) == []  # an invalid filter gives an empty page, not an error


def test_pagination_splits_the_list(coordinator, skill, sector, client_for):
    for _ in range(30):
        make_expert(skill, sector)
    first, _ = expert_list(user=coordinator, per_page=25)
    second, _ = expert_list(user=coordinator, per_page=25, page=2)
    assert (len(first.object_list), len(second.object_list), first.paginator.count) == (25, 5, 30)
    assert client_for(coordinator).get("/fr/diaspora/experts/", {"page": "abc"}).status_code == 200


def test_contact_details_are_read_with_the_current_consent(skill, sector):
    from diaspora.services import consent_set

    expert = make_expert(skill, sector)
    before = expert_contacts(profile_ids=[expert.pk])
    consent_set(profile=expert, choices={"contact": False})

    assert [(c.email, c.phone) for c in before.values()] == [(expert.user.email, expert.phone)]
    assert expert_contacts(profile_ids=[expert.pk]) == {}


def test_no_contact_gate_hook_is_left_to_register():
    assert not hasattr(selectors, "register_contact_gate")
    assert not hasattr(selectors, "expert_contact_get")


def test_skill_filter_accepts_typed_text_without_a_chosen_suggestion(client_for, coordinator, taxonomy):
    irrigation = Skill.objects.get(labels__en="irrigation systems")
    other = Skill.objects.exclude(pk=irrigation.pk).order_by("pk").first()
    wanted = make_expert(irrigation, Sector.objects.get(code="A"))
    make_expert(other, Sector.objects.get(code="A"))

    response = client_for(coordinator).get("/fr/diaspora/experts/", {"skill_query": "systèmes d'irrigation"})
    nothing = client_for(coordinator).get("/fr/diaspora/experts/", {"skill_query": "zzzzqqq"})

    assert [card.id for card in response.context["page_obj"].object_list] == [wanted.pk]
    assert 'value="systèmes d&#x27;irrigation"' in response.content.decode()
    assert list(nothing.context["page_obj"].object_list) == []
