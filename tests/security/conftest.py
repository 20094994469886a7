"""One world per test of the walks (built in ~1 s), its personas' clients, and the forms side A's
pages show, replayed by side B."""

import re
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.auth import force_login_verified
from tests.security.routes import forms_of, walk
from tests.security.targets import TARGETS
from tests.security.world import MARKER, build_world

B_PERSONAS = ["official_b", "member_b", "partner_b", "anonymous"]
ROUTES = walk()
HTML_ROUTES = [r for r in ROUTES if not r.is_api and not r.is_admin]

# Values typed into the empty fields of a replayed form, by input type.
FILL = {
    "text": "Zq valeur",
    "textarea": "Zq texte",
    "search": "Zq",
    "date": "2026-01-15",
    "datetime-local": "2026-01-15T10:00",
    "time": "10:00",
    "number": "1",
    "email": "zq@example.org",
    "url": "https://example.org/zq",
    "tel": "+212600000000",
}


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Uploads in a folder of this test; throttle and lockout counters reset (Redis does not roll back)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(territories, taxonomy):
    return build_world()


@pytest.fixture
def clients(world):
    """persona name -> a test client signed in as that persona (CSRF not enforced)."""
    out = {}
    for persona, user in world.users.items():
        client = Client()
        if user is not None:
            force_login_verified(client, user)
        out[persona] = client
    return out


@contextmanager
def rolled_back():
    """Run a request inside a savepoint that is always rolled back: each attack starts from the same world."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def variants_of(route, world):
    """[(url, variant)] of a route: its mapped variants, or its one URL when it captures nothing."""
    if not route.kwargs:
        return [(reverse(route.name), None)]
    return [(reverse(route.name, kwargs=v.kwargs(world)), v) for v in TARGETS[route.name]]


def html_targets(world):
    """Every (route, url, variant) of the site's pages, the admin and the API apart."""
    out = []
    for route in HTML_ROUTES:
        for url, variant in variants_of(route, world):
            out.append((route, url, variant))
    return out


# Free-text fields a replayed form edits, so that a successful write changes its row.
EDITED = re.compile(
    r"(^|-)(title|name|description|summary|agenda|objective|bio|display_name|message|note|body|abstract|place|city|"
    r"authors|organisation|incentives|contact_office|results|minutes|follow_up_note|full_name)$"
)


def _form_data(fields) -> dict:
    data: dict[str, list] = {}
    for name, value, kind, required in fields:
        if name == "csrfmiddlewaretoken":
            continue
        value = value.replace(MARKER, "Zq")  # side B sends no private text: any marker in an answer leaked
        if kind in ("text", "textarea") and EDITED.search(name):
            value = f"{value} zq" if value else FILL[kind]
        elif not value and required and kind in FILL:
            value = FILL[kind]
        data.setdefault(name, []).append(value)
    return data


@pytest.fixture
def replay(world, clients):
    """`replay(url, variant)` -> the POST body side A's own pages would send to `url` (the form
    found on `url` itself or on any page of the walk the actor sees), with its text edited."""
    by_action: dict[str, dict] = {}
    seen: set[tuple[str, str]] = set()
    for _route, url, variant in html_targets(world):
        actor = variant.actor if variant else None
        if actor is None or (actor, url) in seen:
            continue
        seen.add((actor, url))
        response = clients[actor].get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for form in forms_of(response.content.decode()):
            if form["method"] != "post":
                continue
            action = form["action"] or url
            by_action.setdefault(action.split("#")[0], form["data"])

    def has_form(url: str) -> bool:
        return url in by_action

    def body(url: str, variant) -> dict:
        data = _form_data(by_action.get(url, []))
        if variant is not None and variant.data is not None:
            data.update(variant.data(world))
        return data

    body.has_form = has_form
    return body


def can_reverse(name, kwargs) -> bool:
    try:
        reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return False
    return True
