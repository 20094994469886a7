"""Each role lands on its own home after signing in (issue #18).

The official (French, desktop) signs in with the second step, lands on the region's work queue,
opens the candidates of a need whose invitation is late and reads where each expert comes from
and lives, and why they were ranked. The partner user (English) lands on the partner home,
creates an API token and revokes it. Screenshots go to test-artifacts/."""

import datetime as dt
import re
import uuid

import pytest
from django.utils import timezone

from matching import services as matching_services
from matching.enums import MatchStatus
from matching.models import Match
from partners import services as partner_services
from partners.enums import DeliveryStatus, WebhookEvent
from partners.models import APIToken, NeedProposal, WebhookDelivery, WebhookSubscription
from portal.enums import Role
from regions.models import Province, Region
from regions.services import territories_load
from taxonomy.services import starter_taxonomy_load
from tests.e2e.pages import PASSWORD, totp_now
from tests.factories import PartnerOrganisationFactory, UserFactory
from tests.matching.factories import SkillFactory, expert, need
from tests.regions.factories import MeetingFactory, RoadmapAxisFactory, RoadmapFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}


def _sign_in_from_the_login_page(page, base: str, language: str, email: str) -> None:
    """The login page itself, no `next`: where the user lands is the portal's decision."""
    page.goto(f"{base}/{language}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].button")
    page.wait_for_load_state()
    if "/accounts/two-factor/setup/" in page.url:
        page.fill("#id_code", totp_now(page.inner_text("#totp-secret")))
        page.click("button[type=submit].button")
        page.wait_for_url(re.compile("/accounts/two-factor/recovery-codes/"))
        page.click("a.button")
        page.wait_for_load_state()


def test_the_official_lands_on_the_work_queue_and_reads_the_candidates(live_server, browser, artifacts):
    territories_load()
    starter_taxonomy_load()
    souss = Region.objects.get(code="09")
    taroudannt = Province.objects.get(region=souss, name_fr__icontains="Taroudannt")
    official = UserFactory(email="crisouss@example.org", role=Role.OFFICIAL, regions=[souss], preferred_language="fr")
    axis = RoadmapAxisFactory(roadmap=RoadmapFactory(region=souss))
    argan = SkillFactory(labels={"ar": "تثمين الأركان", "fr": "valorisation de l’argan", "en": "argan processing"})
    today = timezone.localdate()
    late = need(
        skills=[argan],
        axis=axis,
        owner=official,
        title="Coopérative d’argan : circuit d’export",
        response_deadline=today - dt.timedelta(days=2),
    )
    fatima = expert(
        skills=[argan],
        display_name="Fatima Aït Lahcen",
        origin_region=souss,
        origin_province=taroudannt,
        country_of_residence="FR",
        city="Montpellier",
    )
    karim = expert(skills=[argan], display_name="Karim Oubella", country_of_residence="CA", city="Montréal")
    need(skills=[argan], axis=axis, owner=official, title="Formation des guides de l’Anti-Atlas")
    matching_services.full_rematch()
    invited = Match.objects.get(need=late, profile=fatima)
    Match.objects.filter(pk=invited.pk).update(status=MatchStatus.INVITED, invited_at=timezone.now())
    Match.objects.filter(need=late, profile=karim).update(interested=True)  # "I can help"
    NeedProposal.objects.create(
        partner=PartnerOrganisationFactory(name="Université Ibn Zohr"), region=souss,
        title="Observatoire de l’eau du Souss", description="…", format="training", work_mode="remote",
    )  # fmt: skip
    MeetingFactory(
        region=souss,
        title="Comité régional de concertation diaspora",
        status="planned",
        starts_at=timezone.localtime().replace(day=1, hour=10, minute=0) + dt.timedelta(days=1),
    )
    base = live_server.url

    context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    page = context.new_page()
    _sign_in_from_the_login_page(page, base, "fr", "crisouss@example.org")

    page.wait_for_url(f"{base}/fr/dashboards/queue/")
    assert page.locator("h1").inner_text() == "File de travail"
    assert page.locator("nav.main-nav [data-menu=work_queue]").get_attribute("aria-current") == "page"
    late_line = page.locator("#queue-invitations li")
    assert late_line.count() == 1
    assert "Coopérative d’argan : circuit d’export" in late_line.inner_text()
    assert "1 invitation sans réponse" in late_line.inner_text()
    assert "échéance dépassée" in late_line.inner_text()
    assert "1 expert à qui répondre" in page.locator("#queue-helpers li").inner_text()
    assert "Observatoire de l’eau du Souss" in page.locator("#queue-proposals").inner_text()
    assert "Comité régional de concertation diaspora" in page.locator("#queue-meetings").inner_text()
    assert page.locator("#queue-expiring .empty").inner_text() == (
        "Aucun besoin ouvert ne se termine dans les deux prochaines semaines."
    )
    page.screenshot(path=str(artifacts / "role-homes-official-work-queue-fr.png"), full_page=True)

    late_line.locator("a").first.click()
    page.wait_for_url(f"{base}/fr/matching/needs/{late.pk}/candidates/")
    card = page.locator(f"#match-{invited.pk}")
    place = f"{souss.name_fr}, {taroudannt.name_fr} (province)"
    assert card.locator(".origin").inner_text() == f"Origine : {place}"
    assert card.locator(".residence").inner_text() == "Réside : France"  # the city is not shared yet
    assert card.locator(".explanation-tie").inner_text() == f"Attache régionale : {place}"
    assert "Montpellier" not in page.content()
    ranks = page.locator(".candidate .rank").all_inner_texts()
    assert ranks == [f"#{k}" for k in range(1, len(ranks) + 1)]
    page.screenshot(path=str(artifacts / "role-homes-official-candidates-fr.png"), full_page=True)
    context.close()


