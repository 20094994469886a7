"""Issue 14, item 8: a strict Content-Security-Policy on every page (nothing inline: no script
without a nonce, no style block, no style or event-handler attribute), Permissions-Policy, and
no-store wherever a response may hold personal data."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from portal.enums import Role
from regions.models import Region
from tests.auth import force_login_verified
from tests.dashboards.conftest import build_region
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
STYLE_BLOCK = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
# Data blocks (the admin's JSON) are never executed: CSP does not govern them.
DATA_SCRIPT = re.compile(r"""type=["']?application/(ld\+)?json""", re.IGNORECASE)


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def assert_strict_page(response):
    assert response.status_code == 200, response.status_code
    directives = _directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    for source in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in directives[source] and "'unsafe-eval'" not in directives[source]
        assert not any(host.startswith(("http", "*")) for host in directives[source])
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    html = response.content.decode()
    nonce = next((s[len("'nonce-") : -1] for s in directives["script-src"] if s.startswith("'nonce-")), None)
    for attributes in SCRIPT_TAG.findall(html):
        inline = "src=" not in attributes and not DATA_SCRIPT.search(attributes)
        assert not inline or (nonce and f'nonce="{nonce}"' in attributes), f"inline script: <script{attributes}>"
    assert not STYLE_BLOCK.search(html), "a <style> block"
    assert not STYLE_ATTRIBUTE.search(html), STYLE_ATTRIBUTE.search(html).group()
    assert not EVENT_ATTRIBUTE.search(html), EVENT_ATTRIBUTE.search(html).group()
    return html


def _signed_in(user) -> Client:
    return force_login_verified(Client(), user)  # officials and staff have passed their second factor


@pytest.mark.parametrize(
    "path",
    [
        "/fr/",
        "/ar/",
        "/fr/accounts/login/",
        "/fr/regions/",
        "/fr/regions/05/",
        "/en/regions/studies/",
        "/fr/dashboards/open-data/",
    ],
)
def test_public_pages_are_strict(territories, path):
    assert_strict_page(Client().get(path))


def test_place_picker_loads_its_script_from_a_static_file(region_a, taxonomy):
    official = UserFactory(role=Role.OFFICIAL, regions=[region_a])
    member = UserFactory(role=Role.MEMBER)

    for client, path in (
        (_signed_in(member), "/fr/investment/projects/new/"),
        (_signed_in(official), "/fr/investment/opportunities/new/"),
    ):
        html = assert_strict_page(client.get(path))
        assert 'src="/static/js/place-picker.js"' in html


def test_dashboard_with_charts_is_strict(region_a, taxonomy):
    cache.clear()
    official = UserFactory(role=Role.OFFICIAL, regions=[region_a])
    build_region(Region.objects.get(code="05"), experts=3, needs=2, owner=official)

    html = assert_strict_page(_signed_in(official).get("/fr/dashboards/region/05/"))

    assert "<svg" in html  # the charts are there, drawn without style attributes


@pytest.mark.parametrize("path", ["/fr/admin/", "/fr/admin/regions/study/add/", "/fr/admin/regions/roadmap/add/"])
def test_admin_pages_are_strict(territories, path):
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    assert_strict_page(_signed_in(admin).get(path))


def test_swagger_ui_has_no_inline_code():
    html = assert_strict_page(Client().get("/api/docs/"))
    assert "?script=" in html or "&script=" in html  # its init script comes from its own URL


def test_redoc_uses_a_nonce_and_no_font_or_cdn_host():
    response = Client().get("/api/redoc/")

    html = assert_strict_page(response)
    nonce = next(s for s in _directives(response)["style-src"] if s.startswith("'nonce-"))[len("'nonce-") : -1]
    assert f'<script src="/static/js/redoc-init.js" nonce="{nonce}">' in html
    assert "googleapis" not in html and "gstatic" not in html and "https://" not in html


def test_pages_of_a_signed_in_user_and_the_api_are_not_stored(member):
    for response in (
        _signed_in(member).get("/fr/"),
        _signed_in(member).get("/fr/diaspora/me/privacy/"),
        Client().get("/api/v1/regions/"),
        Client().get("/api/schema/"),
    ):
        assert "no-store" in response["Cache-Control"], response.request["PATH_INFO"]
        assert "Permissions-Policy" in response


def test_anonymous_public_pages_may_be_cached(territories):
    assert "no-store" not in Client().get("/fr/regions/").get("Cache-Control", "")


@pytest.mark.parametrize(
    ("role", "paths"),
    [
        (
            Role.MEMBER,
            [
                "/fr/diaspora/me/",
                "/ar/diaspora/me/edit/about/",
                "/fr/diaspora/me/edit/skills/",
                "/fr/diaspora/me/edit/offer/",
                "/fr/diaspora/me/privacy/",
                "/fr/matching/invitations/",
            ],
        ),
        (
            Role.OFFICIAL,
            [
                "/fr/regions/manage/",
                "/fr/regions/05/roadmaps/new/",
                "/fr/regions/studies/new/",
                "/fr/regions/05/meetings/new/",
                "/fr/diaspora/experts/",
                "/fr/investment/",
            ],
        ),
    ],
)
def test_signed_in_persona_pages_are_strict(region_a, taxonomy, role, paths):
    user = UserFactory(role=role, regions=[region_a] if role == Role.OFFICIAL else [])
    client = _signed_in(user)
    for path in paths:
        response = client.get(path)
        if response.status_code == 302:  # a wizard step that sends the member elsewhere first
            response = client.get(response["Location"])
        assert response.status_code == 200, path
        assert_strict_page(response)
        assert "no-store" in response["Cache-Control"]
