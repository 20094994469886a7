import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from regions.models import ConsultationMeeting, Decision, Partnership, Stakeholder, Study
from regions.services import (
    MeetingInput,
    PartnershipInput,
    StudyInput,
    decision_save,
    meeting_save,
    partnership_save,
    stakeholder_save,
    study_save,
)

from .factories import MeetingFactory, StakeholderFactory

pytestmark = pytest.mark.django_db


def _meeting_data(**overrides):
    start = timezone.now() + dt.timedelta(days=7)
    return {
        "title": "Concertation régionale",
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=2),
        **overrides,
    }


def test_meeting_save_refuses_end_before_start(region_a, official_a):
    start = timezone.now()
    with pytest.raises(ValidationError) as info:
        meeting_save(
            region=region_a, by=official_a, data=_meeting_data(starts_at=start, ends_at=start - dt.timedelta(hours=1))
        )
    assert info.value.message_dict == {"ends_at": ["The end is before the start."]}
    assert ConsultationMeeting.objects.count() == 0


def test_meeting_cannot_invite_another_regions_stakeholders(region_a, region_b, official_a):
    foreign = StakeholderFactory(region=region_b)
    with pytest.raises(ValidationError) as info:
        meeting_save(region=region_a, by=official_a, data=MeetingInput(**_meeting_data(), stakeholders=[foreign]))
    assert info.value.message_dict == {"stakeholders": ["This stakeholder belongs to another region."]}
    assert ConsultationMeeting.objects.count() == 0


@pytest.mark.parametrize("persona", ["official_b", "member", "partner_user"])
def test_consultation_writes_refused_outside_the_region(request, region_a, persona):
    user = request.getfixturevalue(persona)
    meeting = MeetingFactory(region=region_a)
    stakeholder = StakeholderFactory(region=region_a)
    calls = [
        lambda: stakeholder_save(region=region_a, by=user, data={"name": "X", "kind": "association"}),
        lambda: stakeholder_save(region=region_a, by=user, data={"name": "X"}, stakeholder=stakeholder),
        lambda: meeting_save(region=region_a, by=user, data=_meeting_data()),
        lambda: meeting_save(region=region_a, by=user, data={"title": "X"}, meeting=meeting),
        lambda: decision_save(meeting=meeting, by=user, data={"title": "X"}),
        lambda: partnership_save(
            region=region_a,
            by=user,
            data={"title": "X", "objective": "Y", "start_date": dt.date(2025, 1, 1), "partners": [stakeholder]},
        ),
        lambda: study_save(by=user, data={"title": "X", "authors": "Y", "year": 2024, "regions": [region_a]}),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    stakeholder.refresh_from_db()
    meeting.refresh_from_db()
    assert (stakeholder.name, meeting.title) != ("X", "X")
    assert Stakeholder.objects.count() == 1
    assert ConsultationMeeting.objects.count() == 1
    assert Decision.objects.count() == Partnership.objects.count() == Study.objects.count() == 0


def test_decision_links_to_an_axis_or_need_of_its_region_only(region_a, official_a, need_a, roadmap_b):
    meeting = MeetingFactory(region=region_a)
    decision = decision_save(
        meeting=meeting,
        by=official_a,
        data={"title": "Publier l'appel", "need": need_a, "owner": official_a, "due_date": dt.date(2026, 6, 30)},
    )
    assert (decision.region_id, decision.follow_up_status) == (region_a.pk, "pending")
    decision_save(meeting=meeting, by=official_a, data={"follow_up_status": "done"}, decision=decision)
    decision.refresh_from_db()
    assert decision.follow_up_status == "done"
    with pytest.raises(ValidationError) as info:
        decision_save(meeting=meeting, by=official_a, data={"title": "X", "axis": roadmap_b.axes.first()})
    assert info.value.message_dict == {"axis": ["This axis belongs to another region."]}
    assert Decision.objects.count() == 1


def test_partnership_needs_partners_of_the_region_and_an_ordered_period(region_a, region_b, official_a):
    foreign = StakeholderFactory(region=region_b)
    with pytest.raises(ValidationError) as info:
        partnership_save(
            region=region_a,
            by=official_a,
            data=PartnershipInput(
                title="Convention",
                objective="Y",
                start_date=dt.date(2025, 1, 1),
                end_date=dt.date(2024, 1, 1),
                partners=[foreign],
            ),
        )
    assert info.value.message_dict == {
        "end_date": ["The end date is before the start date."],
        "partners": ["This stakeholder belongs to another region."],
    }
    assert Partnership.objects.count() == 0


def test_coordinator_files_a_study_on_several_regions(coordinator, region_a, region_b):
    study = study_save(
        by=coordinator,
        data=StudyInput(
            title="Diaspora et territoires",
            authors="A. Belguendouz",
            year=2021,
            countries="ma,be",
            regions=[region_a, region_b],
        ),
    )
    assert set(study.regions.values_list("code", flat=True)) == {"05", "02"}
    assert study.countries == "MA,BE"


def test_study_with_a_bad_country_code_is_refused(coordinator, region_a):
    with pytest.raises(ValidationError) as info:
        study_save(
            by=coordinator,
            data={"title": "X", "authors": "Y", "year": 2021, "countries": "Maroc", "regions": [region_a]},
        )
    assert info.value.message_dict == {"countries": ["Give two-letter ISO country codes separated by commas."]}
    assert Study.objects.count() == 0