def test_the_partner_lands_on_their_home_and_creates_then_revokes_a_token(live_server, browser, artifacts):
    territories_load()
    organisation = PartnerOrganisationFactory(name="Atlas Diaspora Network", website="https://atlas.example.org")
    UserFactory(email="it@atlas.example.org", role=Role.PARTNER, partner=organisation, preferred_language="en")
    sync, _plaintext = partner_services.api_token_create(
        partner=organisation, created_by=None, name="Open data sync", scopes=["read:public", "webhooks"]
    )
    hook = WebhookSubscription.objects.create(
        partner=organisation, token=sync, url="https://atlas.example.org/hooks/jusur",
        events=[WebhookEvent.NEED_PUBLISHED], secret="whsec_e2e",
    )  # fmt: skip
    WebhookDelivery.objects.create(
        subscription=hook, event=WebhookEvent.NEED_PUBLISHED, event_id=uuid.uuid4(),
        status=DeliveryStatus.SUCCEEDED, attempts=1, response_code=200,
    )  # fmt: skip
    NeedProposal.objects.create(
        partner=organisation, region=Region.objects.get(code="02"), title="Digital skills for Oriental cooperatives",
        description="…", format="training", work_mode="remote", text_language="en",
    )  # fmt: skip
    base = live_server.url

    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    page = context.new_page()
    _sign_in_from_the_login_page(page, base, "en", "it@atlas.example.org")

    page.wait_for_url(f"{base}/en/partners/")
    assert page.locator("h1").inner_text() == "Atlas Diaspora Network"
    menu = page.locator("nav.main-nav").inner_text()
    assert "My organisation" in menu and "My profile" not in menu
    assert "Open data sync" in page.locator("#partner-tokens").inner_text()
    assert "https://atlas.example.org/hooks/jusur" in page.locator("#partner-webhooks").inner_text()
    assert "Delivered" in page.locator("#partner-webhooks tbody").inner_text()
    assert "Digital skills for Oriental cooperatives" in page.locator("#partner-proposals").inner_text()
    assert "Submitted" in page.locator("#partner-proposals").inner_text()
    page.screenshot(path=str(artifacts / "role-homes-partner-home-en.png"), full_page=True)

    page.click("#partner-tokens a.button")
    page.fill("#id_name", "CRM sync")
    page.click("button[type=submit].button")
    assert page.locator("h1").inner_text() == "Your new API token"
    plaintext = page.input_value("#token-value")
    assert plaintext.startswith("jsr_")
    page.screenshot(path=str(artifacts / "role-homes-partner-token-created-en.png"), full_page=True)

    page.goto(f"{base}/en/partners/")
    row = page.locator("#partner-tokens tbody tr", has_text="CRM sync")
    assert "active" in row.inner_text()
    assert plaintext not in page.content()  # shown once, never again
    row.get_by_role("link", name="Revoke").click()
    page.get_by_role("button", name="Revoke").click()
    assert "was revoked" in page.locator(".messages").inner_text()
    page.goto(f"{base}/en/partners/")
    assert "revoked" in page.locator("#partner-tokens tbody tr", has_text="CRM sync").inner_text()
    assert "active" in page.locator("#partner-tokens tbody tr", has_text="Open data sync").inner_text()
    assert APIToken.objects.get(name="CRM sync").revoked_at is not None
    page.screenshot(path=str(artifacts / "role-homes-partner-token-revoked-en.png"), full_page=True)
    context.close()
