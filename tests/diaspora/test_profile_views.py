import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from diaspora.forms import CV_MAX_BYTES
from diaspora.models import ExpertProfile
from portal.enums import EngagementFormat, Language, LanguageLevel, SkillLevel, WorkMode
from regions.models import Province
from taxonomy.models import Skill
from tests.diaspora.factories import ExpertProfileFactory

pytestmark = pytest.mark.django_db

ABOUT = {
    "display_name": "Salma Amrani",
    "birth_year": "1988",
    "phone": "+33 6 11 22 33 44",
    "country_of_residence": "FR",
    "city": "Lyon",
    "origin_region": "",
    "origin_province": "",
    "origin_commune": "",
    "bio": "Ingénieure en irrigation.",
}


def edit_url(step, lang="fr"):
    return f"/{lang}/diaspora/me/edit/{step}/"


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_anonymous_is_sent_to_sign_in_and_sees_nothing_personal(client, member_profile):
    for url in [edit_url("about"), "/fr/diaspora/me/", "/fr/diaspora/me/consent/", "/fr/diaspora/me/privacy/export/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/fr/accounts/login/")


def test_member_creates_the_profile_step_by_step(client_for, member, territories, skills):
    client = client_for(member)
    province = Province.objects.filter(region__code="05").order_by("code").first()
    commune = province.communes.order_by("code").first()

    about = client.post(
        edit_url("about"),
        ABOUT | {"origin_region": province.region_id, "origin_province": province.pk, "origin_commune": commune.pk},
    )
    profile = ExpertProfile.objects.get(user=member)
    skills_step = client.post(
        edit_url("skills"),
        {
            **management("skills", 2),
            "skills-0-skill": skills[0].pk,
            "skills-0-query": skills[0].label,
            "skills-0-level": SkillLevel.EXPERT,
            "skills-0-years": "12",
            "skills-1-skill": "",
            "skills-1-query": "",
            "skills-1-level": SkillLevel.BASIC,
            "skills-1-years": "0",
            **management("languages", 2),
            "languages-0-language": Language.AR,
            "languages-0-level": LanguageLevel.NATIVE,
            "languages-1-language": Language.FR,
            "languages-1-level": LanguageLevel.C2,
            "sectors": [skills[0].sector_id] if skills[0].sector_id else [],
        },
    )
    offer = client.post(
        edit_url("offer"),
        {
            "formats": [EngagementFormat.REMOTE_ADVICE, EngagementFormat.MENTORING],
            "work_mode": WorkMode.REMOTE,
            "hours_per_month": "10",
            "available_from": "2027-01-01",
            "available_until": "2027-06-30",
        },
    )
    background = client.post(
        edit_url("background"),
        {
            **management("experience", 1),
            "experience-0-title": "Ingénieure hydraulique",
            "experience-0-organisation": "Suez",
            "experience-0-start_year": "2012",
            "experience-0-end_year": "",
            "experience-0-description": "",
            **management("education", 1),
            "education-0-degree": "Diplôme d'ingénieur",
            "education-0-institution": "IAV Hassan II",
            "education-0-field": "Génie rural",
            "education-0-year": "2011",
        },
    )

    assert [r.status_code for r in (about, skills_step, offer, background)] == [302, 302, 302, 302]
    assert about["Location"] == edit_url("skills")
    assert background["Location"] == "/fr/diaspora/me/consent/"
    profile.refresh_from_db()
    assert (profile.display_name, profile.birth_year, profile.city, profile.country_of_residence.code) == (
        "Salma Amrani",
        1988,
        "Lyon",
        "FR",
    )
    assert (profile.origin_region_id, profile.origin_province_id, profile.origin_commune_id) == (
        province.region_id,
        province.pk,
        commune.pk,
    )
    assert list(profile.skills.values_list("skill_id", "level", "years")) == [(skills[0].pk, SkillLevel.EXPERT, 12)]
    assert sorted(profile.languages.values_list("language", "level")) == [
        (Language.AR, LanguageLevel.NATIVE),
        (Language.FR, LanguageLevel.C2),
    ]
    assert sorted(profile.formats.values_list("format", flat=True)) == ["mentoring", "remote_advice"]
    assert (profile.work_mode, profile.hours_per_month, str(profile.available_until)) == ("remote", 10, "2027-06-30")
    assert list(profile.experiences.values_list("title", "start_year")) == [("Ingénieure hydraulique", 2012)]
    assert list(profile.education.values_list("degree", "year")) == [("Diplôme d'ingénieur", 2011)]
    # No purpose is ever pre-ticked.
    assert (profile.consent_matching, profile.consent_contact, profile.consent_partner_sharing) == (False, False, False)


