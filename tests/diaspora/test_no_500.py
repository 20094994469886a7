"""Garbage in any field of the diaspora forms and filters gives a 4xx or a redisplayed form,
never a 500, and never a half-saved profile."""

import pytest
from axes.models import AccessAttempt

from diaspora.models import ExpertProfile

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


@pytest.mark.parametrize(
    ("step", "data"),
    [
        ("about", {"display_name": "", "country_of_residence": "ZZ", "birth_year": "-5"}),
        ("about", {"display_name": "A", "country_of_residence": "FR", "birth_year": HUGE, "origin_province": "abc"}),
        ("about", {"display_name": "A", "country_of_residence": "FR", "origin_commune": HUGE, "origin_region": "-1"}),
        ("skills", {"skills-TOTAL_FORMS": "1", "skills-INITIAL_FORMS": "0", "skills-0-skill": HUGE}),
        ("skills", {"skills-TOTAL_FORMS": "100000", "skills-INITIAL_FORMS": "0"}),
        ("skills", {}),
        (
            "skills",
            {
                "skills-TOTAL_FORMS": "1",
                "skills-INITIAL_FORMS": "0",
                "skills-0-skill": "-3",
                "skills-0-level": "99",
                "skills-0-years": "x",
                "languages-TOTAL_FORMS": "1",
                "languages-INITIAL_FORMS": "0",
                "languages-0-language": "klingon",
                "languages-0-level": "0",
                "sectors": ["abc", HUGE],
            },
        ),
        ("offer", {"work_mode": "teleport", "hours_per_month": HUGE, "available_from": "2027-13-45", "formats": ["x"]}),
        (
            "offer",
            {
                "work_mode": "both",
                "hours_per_month": "5",
                "available_from": "2027-06-01",
                "available_until": "2027-01-01",
            },
        ),
        (
            "background",
            {"experience-TOTAL_FORMS": "1", "experience-INITIAL_FORMS": "0", "experience-0-start_year": HUGE},
        ),
    ],
)
def test_garbage_in_profile_steps_is_a_400_and_nothing_changes(client_for, member_profile, step, data):
    before = ExpertProfile.objects.filter(pk=member_profile.pk).values().get()

    response = client_for(member_profile.user).post(f"/fr/diaspora/me/edit/{step}/", data)

    assert response.status_code == 400
    assert ExpertProfile.objects.filter(pk=member_profile.pk).values().get() == before
    assert member_profile.skills.count() == 0


@pytest.mark.parametrize(
    "query",
    [
        {"skill_id": HUGE},
        {"skill_id": "-1", "sector": HUGE, "origin_region": "x"},
        {"language": "xx", "engagement_format": "nope", "country": "<script>"},
        {"page": HUGE},
        {"q": "x" * 5000},
    ],
)
def test_garbage_in_expert_filters_never_fails(client_for, coordinator, query):
    response = client_for(coordinator).get("/fr/diaspora/experts/", query)
    assert response.status_code == 200


def test_garbage_in_autocomplete_and_verification_never_fails(client):
    assert client.get("/fr/diaspora/skills/search/", {"q": "%" * 500}).status_code == 200
    assert client.get("/fr/diaspora/verify/" + "x" * 300 + "/").status_code == 400
    assert client.post("/fr/diaspora/signup/", {"email": "a" * 300 + "@example.org"}).status_code == 200
    assert client.post("/fr/diaspora/password-reset/", {"email": "not an e-mail"}).status_code == 200


def test_sign_in_with_an_over_long_address_is_refused_before_it_is_logged(client):
    response = client.post("/en/diaspora/login/", {"username": "a" * 300 + "@example.org", "password": "x"})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["username"]
    assert "Ensure this value has at most 254 characters" in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_admin_sign_in_with_an_over_long_name_is_a_plain_failure(client):
    # The admin's form has no length check of ours: axes' record is cut to its column instead.
    response = client.post("/fr/admin/login/", {"username": "b" * 300 + "@example.org", "password": "x"})

    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == ("b" * 300)[:255]
