"""Open redirects: no page sends a visitor off-site, whatever `next` (or any of its cousins) says,
on the pages that take it on purpose (sign-in, sign-out, language switch, the admin's sign-in)
and on every other page of the walk."""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.conftest import html_targets
from tests.security.targets import actor_for

pytestmark = pytest.mark.django_db

EVIL = [
    "https://evil.example",
    "//evil.example",
    "/\\evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "\\\\evil.example",
    "/\t/evil.example",
    "http://testserver@evil.example/",
    "https://evil.example%2F@testserver/",
]
PARAMETERS = ("next", "redirect_to", "url", "return", "return_to", "success_url", "goto")
PASSWORD = "correct horse battery"  # tests/factories.py


def is_offsite(location: str) -> bool:
    """True unless a browser would stay on this site: a path (not `//host`, nor `/\\host`,
    which browsers read as `//host`), or an absolute http(s) URL of this host."""
    if not location:
        return False
    if any(c in location for c in "\r\n\t\\"):
        return True
    if location.startswith("/") and not location.startswith("//"):
        return False
    parts = urlsplit(location)
    return not (parts.scheme in ("http", "https") and parts.netloc == "testserver")


def test_is_offsite_knows_the_tricks():
    assert [is_offsite(p) for p in EVIL] == [True] * len(EVIL)
    assert not is_offsite("/fr/regions/")
    assert not is_offsite("http://testserver/fr/")
    assert not is_offsite("")


@pytest.mark.parametrize("evil", EVIL)
def test_sign_in_never_sends_off_site(evil, world):
    member = world.users["member_a"]
    response = Client().post(reverse("login"), {"username": member.email, "password": PASSWORD, "next": evil})
    assert response.status_code == 302  # signed in
    assert not is_offsite(response["Location"]), response["Location"]


def test_sign_in_follows_a_next_on_this_site(world):
    """Positive control: a `next` of this site is followed."""
    member = world.users["member_a"]
    response = Client().post(
        reverse("login"), {"username": member.email, "password": PASSWORD, "next": "/fr/regions/05/roadmap/"}
    )
    assert response["Location"] == "/fr/regions/05/roadmap/"


@pytest.mark.parametrize("evil", EVIL)
def test_sign_out_never_sends_off_site(evil, clients):
    response = clients["member_a"].post(reverse("logout"), {"next": evil})
    assert response.status_code == 302
    assert not is_offsite(response["Location"]), response["Location"]


@pytest.mark.parametrize("evil", EVIL)
def test_the_language_switch_never_sends_off_site(evil, clients):
    client = clients["anonymous"]
    for response in (
        client.post(reverse("set_language"), {"language": "en", "next": evil}),
        client.post(reverse("set_language"), {"language": "en"}, headers={"referer": evil}),
        client.get(reverse("set_language") + "?next=" + evil),
    ):
        if response.status_code in (301, 302, 303, 307, 308):
            assert not is_offsite(response["Location"]), response["Location"]


def test_the_language_switch_follows_a_next_on_this_site(clients):
    response = clients["anonymous"].post(reverse("set_language"), {"language": "en", "next": "/fr/regions/"})
    assert response["Location"] == "/en/regions/"


@pytest.mark.parametrize("evil", EVIL[:5])
def test_the_admin_sign_in_never_sends_off_site(evil, clients):
    response = clients["official_b"].get(reverse("admin:index") + "?next=" + evil)
    assert response.status_code == 302
    assert not is_offsite(response["Location"])
    response = clients["anonymous"].post(reverse("admin:login"), {"username": "x", "password": "y", "next": evil})
    assert response.status_code in (200, 403)  # wrong password: the form again, no redirect


def test_no_page_redirects_off_site(world, clients):
    """Every page of the walk, as the persona who may use it: a page that redirects when its
    redirect-like parameters name a page of this site is then given each trick in all of them,
    and must stay on this site (pages that never redirect cannot be tricked into it)."""
    failures = []
    redirecting = 0
    for route, url, variant in html_targets(world):
        client = clients[(variant.actor if variant else None) or actor_for(route.name)]
        benign = client.get(url, dict.fromkeys(PARAMETERS, "/fr/regions/"))
        if benign.status_code not in (301, 302, 303, 307, 308):
            continue
        redirecting += 1
        for evil in EVIL:
            response = client.get(url, dict.fromkeys(PARAMETERS, evil))
            if response.status_code in (301, 302, 303, 307, 308) and is_offsite(response["Location"]):
                failures.append((url, evil, response["Location"]))
    assert failures == [], "\n".join(map(str, failures))
    assert redirecting > 0  # the walk met redirecting pages (the officials' landing pages, profile steps)
