"""A national coordinator filters the consenting experts by skill with the autocomplete."""

import pytest

from portal.enums import Role
from regions.services import territories_load
from taxonomy.models import Skill
from taxonomy.services import starter_taxonomy_load
from tests.diaspora.factories import ConsentingExpertFactory, ExpertProfileFactory, ExpertSkillFactory
from tests.e2e.pages import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_coordinator_filters_experts_by_skill(live_server, page, artifacts):
    territories_load()
    starter_taxonomy_load()
    UserFactory(email="coord@example.org", role=Role.COORDINATOR)
    irrigation = Skill.objects.get(labels__en="irrigation systems")
    other = Skill.objects.exclude(pk=irrigation.pk).filter(concept_type="skill").order_by("pk").first()
    wanted = ConsentingExpertFactory(display_name="Hamza Ouali")
    ExpertSkillFactory(profile=wanted, skill=irrigation)
    ExpertSkillFactory(profile=ConsentingExpertFactory(display_name="Nadia Berrada"), skill=other)
    ExpertSkillFactory(profile=ExpertProfileFactory(display_name="Sans Consentement"), skill=irrigation)
    base = live_server.url

    sign_in(page, base, "coord@example.org", "/fr/diaspora/experts/")
    assert page.locator(".expert-cards > li").count() == 2

    page.fill("#id_skill_query", "irrigation")
    page.locator(".suggestions li", has_text="systèmes d’irrigation").first.click()
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()

    cards = page.locator(".expert-cards > li")
    assert cards.count() == 1
    assert "Hamza Ouali" in cards.first.inner_text()
    content = page.content()
    assert wanted.user.email not in content and wanted.phone not in content and "Sans Consentement" not in content
    page.screenshot(path=str(artifacts / "diaspora-expert-list-fr.png"), full_page=True)