def test_skill_typed_without_choosing_is_resolved_by_search(client_for, member_profile, taxonomy):
    client = client_for(member_profile.user)
    response = client.post(
        edit_url("skills"),
        {
            **management("skills", 1),
            "skills-0-skill": "",
            "skills-0-query": "irrigation",
            "skills-0-level": "3",
            "skills-0-years": "2",
            **management("languages", 0),
        },
    )
    assert response.status_code == 302
    assert member_profile.skills.count() == 1


def test_bad_about_input_is_explained_and_kept(client_for, member_profile):
    before = ExpertProfile.objects.filter(pk=member_profile.pk).values().get()
    client = client_for(member_profile.user)
    future = timezone.now().year + 1

    response = client.post(
        edit_url("about"), ABOUT | {"display_name": "x" * 10_000, "birth_year": str(future), "city": "Rotterdam"}
    )

    content = response.content.decode()
    assert response.status_code == 400
    assert "Assurez-vous que cette valeur comporte au plus 120 caractères (actuellement 10000)." in content
    assert "L’année de naissance ne peut pas être dans le futur" in content
    assert 'value="Rotterdam"' in content  # what was entered is still there
    assert ExpertProfile.objects.filter(pk=member_profile.pk).values().get() == before  # nothing half-saved


def test_script_in_bio_is_stored_as_text_and_shown_escaped(client_for, member_profile):
    client = client_for(member_profile.user)
    client.post(edit_url("about"), ABOUT | {"bio": "<script>alert('x')</script>"})

    page = client.get("/fr/diaspora/me/").content.decode()

    member_profile.refresh_from_db()
    assert member_profile.bio == "<script>alert('x')</script>"
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_unknown_skill_id_is_refused_and_nothing_changes(client_for, member_profile, skills):
    member_profile.skills.create(skill=skills[1], level=2, years=3)
    client = client_for(member_profile.user)

    response = client.post(
        edit_url("skills"),
        {
            **management("skills", 1),
            "skills-0-skill": "999999999",
            "skills-0-query": "Nothing",
            "skills-0-level": "3",
            "skills-0-years": "2",
            **management("languages", 1),
            "languages-0-language": "fr",
            "languages-0-level": "6",
        },
    )

    assert response.status_code == 400
    assert "Compétence inconnue : choisissez-la parmi les suggestions." in response.content.decode()
    assert 'value="Nothing"' in response.content.decode()
    assert list(member_profile.skills.values_list("skill_id", flat=True)) == [skills[1].pk]
    assert member_profile.languages.count() == 0


def offer_post(client, cv):
    return client.post(
        edit_url("offer"),
        {"formats": ["call"], "work_mode": "both", "hours_per_month": "7", "cv_upload": cv},
    )


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00 not a pdf",
        # Issue 14: a PDF header followed by a web page passed the old first-kilobyte check.
        b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n",
    ],
)
def test_non_pdf_cv_is_refused_by_its_content_even_named_pdf(client_for, member_profile, content):
    client = client_for(member_profile.user)
    fake = SimpleUploadedFile("cv.pdf", content, content_type="application/pdf")

    response = offer_post(client, fake)

    member_profile.refresh_from_db()
    assert response.status_code == 400
    assert "Seuls les documents PDF sont acceptés." in response.content.decode()
    assert 'value="7"' in response.content.decode()
    assert not member_profile.cv
    assert member_profile.hours_per_month == 8  # unchanged: nothing half-saved


def test_oversized_cv_is_refused(client_for, member_profile):
    client = client_for(member_profile.user)
    big = SimpleUploadedFile("cv.pdf", b"%PDF-1.4\n" + b"0" * CV_MAX_BYTES, content_type="application/pdf")

    response = offer_post(client, big)

    member_profile.refresh_from_db()
    assert response.status_code == 400
    assert "Ce fichier est trop volumineux (5,0\xa0Mio) ; la limite est de 5,0\xa0Mio." in response.content.decode()
    assert not member_profile.cv


