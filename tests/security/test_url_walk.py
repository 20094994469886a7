"""Every route of the URL conf, attacked: IDOR across regions and members, CSRF on every
state-changing request, open redirects. The routes come from walking the URL conf, so a new
view is attacked the day it is added (or breaks test_every_route_is_mapped until it is).

Each attack has its positive control: the same request by side A does what side B must not
(test_side_a_can_do_what_side_b_cannot, test_a_csrf_token_lets_the_request_through), so no
check passes only because the request was malformed."""

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.middleware.csrf import get_token
from django.test import Client
from django.urls import reverse

from tests.auth import force_login_verified
from tests.security.conftest import B_PERSONAS, HTML_ROUTES, ROUTES, html_targets, rolled_back
from tests.security.routes import CSRF_REFUSED_HEADER, body_of, changed_tables, writes
from tests.security.targets import ADMIN_VALUES, API_VALUES, TARGETS, actor_for
from tests.security.world import MARKER

pytestmark = pytest.mark.django_db

UNSAFE = ("post", "put", "patch", "delete")
# What a page that refuses side B answers: not found, forbidden, method not allowed, a bad
# link (forged tokens), or a redirect (to the sign-in page, or away after a refused action).
REFUSED = {302, 400, 403, 404, 405}


# --- the walk itself -------------------------------------------------------------------------


def test_the_walk_finds_the_site_the_api_and_the_admin():
    names = {r.name for r in ROUTES}
    assert {"regions:need_detail", "projects:project_document", "partners:apitoken_revoke"} <= names
    assert "admin:index" in names
    assert any(r.is_api and r.name == "need-detail" for r in ROUTES)
    # Every page lives under a language prefix: the walk went through i18n_patterns.
    # (Health probes and /metrics are not pages: no language prefix.)
    unprefixed = {r.name for r in HTML_ROUTES if not re.match(r"^[a-z]{2}/", r.pattern)}
    assert unprefixed == {"healthz", "healthz-live", "healthz-ready", "metrics"}


def test_every_route_is_mapped(world):
    """A pattern that captures an argument no table maps fails here: map it in targets.py."""
    unmapped = []
    for route in ROUTES:
        if route.is_api:
            unmapped += [(route.pattern, k) for k in route.kwargs if k not in API_VALUES]
        elif route.is_admin:
            unmapped += [(route.name, k) for k in route.kwargs if k not in ADMIN_VALUES and k != "app_label"]
        elif route.name is None:
            unmapped.append((route.pattern, "unnamed page: name it so that it can be walked"))
        elif route.kwargs:
            variants = TARGETS.get(route.name)
            if not variants:
                unmapped.append((route.name, route.kwargs))
                continue
            for variant in variants:
                kwargs = variant.kwargs(world)
                if set(kwargs) != set(route.kwargs):
                    unmapped.append((route.name, sorted(kwargs), route.kwargs))
    assert unmapped == []
    assert set(TARGETS) <= {r.name for r in HTML_ROUTES}, "targets.py names a route that no longer exists"


# --- IDOR ------------------------------------------------------------------------------------


# Officials of every region browse the experts who agreed to be matched (diaspora:expert_list):
# what that list shows of expert A is not a leak when an official of region B reads it.
SEEN_BY_EVERY_OFFICIAL = {f"{MARKER}-expert-a", f"{MARKER}-city"}


def _leaks(response, persona: str = "") -> list[str]:
    found = set(re.findall(MARKER + r"[\w.+-]*", body_of(response) + response.get("Location", "")))
    if persona == "official_b":
        found -= SEEN_BY_EVERY_OFFICIAL
    return sorted(found)


