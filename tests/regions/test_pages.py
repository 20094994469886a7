import datetime as dt

import pytest
from django.utils import timezone

from regions.models import Need, NeedSkill
from tests.files import PDF

from .factories import MeetingFactory, NeedFactory, NeedSkillFactory, StakeholderFactory

pytestmark = pytest.mark.django_db


def _open_needs(roadmap, owner, count):
    axis = roadmap.axes.first()
    for _ in range(count):
        need = NeedFactory(axis=axis, owner=owner)
        NeedSkillFactory(need=need, essential=True)
        NeedSkillFactory(need=need)


@pytest.mark.parametrize("rows", [1, 50])
def test_public_region_need_list_has_constant_queries(
    client, roadmap_a, official_a, taxonomy, rows, django_assert_num_queries
):
    _open_needs(roadmap_a, official_a, rows)
    # region, the skill filter's choices, sectors, provinces, count, needs, their skills
    with django_assert_num_queries(7):
        response = client.get("/fr/regions/05/needs/")
    assert response.status_code == 200
    assert len(response.context["needs"]) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_national_need_list_has_constant_queries(
    client, roadmap_a, official_a, taxonomy, rows, django_assert_num_queries
):
    _open_needs(roadmap_a, official_a, rows)
    with django_assert_num_queries(7):
        response = client.get("/ar/regions/needs/")
    assert response.status_code == 200
    assert len(response.context["needs"]) == rows


def test_need_list_filters(client, roadmap_a, official_a, taxonomy):
    axis = roadmap_a.axes.first()
    remote = NeedFactory(axis=axis, owner=official_a, work_mode="remote", format="mentoring")
    on_site = NeedFactory(axis=axis, owner=official_a, work_mode="on_site", format="short_mission")
    link = NeedSkillFactory(need=remote)
    NeedSkillFactory(need=on_site)

    def titles(**params):
        return [n.title for n in client.get("/en/regions/05/needs/", params).context["needs"]]

    assert titles(remote="true") == [remote.title]
    assert titles(remote="false") == [on_site.title]
    assert titles(engagement_format="short_mission") == [on_site.title]
    assert titles(skill=link.skill_id) == [remote.title]
    assert titles(engagement_format="nonsense", province="99.999", skill="abc") == [on_site.title, remote.title]


def test_public_lists_hide_drafts_and_other_states(client, roadmap_a, official_a, draft_need_a, need_a):
    NeedFactory(axis=roadmap_a.axes.first(), owner=official_a, status="closed")
    response = client.get("/fr/regions/05/needs/")
    assert [n.pk for n in response.context["needs"]] == [need_a.pk]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        (None, 404),
        ("member", 404),
        ("official_b", 404),
        ("partner_user", 404),
        ("official_a", 200),
        ("coordinator", 200),
    ],
)
def test_draft_need_page_only_for_its_region(request, client, client_for, draft_need_a, persona, status):
    http = client_for(request.getfixturevalue(persona)) if persona else client
    assert http.get(f"/fr/regions/05/needs/{draft_need_a.pk}/").status_code == status


def test_need_page_under_another_region_code_is_404(client, need_a):
    assert client.get(f"/fr/regions/02/needs/{need_a.pk}/").status_code == 404


def test_member_expresses_interest_from_the_need_page(client_for, need_a, member):
    http = client_for(member)
    page = http.get(f"/fr/regions/05/needs/{need_a.pk}/").content.decode()
    assert 'id="express-interest"' in page
    response = http.post(f"/fr/regions/05/needs/{need_a.pk}/interest/", {"message": "Disponible en juin"})
    assert response.status_code == 302
    assert list(need_a.interests.values_list("user_id", "message")) == [(member.pk, "Disponible en juin")]
    page = http.get(f"/fr/regions/05/needs/{need_a.pk}/").content.decode()
    assert 'id="express-interest"' not in page


