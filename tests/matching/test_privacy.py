"""The expert's engagements are theirs: in the data export (status, ratings, deliverable
note), and gone after erasure — also from the official's notifications about them."""

import pytest

from diaspora.models import ConsentRecord
from diaspora.services import account_erase, consent_set
from matching import member_services, services
from matching.models import Engagement, Match, NeedSetAside
from portal.models import Notification
from portal.privacy import personal_data_export
from tests.matching.factories import SkillFactory, expert, need


@pytest.fixture
def engagement(taxonomy, official_a):
    skill = SkillFactory()
    profile = expert(skills=[skill], display_name="Nadia Berrada")
    need(skills=[skill], owner=official_a, title="Station de pompage solaire")
    services.full_rematch()
    match = Match.objects.get(profile=profile)
    services.match_invite(match=match, by=official_a, message="Votre expérience nous aiderait.")
    services.match_respond(match=match, by=profile.user, accept=True)
    row = Engagement.objects.get(match=match)
    services.engagement_update(engagement=row, by=official_a, status="completed", note="Rapport livré", rating=5)
    services.engagement_update(engagement=row, by=profile.user, rating=4)
    return Engagement.objects.get(pk=row.pk)


def test_export_contains_the_experts_engagements(engagement):
    user = engagement.match.profile.user

    rows = personal_data_export(user)["models"]["matching.Engagement"]

    assert [
        (r["id"], r["match_id"], r["status"], r["owner_rating"], r["expert_rating"], r["deliverable_note"])
        for r in rows
    ] == [(engagement.pk, engagement.match_id, "completed", 5, 4, "Rapport livré")]


def test_erasure_deletes_the_engagement_and_the_officials_notification_forgets_the_name(engagement, official_a):
    user = engagement.match.profile.user
    accepted = Notification.objects.get(user=official_a, kind="matching.accepted")
    assert accepted.subject == "Nadia Berrada a accepté votre invitation pour « Station de pompage solaire »"

    account_erase(user=user)

    assert not Engagement.objects.filter(pk=engagement.pk).exists()
    accepted.refresh_from_db()
    assert accepted.subject == "un membre supprimé a accepté votre invitation pour « Station de pompage solaire »"


def test_needs_set_aside_and_the_public_choice_are_exported_and_erased(taxonomy, official_a):
    skill = SkillFactory()
    profile = expert(skills=[skill])
    need_obj = need(skills=[skill], owner=official_a)
    services.full_rematch()
    member_services.suggestion_set_aside(user=profile.user, need_id=need_obj.pk, reason="dates")
    consent_set(profile=profile, choices={"public_contributions": True})

    data = personal_data_export(profile.user)["models"]
    account_erase(user=profile.user)

    assert [(r["need_id"], r["reason"]) for r in data["matching.NeedSetAside"]] == [(need_obj.pk, "dates")]
    assert data["diaspora.ExpertProfile"][0]["consent_public_contributions"] is True
    assert "public_contributions" in [r["purpose"] for r in data["diaspora.ConsentRecord"]]
    assert not NeedSetAside.objects.exists()
    assert not ConsentRecord.objects.filter(user_id=profile.user_id).exists()