def test_pdf_cv_is_stored_privately_with_a_random_name(client_for, member_profile, pdf_bytes, private_media):
    client = client_for(member_profile.user)

    response = offer_post(client, SimpleUploadedFile("Salma Amrani CV.pdf", pdf_bytes, content_type="application/pdf"))

    member_profile.refresh_from_db()
    assert response.status_code == 302
    assert member_profile.cv.name.startswith("cv/") and "Salma" not in member_profile.cv.name
    path = private_media / "private" / member_profile.cv.name
    assert path.read_bytes() == pdf_bytes
    assert client.get(f"/media/private/{member_profile.cv.name}").status_code == 404


def test_a_member_cannot_reach_another_members_profile(client_for, member_profile):
    other = ExpertProfileFactory(display_name="Other Person")
    client = client_for(other.user)

    page = client.get("/fr/diaspora/me/").content.decode()
    client.post(edit_url("about"), ABOUT | {"display_name": "Hijacked"})

    member_profile.refresh_from_db()
    assert "Salma Amrani" not in page
    assert member_profile.display_name == "Salma Amrani"
    other.refresh_from_db()
    assert other.display_name == "Hijacked"  # the form only ever edits one's own profile


def test_consent_page_records_choices_and_nothing_is_pre_ticked(client_for, member_profile):
    client = client_for(member_profile.user)
    page = client.get("/fr/diaspora/me/consent/").content.decode()
    assert "checked" not in page

    client.post("/fr/diaspora/me/consent/", {"matching": "on", "statistics": "on"})

    member_profile.refresh_from_db()
    assert (
        member_profile.consent_matching,
        member_profile.consent_contact,
        member_profile.consent_partner_sharing,
        member_profile.consent_statistics,
    ) == (True, False, False, True)
    assert member_profile.user.consent_records.count() == 2


def test_skill_autocomplete_returns_ids_and_labels_in_the_page_language(client, taxonomy):
    response = client.get(reverse("diaspora:skill_autocomplete"), {"q": "irrigation"}, HTTP_ACCEPT_LANGUAGE="fr")
    results = response.json()["results"]
    assert response.status_code == 200
    assert results and set(results[0]) == {"id", "label"}
    assert client.get(reverse("diaspora:skill_autocomplete"), {"q": "a"}).json() == {"results": []}


def test_skill_autocomplete_kind_skill_leaves_out_skill_groups(client, taxonomy):
    group = Skill.objects.filter(concept_type="group").order_by("pk").first()
    url = reverse("diaspora:skill_autocomplete")

    everything = [row["id"] for row in client.get(url, {"q": group.labels["fr"]}).json()["results"]]
    skills_only = [row["id"] for row in client.get(url, {"q": group.labels["fr"], "kind": "skill"}).json()["results"]]

    assert group.pk in everything
    assert group.pk not in skills_only
    assert not Skill.objects.filter(pk__in=skills_only, concept_type="group").exists()


def test_unknown_step_is_404(client_for, member_profile):
    assert client_for(member_profile.user).get(edit_url("nope")).status_code == 404


def test_profile_pages_render_for_every_step(client_for, member_profile):
    client = client_for(member_profile.user)
    for step in ["about", "skills", "offer", "background"]:
        assert client.get(edit_url(step, "ar")).status_code == 200
    assert client.get("/ar/diaspora/me/").status_code == 200


def test_profile_step_requires_an_about_step_first(client_for, member):
    response = client_for(member).get(edit_url("skills"))
    assert response.status_code == 302
    assert response["Location"] == edit_url("about")


def test_non_member_user_cannot_be_anonymous_client():
    assert Client().get("/fr/diaspora/me/privacy/").status_code == 302


def test_commune_options_follow_the_province(client, territories):
    province = Province.objects.order_by("code").first()
    results = client.get("/fr/diaspora/communes/", {"province": province.pk}).json()["results"]
    assert [r["id"] for r in results] == list(province.communes.order_by("code").values_list("pk", flat=True))
    assert client.get("/fr/diaspora/communes/", {"province": "x"}).json() == {"results": []}