def test_anonymous_interest_goes_to_login_and_records_nothing(client, need_a):
    response = client.post(f"/fr/regions/05/needs/{need_a.pk}/interest/", {"message": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/accounts/login/")
    assert need_a.interests.count() == 0


def test_official_sees_interested_members_other_region_does_not(client_for, need_a, member, official_a, official_b):
    need_a.interests.create(user=member, message="Je peux aider")
    assert member.full_name in client_for(official_a).get(f"/fr/regions/05/needs/{need_a.pk}/").content.decode()
    assert member.full_name not in client_for(official_b).get(f"/fr/regions/05/needs/{need_a.pk}/").content.decode()


def test_region_page_shows_roadmap_needs_stakeholders_and_decisions(client, need_a, region_a, taxonomy):
    StakeholderFactory(
        region=region_a, name="Centre Régional d'Investissement Béni Mellal-Khénifra", kind="investment_centre"
    )
    meeting = MeetingFactory(region=region_a)
    meeting.decisions.create(region=region_a, title="Lancer un appel à experts en irrigation", axis=need_a.axis)
    content = client.get("/fr/regions/05/roadmap/").content.decode()
    assert need_a.roadmap.title in content
    assert need_a.title in content
    assert "Centre Régional d&#x27;Investissement Béni Mellal-Khénifra" in content
    assert "Lancer un appel à experts en irrigation" in content


def test_region_page_in_arabic_is_rtl_and_says_figures_not_available(client, region_a):
    from regions.models import Indicator

    Indicator.objects.create(
        key="remittances", year=2023, value=115.3, unit="billion MAD", source="Office des Changes", status="source"
    )
    content = client.get("/ar/regions/05/roadmap/").content.decode()
    assert '<html lang="ar" dir="rtl">' in content
    assert "غير متوفر" in content


def test_meeting_ics_download(client, region_a):
    meeting = MeetingFactory(
        region=region_a, title="Comité; régional, diaspora", starts_at=timezone.now() + dt.timedelta(days=3)
    )
    response = client.get(f"/fr/regions/05/meetings/{meeting.pk}/meeting.ics")
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="jusur-meeting-{meeting.pk}.ics"'
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert f"UID:meeting-{meeting.pk}@jusur\r\n" in body
    assert "SUMMARY;LANGUAGE=fr:Comité\\; régional\\, diaspora\r\n" in body
    assert f"DTSTART:{meeting.starts_at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}\r\n" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_old_roadmap_version_stays_readable(client, roadmap_a, official_a):
    from regions.services import roadmap_adopt, roadmap_new_version

    new = roadmap_new_version(roadmap=roadmap_a, by=official_a)
    assert client.get(f"/fr/regions/05/roadmaps/{new.version}/").status_code == 404  # a draft
    roadmap_adopt(roadmap=new, by=official_a)
    response = client.get(f"/fr/regions/05/roadmaps/{roadmap_a.version}/")
    assert response.status_code == 200
    assert response.context["roadmap"].status == "closed"


def test_unused_objects_are_not_leaked(client):
    assert Need.objects.count() == 0 and NeedSkill.objects.count() == 0


@pytest.mark.parametrize(
    "query",
    [
        {"skill": "9" * 30},
        {"province": "x" * 500, "sector": "ZZ", "region": "99"},
        {"remote": "maybe", "engagement_format": "<script>", "axis": "nope", "status": "bogus"},
        {"page": "-1"},
        {"page": "9999999"},
    ],
)
def test_need_list_bad_filters_never_500(client, need_a, query):
    assert client.get("/fr/regions/needs/", query).status_code == 200
    assert client.get("/ar/regions/05/needs/", query).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/fr/regions/05/needs/99999999999999999999/",
        "/fr/regions/05/roadmaps/0/",
        "/fr/regions/studies/0/",
        "/fr/regions/05/meetings/1/meeting.ics",
    ],
)
def test_unknown_objects_are_404(client, territories, path):
    assert client.get(path).status_code == 404


def test_study_search_with_bad_input_never_500(client, territories):
    assert client.get("/fr/regions/studies/", {"q": "x" * 5000, "region": "99", "page": "abc"}).status_code == 200


def test_study_pdf_and_roadmap_document_download(
    client, roadmap_a, official_a, coordinator, region_a, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from regions.services import roadmap_document_add, study_save

    settings.MEDIA_ROOT = tmp_path
    study = study_save(
        by=coordinator,
        data={
            "title": "Étude",
            "authors": "A",
            "year": 2022,
            "file": SimpleUploadedFile("etude.pdf", PDF),
            "regions": [region_a],
        },
    )
    document = roadmap_document_add(
        roadmap=roadmap_a,
        by=official_a,
        title="Délibération",
        language="fr",
        file=SimpleUploadedFile("deliberation.pdf", PDF),
    )
    response = client.get(f"/fr/regions/studies/{study.pk}/file/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == f'attachment; filename="jusur-study-{study.pk}.pdf"'
    response = client.get(f"/fr/regions/05/roadmaps/{roadmap_a.version}/documents/{document.pk}/")
    assert b"".join(response.streaming_content) == PDF
    assert client.get(f"/fr/regions/02/roadmaps/{roadmap_a.version}/documents/{document.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("etude.pdf", PDF, True),
        ("etude.pdf", b"MZ\x90\x00 not a pdf", False),
        ("etude.txt", PDF, True),
    ],
)
def test_study_file_is_checked_by_content_not_name(region_a, name, content, accepted):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from regions.forms import StudyForm
    from regions.models import Region

    form = StudyForm(
        data={"title": "Étude", "authors": "A", "year": 2022, "regions": [region_a.pk], "language": "fr"},
        files={"file": SimpleUploadedFile(name, content)},
        regions=Region.objects.filter(pk=region_a.pk),
    )
    form.is_valid()
    assert ("file" not in form.errors) is accepted
