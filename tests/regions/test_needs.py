import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portal.models import Notification, OutboxMessage
from regions.enums import NeedStatus
from regions.models import Need, NeedInterest, NeedLanguage, NeedSkill, Province
from regions.services import (
    LanguageRequirement,
    SkillRequirement,
    need_create,
    need_interest_express,
    need_transition,
    need_update,
)
from taxonomy.models import Skill

pytestmark = pytest.mark.django_db


def _skills(n=2):
    return list(Skill.objects.filter(concept_type="skill").order_by("pk")[:n])


def _data(roadmap, **overrides):
    return {
        "axis": roadmap.axes.first(),
        "title": "Expert en irrigation goutte-à-goutte",
        "description": "Accompagner trois coopératives de Fquih Ben Salah.",
        "format": "short_mission",
        "work_mode": "both",
        "province": Province.objects.get(code="05.255") if Province.objects.filter(code="05.255").exists() else None,
        "start_date": timezone.localdate() + dt.timedelta(days=20),
        "duration_days": 30,
        **overrides,
    }


def _matching_messages(need):
    return list(OutboxMessage.objects.filter(task_name="matching.need_changed", kwargs={"need_id": need.pk}))


def test_need_create_records_a_draft_with_skills_and_languages(roadmap_a, official_a, taxonomy):
    first, second = _skills()
    need = need_create(
        roadmap=roadmap_a,
        by=official_a,
        data=_data(roadmap_a),
        skills=[SkillRequirement(skill_id=first.pk, weight=5, essential=True), SkillRequirement(skill_id=second.pk)],
        languages=[LanguageRequirement(language="fr", min_level=5)],
    )
    assert need.status == NeedStatus.DRAFT
    assert need.region_id == roadmap_a.region_id
    assert need.owner == official_a
    assert need.end_date == need.start_date + dt.timedelta(days=30)
    assert list(need.skills.order_by("-weight").values_list("skill_id", "weight", "essential")) == [
        (first.pk, 5, True),
        (second.pk, 3, False),
    ]
    assert list(need.languages.values_list("language", "min_level")) == [("fr", 5)]
    assert _matching_messages(need) == []  # a draft is not matched


@pytest.mark.parametrize("persona", ["official_b", "member", "partner_user"])
def test_need_create_refused_outside_scope_changes_nothing(request, roadmap_a, taxonomy, persona):
    with pytest.raises(PermissionDenied):
        need_create(
            roadmap=roadmap_a,
            by=request.getfixturevalue(persona),
            data=_data(roadmap_a),
            skills=[SkillRequirement(skill_id=_skills(1)[0].pk)],
        )
    assert Need.objects.count() == 0
    assert NeedSkill.objects.count() == 0


def test_coordinator_creates_needs_anywhere(roadmap_b, coordinator, official_b, taxonomy):
    need = need_create(roadmap=roadmap_b, by=coordinator, data={**_data(roadmap_b, province=None), "owner": official_b})
    assert (need.region_id, need.owner) == (roadmap_b.region_id, official_b)


@pytest.mark.parametrize(
    ("overrides", "skills", "message"),
    [
        ({"province": "other"}, None, {"province": ["This province is not in the roadmap's region."]}),
        ({"owner": "official_b"}, None, {"owner": ["The owner must be an official of this region."]}),
        (
            {"description": "x" * 20_001},
            None,
            {"description": ["Ensure this value has at most 20000 characters (it has 20001)."]},
        ),
        ({}, [SkillRequirement(skill_id=0)], ["Unknown skill: choose skills from the taxonomy."]),
        (
            {},
            [SkillRequirement(skill_id=-1, weight=9)],
            ["Unknown skill: choose skills from the taxonomy.", "A skill's weight must be between 1 and 5."],
        ),
    ],
)
def test_need_create_rejects_bad_input_and_saves_nothing(
    request, roadmap_a, official_a, taxonomy, overrides, skills, message
):
    if overrides.get("province") == "other":
        overrides["province"] = Province.objects.filter(region__code="02").first()
    if overrides.get("owner") == "official_b":
        overrides["owner"] = request.getfixturevalue("official_b")
    with pytest.raises(ValidationError) as info:
        need_create(roadmap=roadmap_a, by=official_a, data=_data(roadmap_a, **overrides), skills=skills or [])
    if isinstance(message, dict):
        assert info.value.message_dict == message
    else:
        assert info.value.messages == message
    assert Need.objects.count() == 0
    assert NeedSkill.objects.count() == 0
    assert NeedLanguage.objects.count() == 0


def test_need_transitions_follow_the_state_machine(draft_need_a, official_a):
    need = need_transition(need=draft_need_a, to="open", by=official_a)
    assert need.status == NeedStatus.OPEN
    assert need.published_at is not None
    assert len(_matching_messages(need)) == 1
    need = need_transition(need=need, to="in_progress", by=official_a)
    need = need_transition(need=need, to="fulfilled", by=official_a)
    assert need.status == NeedStatus.FULFILLED


