import re

import pytest

pytestmark = pytest.mark.django_db

HEADINGS = {
    "ar": "جسور بين مغاربة العالم والجهات",
    "fr": "Des ponts entre les Marocains du monde et les régions",
    "en": "Bridges between Moroccans abroad and the regions",
}
NOT_FOUND = {"ar": "الصفحة غير موجودة", "fr": "Page introuvable", "en": "Page not found"}


def _html_tag(content: str) -> str:
    return re.search(r"<html[^>]*>", content).group(0)


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("fr", "ltr"), ("en", "ltr")])
def test_home_is_translated_with_direction(client, territories, language, direction):
    response = client.get(f"/{language}/")
    content = response.content.decode()
    assert response.status_code == 200
    assert _html_tag(content) == f'<html lang="{language}" dir="{direction}">'
    assert f"<h1>{HEADINGS[language]}</h1>" in content


def test_root_redirects_to_a_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 302
    assert response["Location"] == "/ar/"


def test_home_lists_the_pilot_regions_in_arabic(client, territories):
    content = client.get("/ar/").content.decode()
    for name in ("الشرق", "بني ملال-خنيفرة", "سوس-ماسة"):
        assert name in content


def test_region_list_shows_twelve_regions(client, territories, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/fr/regions/")
    assert response.status_code == 200
    assert len(response.context["regions"]) == 12
    assert response.context["regions"][4].province_count == 5


def test_region_detail_lists_provinces(client, territories, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = client.get("/en/regions/09/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Souss-Massa" in content
    assert "Pilot region" in content
    assert len(response.context["provinces"]) == 6


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_unknown_region_is_a_translated_404(client, territories, language):
    response = client.get(f"/{language}/regions/99/")
    assert response.status_code == 404
    assert NOT_FOUND[language] in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/xx/",
        "/de/regions/",
        "/fr/regions/%00/",
        "/fr/regions/" + "9" * 3000 + "/",
        "/fr/nowhere/",
        "/fr/regions/05/x/",
    ],
)
def test_bad_paths_are_404_not_500(client, territories, path):
    assert client.get(path).status_code == 404


def test_set_language_switches_and_keeps_the_page(client, territories):
    response = client.post("/fr/i18n/setlang/", {"language": "ar", "next": "/fr/regions/05/"})
    assert response.status_code == 302
    assert response["Location"] == "/ar/regions/05/"


def test_nul_byte_in_query_is_a_translated_400(client, territories):
    response = client.get("/ar/regions/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert "طلب غير صالح" in response.content.decode()


def test_arabic_plurals_use_arabic_forms(client, territories):
    content = client.get("/ar/").content.decode()
    assert "5 أقاليم وعمالات" in content  # Béni Mellal-Khénifra: 5 provinces (Arabic plural form 3)
    assert "provinces" not in content


def test_nul_byte_in_an_api_query_is_a_json_400(client):
    response = client.get("/api/v1/regions/", {"search": "a\x00b"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert response.json() == {
        "error": {"code": "invalid", "message": "La requête contient un caractère NUL, qui ne peut pas être traité."}
    }


@pytest.mark.parametrize("path", ["/api/v1", "/api/v2/regions/", "/api/", "/api"])
def test_unknown_api_addresses_are_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