@pytest.mark.parametrize("persona", B_PERSONAS)
def test_side_b_reads_nothing_private_of_side_a(persona, world, clients):
    client = clients[persona]
    failures = []
    for _route, url, variant in html_targets(world):
        before = writes()
        response = client.get(url)
        if changed := changed_tables(before, writes()):
            failures.append((url, response.status_code, "a GET wrote", changed))  # 3.5.3: no state change on GET
        if response.status_code >= 500 or _leaks(response, persona):
            failures.append((url, response.status_code, _leaks(response, persona) or "error"))
        elif variant is not None and not variant.public and response.status_code not in REFUSED:
            failures.append((url, response.status_code, "not refused"))
    assert failures == [], "\n".join(map(str, failures))


def test_side_b_changes_nothing_of_side_a(world, clients, replay):
    """Side B posts what side A's own forms send (one world and one replay for all of B's
    personas: building them is most of this test's time)."""
    failures = []
    for _route, url, variant in html_targets(world):
        if variant is None or variant.callers_own:
            continue  # a page that names no object of A: what B writes there is B's own (their digest, profile)
        data = replay(url, variant)
        for persona in B_PERSONAS:
            with rolled_back():
                before = writes()
                response = clients[persona].post(url, data)
                changed = changed_tables(before, writes(), ignore=variant.own_tables)
            if response.status_code >= 500 or _leaks(response, persona) or changed:
                failures.append((persona, url, response.status_code, changed or _leaks(response, persona) or "error"))
    assert failures == [], "\n".join(map(str, failures))


def test_side_a_can_do_what_side_b_cannot(world, clients, replay):
    """The positive control of the two tests above: side A's actor reads each private page side
    B could not, and each write side B could not make (a form of A's pages posts to it, or the
    table gives its body) changes the world when A makes it."""
    failures = []
    writes_tested = 0
    for _route, url, variant in html_targets(world):
        if variant is None or variant.actor is None:
            continue
        client = clients[variant.actor]
        is_write = replay.has_form(url) or variant.data is not None
        if not variant.public and not is_write:
            response = client.get(url)
            html = "html" in response.get("Content-Type", "")
            if response.status_code != 200 or (html and MARKER not in body_of(response)):
                failures.append((url, "GET", response.status_code))
        if not is_write:
            continue
        writes_tested += 1
        with rolled_back():
            before = writes()
            response = client.post(url, replay(url, variant))
            changed = changed_tables(before, writes())
        if response.status_code >= 500 or (not variant.noop and not changed):
            failures.append((url, "POST", response.status_code, _first_error(response)))
    assert failures == [], "\n".join(map(str, failures))
    assert writes_tested >= 50


def _first_error(response) -> str:
    text = body_of(response)
    found = re.search(r'class="[^"]*error[^"]*"[^>]*>(.{0,160})', text, re.S)
    return found.group(1).strip() if found else response.get("Location", "")


# --- CSRF ------------------------------------------------------------------------------------


def _admin_url(route) -> str | None:
    labels = [a.label for a in apps.get_app_configs()]
    values = {k: ADMIN_VALUES[k][0] for k in route.kwargs if k in ADMIN_VALUES}
    for label in labels if "app_label" in route.kwargs else [None]:
        kwargs = values | ({"app_label": label} if label else {})
        try:
            return reverse(route.name, kwargs=kwargs)
        except Exception:  # noqa: BLE001, S112 - the next app label may match the pattern
            continue
    return None


def _csrf_targets(world):
    out = [
        (route, url, (variant.actor if variant and variant.actor else actor_for(route.name)))
        for route, url, variant in html_targets(world)
    ]
    for route in ROUTES:
        if route.is_admin and route.name and (url := _admin_url(route)):
            out.append((route, url, "official_a"))
    return out


def _csrf_client(world, persona) -> Client:
    client = Client(enforce_csrf_checks=True)
    force_login_verified(client, world.users[persona])
    return client


@pytest.fixture
def csrf_walk(settings):
    settings.CSRF_FAILURE_VIEW = "tests.security.routes.csrf_refused"


