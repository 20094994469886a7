"""Each aggregate's editable fields are listed once, in its typed input (regions/services/): the
form shows exactly those (less the few it leaves to others, named here), services write only
what an input gives, and a partial input changes only its own fields."""

import datetime as dt

import pytest

from portal.inputs import UNSET
from regions.forms import (
    AxisForm,
    DecisionForm,
    MeetingForm,
    NeedForm,
    ParticipantForm,
    PartnershipForm,
    RoadmapForm,
    StakeholderForm,
    StudyForm,
)
from regions.models import ConsultationMeeting, Need, Partnership, Study
from regions.services import (
    AxisInput,
    DecisionInput,
    MeetingInput,
    NeedInput,
    ParticipantInput,
    PartnershipInput,
    RoadmapInput,
    StakeholderInput,
    StudyInput,
    meeting_save,
    need_update,
    partnership_save,
    stakeholder_save,
    study_save,
)

from .factories import StakeholderFactory

# (form, its input, the input's fields the form does not show). `translations` comes from the
# per-language groups of portal.multilingual.TranslationsFormMixin, not from a form field.
FORMS = [
    pytest.param(RoadmapForm, RoadmapInput, set(), id="roadmap"),
    pytest.param(AxisForm, AxisInput, {"translations"}, id="axis"),
    pytest.param(NeedForm, NeedInput, {"translations"}, id="need"),
    pytest.param(StakeholderForm, StakeholderInput, {"partner"}, id="stakeholder"),
    pytest.param(MeetingForm, MeetingInput, {"translations"}, id="meeting"),
    pytest.param(ParticipantForm, ParticipantInput, {"user"}, id="participant"),
    pytest.param(DecisionForm, DecisionInput, set(), id="decision"),
    pytest.param(PartnershipForm, PartnershipInput, set(), id="partnership"),
    pytest.param(StudyForm, StudyInput, {"translations"}, id="study"),
]


@pytest.mark.parametrize(("form_class", "input_class", "not_on_form"), FORMS)
def test_form_fields_are_the_input_fields(form_class, input_class, not_on_form):
    assert form_class.input_class is input_class
    assert list(form_class.base_fields) == input_class.names(exclude=tuple(not_on_form))


def test_input_refuses_a_field_that_is_not_editable():
    with pytest.raises(TypeError):
        NeedInput(status="open")
    with pytest.raises(TypeError, match="unexpected fields: \\['status'\\]"):
        NeedInput.coerce({"title": "X", "status": "open"})


def test_need_form_without_owner_leaves_the_owner_unset(roadmap_a, region_a):
    axis = roadmap_a.axes.first()
    form = NeedForm(
        {
            "title": "Audit",
            "description": "Un audit.",
            "text_language": "fr",
            "axis": axis.pk,
            "format": "remote_advice",
            "work_mode": "remote",
            "experts_wanted": 1,
        },
        roadmap=roadmap_a,
    )
    assert form.is_valid(), form.errors
    need = form.to_input()
    assert isinstance(need, NeedInput)
    assert (need.title, need.axis, need.owner, need.translations) == ("Audit", axis, UNSET, {})


@pytest.mark.django_db
def test_need_update_with_a_partial_input_changes_only_its_fields(need_a, official_a):
    before = Need.objects.values().get(pk=need_a.pk)
    need_update(need=need_a, by=official_a, data=NeedInput(title="Nouveau titre"))
    after = Need.objects.values().get(pk=need_a.pk)
    changed = {name for name in before if before[name] != after[name]}
    assert after["title"] == "Nouveau titre"
    assert changed == {"title", "updated_at"}


@pytest.mark.django_db
def test_stakeholder_save_refuses_an_unknown_field_and_writes_nothing(region_a, official_a):
    stakeholder = StakeholderFactory(region=region_a, name="CRI")
    with pytest.raises(TypeError):
        stakeholder_save(region=region_a, by=official_a, data={"name": "X", "region": None}, stakeholder=stakeholder)
    stakeholder.refresh_from_db()
    assert stakeholder.name == "CRI"


@pytest.mark.django_db
def test_partnership_update_without_links_keeps_them(region_a, official_a, roadmap_a, need_a):
    partner = StakeholderFactory(region=region_a)
    axis = roadmap_a.axes.first()
    partnership = partnership_save(
        region=region_a,
        by=official_a,
        data=PartnershipInput(
            title="Convention",
            objective="Y",
            start_date=dt.date(2025, 1, 1),
            partners=[partner],
            axes=[axis],
            needs=[need_a],
        ),
    )
    partnership_save(region=region_a, by=official_a, data=PartnershipInput(status="completed"), partnership=partnership)
    partnership = Partnership.objects.get(pk=partnership.pk)
    assert (partnership.title, partnership.status) == ("Convention", "completed")
    assert list(partnership.partners.all()) == [partner]
    assert list(partnership.axes.all()) == [axis]
    assert list(partnership.needs.all()) == [need_a]


@pytest.mark.django_db
def test_new_partnership_without_partners_is_refused(region_a, official_a):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as info:
        partnership_save(region=region_a, by=official_a, data=PartnershipInput(title="Convention", objective="Y"))
    assert info.value.message_dict["partners"] == ["Choose at least one partner."]
    assert Partnership.objects.count() == 0


@pytest.mark.django_db
def test_study_update_without_regions_keeps_them(coordinator, region_a, region_b):
    study = study_save(
        by=coordinator, data=StudyInput(title="Étude", authors="A", year=2021, regions=[region_a, region_b])
    )
    study_save(by=coordinator, data=StudyInput(year=2022), study=study)
    study = Study.objects.get(pk=study.pk)
    assert (study.title, study.year) == ("Étude", 2022)
    assert set(study.regions.values_list("code", flat=True)) == {region_a.code, region_b.code}


@pytest.mark.django_db
def test_meeting_save_takes_stakeholders_as_a_field_or_a_keyword_but_not_both(region_a, official_a):
    first, second = StakeholderFactory(region=region_a), StakeholderFactory(region=region_a)
    start = dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)
    meeting = meeting_save(
        region=region_a,
        by=official_a,
        data=MeetingInput(title="Comité", starts_at=start, ends_at=start + dt.timedelta(hours=2), stakeholders=[first]),
    )
    meeting_save(region=region_a, by=official_a, data={"title": "Comité 2"}, meeting=meeting, stakeholders=[second])
    assert list(ConsultationMeeting.objects.get(pk=meeting.pk).stakeholders.all()) == [second]
    with pytest.raises(TypeError, match="given twice"):
        meeting_save(
            region=region_a, by=official_a, data={"stakeholders": [first]}, meeting=meeting, stakeholders=[second]
        )
    assert list(meeting.stakeholders.all()) == [second]
