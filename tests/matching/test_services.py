"""Engine runs through the database, and the contact workflow's rules."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from diaspora.selectors import ExpertContact
from diaspora.services import consent_set
from matching import selectors, services
from matching.enums import MatchRunStatus, MatchStatus
from matching.models import Engagement, Match, MatchRun
from matching.services import rankings
from portal.enums import EngagementFormat
from portal.models import Notification
from regions.enums import NeedStatus
from tests.matching.factories import SkillFactory, expert, need

pytestmark = pytest.mark.django_db


@pytest.fixture
def skill(taxonomy):
    return SkillFactory()


def _rows():
    return sorted(Match.objects.values_list("need_id", "profile_id", "score", "rank", "status"))


def test_full_rematch_twice_leaves_the_same_rows(skill):
    experts = [expert(skills=[skill]) for _ in range(3)]
    need_obj = need(skills=[skill])

    first = services.full_rematch()
    rows = _rows()
    second = services.full_rematch()

    assert _rows() == rows
    assert len(rows) == 3
    assert {r[1] for r in rows} == {e.pk for e in experts}
    assert (first.status, first.matches_count, first.needs_count, first.progress) == (MatchRunStatus.DONE, 3, 1, 100)
    assert second.matches_count == 3
    assert Match.objects.filter(need=need_obj, run=second).count() == 3


def test_run_is_claimed_once(skill):
    run = MatchRun.objects.create()

    assert services.match_run_claim(run_id=run.pk) is True
    assert services.match_run_claim(run_id=run.pk) is False
    assert services.full_rematch(run_id=run.pk) is None  # held by a live worker: not run twice
    assert MatchRun.objects.get(pk=run.pk).attempts == 1


def test_top_k_keeps_k_best(skill, settings):
    settings.JUSUR_MATCHING = {"top_k": 2}
    experts = [expert(skills=[(skill, level, 5)]) for level in (1, 2, 3, 4)]
    need_obj = need(skills=[(skill, 3, False, 3)])

    services.full_rematch()

    ranking = list(Match.objects.filter(need=need_obj).order_by("rank").values_list("rank", "profile_id"))
    assert ranking[0] == (1, experts[3].pk) or ranking[0] == (1, experts[2].pk)
    assert {p for _, p in ranking} == {experts[2].pk, experts[3].pk}  # both at or above the minimum level
    assert len(ranking) == 2


def test_new_expert_enters_the_ranking_incrementally(skill, region_a):
    existing = expert(skills=[skill])
    need_obj = need(skills=[skill])
    services.full_rematch()
    newcomer = expert(skills=[skill], origin_region=region_a)

    changed = services.expert_rematch(profile_id=newcomer.pk)

    assert changed == 1
    assert list(Match.objects.filter(need=need_obj).order_by("rank").values_list("profile_id", flat=True)) == [
        newcomer.pk,
        existing.pk,
    ]


def test_consent_withdrawn_hides_then_deletes_suggestions(skill, official_a):
    profile = expert(skills=[skill])
    other = expert(skills=[skill])
    need_obj = need(skills=[skill], owner=official_a)
    services.full_rematch()
    profile.consent_matching = False
    profile.save(update_fields=["consent_matching"])  # as consent_set does, before its task runs

    hidden = [m.profile_id for m in selectors.match_candidates(need=need_obj, user=official_a)]
    services.expert_rematch(profile_id=profile.pk)

    assert hidden == [other.pk]
    assert list(Match.objects.values_list("profile_id", "rank")) == [(other.pk, 1)]


def test_consent_service_queues_the_rematch(skill, official_a, django_capture_on_commit_callbacks):
    profile = expert(skills=[skill])
    need(skills=[skill], owner=official_a)
    services.full_rematch()

    with django_capture_on_commit_callbacks(execute=True):
        consent_set(profile=profile, choices={"matching": False})

    assert not Match.objects.filter(profile=profile).exists()


def test_declined_expert_is_not_suggested_again(skill, official_a):
    profile = expert(skills=[skill])
    need_obj = need(skills=[skill], owner=official_a)
    services.full_rematch()
    match = Match.objects.get(profile=profile)
    services.match_invite(match=match, by=official_a)
    services.match_respond(match=match, by=profile.user, accept=False)

    services.full_rematch()
    services.need_rematch(need_id=need_obj.pk)

    assert list(Match.objects.values_list("profile_id", "status", "rank")) == [(profile.pk, MatchStatus.DECLINED, None)]


def test_closed_need_loses_its_suggestions(skill, official_a):
    expert(skills=[skill])
    need_obj = need(skills=[skill], owner=official_a)
    services.full_rematch()
    need_obj.status = NeedStatus.CLOSED
    need_obj.save(update_fields=["status"])

    services.need_rematch(need_id=need_obj.pk)

    assert Match.objects.count() == 0


def test_need_with_no_skills_has_no_candidates(skill, official_a):
    expert(skills=[skill])
    need_obj = need(skills=[], owner=official_a)

    written = services.need_rematch(need_id=need_obj.pk)

    assert written == 0
    assert selectors.match_candidates(need=need_obj, user=official_a) == []


def test_format_and_work_mode_filter(skill):
    remote_only = expert(skills=[skill], work_mode="remote")
    mentor = expert(skills=[skill], formats=[EngagementFormat.MENTORING])
    fits = expert(skills=[skill], work_mode="on_site")
    need_obj = need(skills=[skill], work_mode="on_site", format=EngagementFormat.REMOTE_ADVICE)

    services.need_rematch(need_id=need_obj.pk)

    assert list(Match.objects.values_list("profile_id", flat=True)) == [fits.pk]
    assert remote_only.pk != mentor.pk


# --- workflow --------------------------------------------------------------------------


@pytest.fixture
def suggestion(skill, official_a):
    profile = expert(skills=[skill])
    need(skills=[skill], owner=official_a)
    services.full_rematch()
    return Match.objects.get(profile=profile)


def test_invite_then_accept_reveals_contact(suggestion, official_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.match_invite(match=suggestion, by=official_a, message="Bienvenue")
    hidden = selectors.match_contact(match=Match.objects.get(pk=suggestion.pk), user=official_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.match_respond(match=suggestion, by=suggestion.profile.user, accept=True)

    match = Match.objects.get(pk=suggestion.pk)
    assert hidden is None
    assert match.status == MatchStatus.ACCEPTED
    assert selectors.match_contact(match=match, user=official_a) == ExpertContact(
        id=suggestion.profile_id,
        display_name=suggestion.profile.display_name,
        email=suggestion.profile.user.email,
        phone=suggestion.profile.phone,
        city=suggestion.profile.city,
    )
    assert Engagement.objects.filter(match=match).count() == 1
    assert [m.to for m in mail.outbox] == [[suggestion.profile.user.email], [official_a.email]]


def test_invite_refused_without_contact_consent(suggestion, official_a):
    profile = suggestion.profile
    profile.consent_contact = False
    profile.save(update_fields=["consent_contact"])

    with pytest.raises(ValidationError):
        services.match_invite(match=suggestion, by=official_a)

    assert Match.objects.get(pk=suggestion.pk).status == MatchStatus.SUGGESTED


def test_invite_twice_refused(suggestion, official_a):
    services.match_invite(match=suggestion, by=official_a)

    with pytest.raises(ValidationError):
        services.match_invite(match=suggestion, by=official_a)

    assert Match.objects.get(pk=suggestion.pk).status == MatchStatus.INVITED


def test_official_of_another_region_cannot_invite(suggestion, official_b):
    with pytest.raises(PermissionDenied):
        services.match_invite(match=suggestion, by=official_b)

    assert Match.objects.get(pk=suggestion.pk).status == MatchStatus.SUGGESTED


def test_accepting_someone_elses_invitation_refused(suggestion, official_a, member):
    services.match_invite(match=suggestion, by=official_a)

    with pytest.raises(PermissionDenied):
        services.match_respond(match=suggestion, by=member, accept=True)

    assert Match.objects.get(pk=suggestion.pk).status == MatchStatus.INVITED


def test_engagement_outcome_and_ratings(suggestion, official_a):
    services.match_invite(match=suggestion, by=official_a)
    services.match_respond(match=suggestion, by=suggestion.profile.user, accept=True)
    engagement = Engagement.objects.get(match=suggestion)

    services.engagement_update(engagement=engagement, by=official_a, status="completed", note="Rapport", rating=5)
    services.engagement_update(engagement=engagement, by=suggestion.profile.user, rating=4)

    engagement.refresh_from_db()
    assert (engagement.status, engagement.deliverable_note, engagement.owner_rating, engagement.expert_rating) == (
        "completed",
        "Rapport",
        5,
        4,
    )


def test_failed_run_can_be_retried(skill, settings):
    expert(skills=[skill])
    need(skills=[skill])
    run = MatchRun.objects.create()
    settings.JUSUR_MATCHING = {"top_k": "twenty"}  # a configuration mistake: the run fails

    with pytest.raises(TypeError):
        services.full_rematch(run_id=run.pk)
    failed = MatchRun.objects.get(pk=run.pk)
    settings.JUSUR_MATCHING = {}  # fixed, then the retry delivered by Celery or the outbox relay
    retried = services.full_rematch(run_id=run.pk)

    assert (failed.status, failed.attempts) == (MatchRunStatus.PENDING, 1)
    assert (retried.status, retried.attempts, retried.matches_count) == (MatchRunStatus.DONE, 2, 1)
    assert Match.objects.count() == 1


def test_bulk_path_rewrites_only_what_changed(skill, official_a, monkeypatch):
    monkeypatch.setattr(rankings, "COPY_ABOVE", 0)  # the national-scale write path, on small data
    keeps = expert(skills=[(skill, 3, 10)])  # more experience: rank 1 before and after
    leaves = expert(skills=[(skill, 3, 1)])
    need_obj = need(skills=[skill], owner=official_a)
    first = services.full_rematch()
    before = Match.objects.get(profile=keeps)
    leaves.consent_matching = False
    leaves.save(update_fields=["consent_matching"])

    second = services.full_rematch()

    after = Match.objects.get(profile=keeps)
    assert (after.run_id, after.updated_at, after.rank) == (first.pk, before.updated_at, 1)  # untouched
    assert list(Match.objects.filter(need=need_obj).values_list("profile_id", flat=True)) == [keeps.pk]
    assert second.matches_count == 1


# --- withdrawing an invitation -----------------------------------------------------------


def _workflow_row(match):
    return Match.objects.filter(pk=match.pk).values(
        "status", "withdrawn_at", "withdrawal_reason", "responded_at", "updated_at"
    )[0]


def test_withdraw_invited_tells_the_expert_once(suggestion, official_a, django_capture_on_commit_callbacks):
    services.match_invite(match=suggestion, by=official_a)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.match_withdraw(match=suggestion, by=official_a, reason="Le besoin a été reformulé.")

    match = Match.objects.get(pk=suggestion.pk)
    assert (match.status, match.withdrawal_reason) == (MatchStatus.WITHDRAWN, "Le besoin a été reformulé.")
    assert match.withdrawn_at is not None
    assert [m.to for m in mail.outbox] == [[suggestion.profile.user.email]]
    assert mail.outbox[0].subject == f"L'invitation pour « {match.need.title} » a été retirée"
    assert "Le besoin a été reformulé." in mail.outbox[0].body
    assert f"/fr/matching/invitations/{match.pk}/" in mail.outbox[0].body


def test_withdraw_accepted_refused_and_nothing_changes(suggestion, official_a):
    services.match_invite(match=suggestion, by=official_a)
    services.match_respond(match=suggestion, by=suggestion.profile.user, accept=True)
    before = _workflow_row(suggestion)
    notifications = Notification.objects.count()

    with pytest.raises(ValidationError) as refused:
        services.match_withdraw(match=suggestion, by=official_a, reason="Trop tard")

    assert refused.value.messages == [
        "L'expert a déjà accepté : au lieu de retirer l'invitation, enregistrez l'engagement comme annulé."
    ]
    assert _workflow_row(suggestion) == before
    assert before["status"] == MatchStatus.ACCEPTED
    assert Notification.objects.count() == notifications
    assert Engagement.objects.filter(match=suggestion).count() == 1


def test_withdraw_shortlisted_refused(suggestion, official_a):
    services.match_shortlist(match=suggestion, by=official_a)
    before = _workflow_row(suggestion)

    with pytest.raises(ValidationError):
        services.match_withdraw(match=suggestion, by=official_a)

    assert _workflow_row(suggestion) == before
    assert before["status"] == MatchStatus.SHORTLISTED


def test_withdraw_twice_refused_and_told_once(suggestion, official_a, django_capture_on_commit_callbacks):
    services.match_invite(match=suggestion, by=official_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.match_withdraw(match=suggestion, by=official_a)
    before = _workflow_row(suggestion)

    with pytest.raises(ValidationError), django_capture_on_commit_callbacks(execute=True):
        services.match_withdraw(match=suggestion, by=official_a)

    assert _workflow_row(suggestion) == before
    assert len(mail.outbox) == 1


def test_official_of_another_region_cannot_withdraw(suggestion, official_a, official_b):
    services.match_invite(match=suggestion, by=official_a)
    before = _workflow_row(suggestion)

    with pytest.raises(PermissionDenied):
        services.match_withdraw(match=suggestion, by=official_b)

    assert _workflow_row(suggestion) == before


def test_withdrawn_expert_cannot_accept_any_more(suggestion, official_a):
    services.match_invite(match=suggestion, by=official_a)
    services.match_withdraw(match=suggestion, by=official_a)

    with pytest.raises(ValidationError):
        services.match_respond(match=suggestion, by=suggestion.profile.user, accept=True)

    assert Match.objects.get(pk=suggestion.pk).status == MatchStatus.WITHDRAWN
    assert not Engagement.objects.filter(match=suggestion).exists()


# --- e-mails in the recipient's language -------------------------------------------------


def _speaks(profile, language):
    profile.user.preferred_language = language
    profile.user.save(update_fields=["preferred_language"])


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_invited_email_names_the_region_in_the_experts_language(
    suggestion, official_a, region_a, language, django_capture_on_commit_callbacks
):
    _speaks(suggestion.profile, language)
    own, other = (region_a.name_ar, region_a.name_fr) if language == "ar" else (region_a.name_fr, region_a.name_ar)

    # invited from a page in the other language: the official's, not the expert's
    with translation.override("fr" if language == "ar" else "ar"), django_capture_on_commit_callbacks(execute=True):
        services.match_invite(match=suggestion, by=official_a)

    (sent,) = mail.outbox
    assert own in sent.body
    assert other not in sent.body


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_withdrawn_email_names_the_region_in_the_experts_language(
    suggestion, official_a, region_a, language, django_capture_on_commit_callbacks
):
    _speaks(suggestion.profile, language)
    services.match_invite(match=suggestion, by=official_a)
    mail.outbox.clear()
    own, other = (region_a.name_ar, region_a.name_fr) if language == "ar" else (region_a.name_fr, region_a.name_ar)

    with translation.override("fr" if language == "ar" else "ar"), django_capture_on_commit_callbacks(execute=True):
        services.match_withdraw(match=suggestion, by=official_a)

    (sent,) = mail.outbox
    assert own in sent.body
    assert other not in sent.body


def test_need_closed_email_gives_the_status_in_the_experts_language(
    suggestion, official_a, django_capture_on_commit_callbacks
):
    _speaks(suggestion.profile, "ar")
    services.match_invite(match=suggestion, by=official_a)
    mail.outbox.clear()
    need_obj = suggestion.need
    need_obj.status = NeedStatus.CLOSED
    need_obj.save(update_fields=["status"])
    with translation.override("ar"):
        arabic = str(NeedStatus.CLOSED.label)
    with translation.override("fr"):
        french = str(NeedStatus.CLOSED.label)
    assert arabic != french

    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        services.need_rematch(need_id=need_obj.pk)

    (sent,) = mail.outbox
    assert arabic in sent.subject
    assert french not in sent.body