def test_every_page_refuses_a_state_change_without_csrf_token(world, csrf_walk):
    clients = {p: _csrf_client(world, p) for p in ("official_a", "member_a", "partner_a", "member_b")}
    failures = []
    for route, url, persona in _csrf_targets(world):
        # The admin's ~250 routes share one view wrapper: POST is enough there.
        for method in ("post",) if route.is_admin else UNSAFE:
            before = writes()
            response = getattr(clients[persona], method)(url)
            exempt = getattr(route.callback, "csrf_exempt", False)
            refused = response.status_code == 403 and response.get(CSRF_REFUSED_HEADER) == "1"
            if not (refused or (exempt and response.status_code == 405)) or changed_tables(before, writes()):
                failures.append((method.upper(), url, response.status_code))
    assert failures == [], "\n".join(map(str, failures))


def test_a_csrf_token_lets_the_request_through(world, csrf_walk):
    """The positive control: with the token, the CSRF check no longer answers."""
    client = _csrf_client(world, "official_a")
    token = _token(client)
    failures = []
    for _route, url, _persona in _csrf_targets(world)[::7]:  # a sample: the check is the middleware's
        with rolled_back():
            response = client.post(url, {"csrfmiddlewaretoken": token})
        if response.get(CSRF_REFUSED_HEADER):
            failures.append(url)
    assert failures == [], "\n".join(map(str, failures))


def _token(client) -> str:
    response = client.get(reverse("login"))
    return get_token(response.wsgi_request)


def _api_urls(world):
    urls = []
    for route in ROUTES:
        if not route.is_api:
            continue
        if route.name is None:
            urls.append("/api/v1/unknown/" if "v1" in route.pattern else "/api/unknown/")
            continue
        for candidate in range(3):
            kwargs = {k: API_VALUES[k][min(candidate, len(API_VALUES[k]) - 1)] for k in route.kwargs}
            try:
                urls.append(reverse(route.name, kwargs=kwargs))
                break
            except Exception:  # noqa: BLE001, S112 - try the next sample values
                continue
    return urls


@pytest.mark.parametrize("persona", ["official_a", "member_a", "partner_a"])
def test_the_api_refuses_session_writes_without_csrf_token(persona, world):
    """Session cookies ride along with any cross-site request: the API must not accept them for
    a write without the CSRF token (tokens in the Authorization header are not sent by browsers)."""
    client = _csrf_client(world, persona)
    token = _token(client)
    urls = _api_urls(world)
    assert len(urls) >= 40
    failures = []
    for url in urls:
        for method in UNSAFE:
            before = writes()
            response = getattr(client, method)(url, {}, content_type="application/json")
            changed = changed_tables(before, writes())
            refused = response.status_code == 403 and "CSRF" in body_of(response)
            if response.status_code == 403 and not refused:
                # The docs pages render DRF's refusal as the site's 403 page, without its text:
                # the same request with the token must then get past that refusal.
                with rolled_back():
                    again = getattr(client, method)(
                        url, {}, content_type="application/json", headers={"X-CSRFToken": token}
                    )
                refused = again.status_code != 403
            not_found = response.status_code == 404 and url.endswith("unknown/")
            if not (not_found or refused) or changed:
                failures.append((method.upper(), url, response.status_code, body_of(response)[:200]))
    assert failures == [], "\n".join(map(str, failures))


def test_the_api_with_a_csrf_token_answers_past_the_csrf_check(world):
    """Positive control: the same session write with the token reaches the scope check."""
    client = _csrf_client(world, "official_a")
    token = _token(client)
    response = client.post(
        "/api/v1/need-proposals/", {}, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 403
    assert "CSRF" not in response.json()["error"]["message"]


def test_no_view_of_ours_is_csrf_exempt():
    exempt = sorted(
        r.pattern
        for r in HTML_ROUTES
        if getattr(r.callback, "csrf_exempt", False) and not r.callback.__module__.startswith("django.")
    )
    assert exempt == []
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