def test_need_cannot_jump_from_draft_to_fulfilled(draft_need_a, official_a):
    with pytest.raises(ValidationError) as info:
        need_transition(need=draft_need_a, to="fulfilled", by=official_a)
    assert info.value.messages == ["A need cannot go from “Draft” to “Fulfilled”."]
    draft_need_a.refresh_from_db()
    assert draft_need_a.status == NeedStatus.DRAFT


def test_need_cannot_go_to_an_unknown_status(need_a, official_a):
    with pytest.raises(ValidationError, match="cannot go from “Open” to “bogus”"):
        need_transition(need=need_a, to="bogus", by=official_a)


def test_need_transition_refused_for_the_other_region(need_a, official_b, member):
    for persona in (official_b, member):
        with pytest.raises(PermissionDenied):
            need_transition(need=need_a, to="closed", by=persona)
    need_a.refresh_from_db()
    assert need_a.status == NeedStatus.OPEN
    assert _matching_messages(need_a) == []


def test_publishing_needs_a_skill_and_an_adopted_roadmap(draft_need_a, official_a):
    draft_need_a.skills.all().delete()
    draft_need_a.roadmap.status = "draft"
    draft_need_a.roadmap.save()
    with pytest.raises(ValidationError) as info:
        need_transition(need=draft_need_a, to="open", by=official_a)
    assert info.value.messages == [
        "A need is published only in an adopted roadmap.",
        "Add at least one required skill before publishing.",
    ]


def test_editing_an_open_need_queues_matching_once_per_burst(need_a, official_a):
    need_update(need=need_a, by=official_a, data={"title": "Nouveau titre"})
    need_update(need=need_a, by=official_a, data={"work_mode": "remote"})
    messages = _matching_messages(need_a)
    assert len(messages) == 1
    assert messages[0].dedup_key == f"matching:need:{need_a.pk}"


def test_leaving_open_queues_matching(need_a, official_a):
    need_transition(need=need_a, to="closed", by=official_a)
    assert len(_matching_messages(need_a)) == 1


def test_need_update_refused_for_other_region_changes_nothing(need_a, official_b):
    with pytest.raises(PermissionDenied):
        need_update(need=need_a, by=official_b, data={"title": "Piraté"})
    need_a.refresh_from_db()
    assert need_a.title != "Piraté"
    assert _matching_messages(need_a) == []


def test_finished_need_cannot_be_edited(need_a, official_a):
    need_transition(need=need_a, to="closed", by=official_a)
    with pytest.raises(ValidationError, match="This need is finished"):
        need_update(need=need_a, by=official_a, data={"title": "Encore"})


def test_member_expresses_interest_once_and_the_owner_is_told_once(need_a, member):
    interest, created = need_interest_express(need=need_a, user=member, message="Ingénieur agronome à Montpellier")
    again, created_again = need_interest_express(need=need_a, user=member, message="bis")
    assert (created, created_again) == (True, False)
    assert again.pk == interest.pk
    assert NeedInterest.objects.get().message == "Ingénieur agronome à Montpellier"
    assert list(Notification.objects.values_list("user_id", "kind")) == [(need_a.owner_id, "regions.need_interest")]


def test_interest_queues_a_rescoring_of_the_need(need_a, member):
    OutboxMessage.objects.all().delete()
    need_interest_express(need=need_a, user=member)
    queued = OutboxMessage.objects.filter(task_name="matching.need_changed")
    assert list(queued.values_list("kwargs", "dedup_key")) == [({"need_id": need_a.pk}, f"matching:need:{need_a.pk}")]


@pytest.mark.parametrize("persona", ["official_a", "official_b", "coordinator", "partner_user"])
def test_only_members_express_interest(request, need_a, persona):
    with pytest.raises(PermissionDenied):
        need_interest_express(need=need_a, user=request.getfixturevalue(persona))
    assert NeedInterest.objects.count() == 0


def test_interest_in_a_need_that_is_not_open_is_refused(draft_need_a, member):
    with pytest.raises(ValidationError, match=r"This need is not open any more\."):
        need_interest_express(need=draft_need_a, user=member)
    assert NeedInterest.objects.count() == 0


def test_expired_need_is_republished_with_new_dates_only(need_a, official_a):
    need_a.start_date = timezone.localdate() - dt.timedelta(days=90)
    need_a.save()
    need = need_transition(need=need_a, to="expired", by=None)
    with pytest.raises(ValidationError) as info:
        need_transition(need=need, to="open", by=official_a)
    assert info.value.messages == ["The need's end date has passed; change its dates before publishing."]
    need_update(need=need, by=official_a, data={"start_date": timezone.localdate() + dt.timedelta(days=10)})
    assert need_transition(need=need, to="open", by=official_a).status == NeedStatus.OPEN


def test_the_system_may_only_expire_open_needs(draft_need_a):
    with pytest.raises(PermissionDenied):
        need_transition(need=draft_need_a, to="open", by=None)
    draft_need_a.refresh_from_db()
    assert draft_need_a.status == NeedStatus.DRAFT
