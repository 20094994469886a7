"""The header's menu, per persona: one place (portal.menu) asking the permissions module.

Every entry shown opens (200 on its own page), and every menu page the persona may open is
shown — except the few pages listed in PAGES_ANSWERING_OUTSIDE_THE_MENU, each with its reason.
The menu is read from the rendered header (its links), so the template cannot drift from it.
"""

import re

import pytest
from django.test import Client
from django.urls import resolve, reverse

from portal.enums import Role
from portal.menu import MENU, home_url_for, menu_for
from portal.permissions import UnknownAction, can, rule_register
from regions.enums import NeedStatus
from tests.factories import UserFactory
from tests.regions.factories import NeedFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "member", "official_a", "coordinator", "staff_admin", "partner_user"]

# The menu each persona sees, literally (issue #18: the staff administrator sees Dashboards;
# the partner sees their organisation, not the expert profile wizard).
EXPECTED = {
    "anonymous": ["regions", "needs", "investment", "signup", "login"],
    "member": ["regions", "needs", "investment", "member_home", "profile", "invitations", "security"],
    "official_a": ["regions", "needs", "investment", "work_queue", "experts", "dashboards", "proposals", "security"],
    "coordinator": ["regions", "needs", "investment", "experts", "dashboards", "proposals", "security"],
    "staff_admin": ["regions", "needs", "investment", "experts", "dashboards", "proposals", "security", "admin"],
    "partner_user": ["regions", "needs", "investment", "partner_home", "security"],
}

# Pages an entry may land on besides its own (a redirect that is part of opening it).
LANDINGS = {
    "dashboards": {"dashboards:index", "dashboards:region", "dashboards:national"},
    "profile": {"diaspora:profile_detail", "diaspora:profile_edit"},
}

SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]
NOT_MEMBERS = [p for p in SIGNED_IN if p != "member"]
# Pages that answer these personas but belong in another persona's menu, and why.
PAGES_ANSWERING_OUTSIDE_THE_MENU = {
    # The sign-in form answers a signed-in user too (signing in as someone else).
    **{(persona, "login"): "sign in as another user" for persona in SIGNED_IN},
    # The profile wizard and the invitations page answer any signed-in user (empty for whoever
    # has no expert profile); they are the diaspora members' pages.
    **{(persona, "profile"): "members' page" for persona in NOT_MEMBERS},
    **{(persona, "invitations"): "members' page" for persona in NOT_MEMBERS},
}


@pytest.fixture
def staff_admin(db):
    return UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)


def _persona(request, name):
    if name == "anonymous":
        return None, Client()
    user = request.getfixturevalue(name)
    return user, request.getfixturevalue("client_for")(user)


def _shown(client) -> list[str]:
    """The menu entries in the rendered header, in order, found by their links."""
    html = client.get("/fr/regions/").content.decode()
    nav = html[html.index('<nav class="main-nav"') : html.index("</nav>")]
    by_url = {reverse(entry.url_name): entry.key for entry in MENU}
    return [by_url[href] for href in re.findall(r'<a href="([^"]+)"', nav) if href in by_url]


def _opens(client, entry) -> bool:
    response = client.get(reverse(entry.url_name), follow=True)
    if response.status_code != 200:
        return False
    landed = resolve(response.request["PATH_INFO"]).view_name
    return landed in LANDINGS.get(entry.key, {entry.url_name})


@pytest.mark.parametrize("persona", PERSONAS)
def test_menu_shows_what_the_persona_may_open(request, region_a, persona):
    _user, client = _persona(request, persona)
    shown = _shown(client)

    assert shown == EXPECTED[persona]
    for entry in MENU:
        opens = _opens(client, entry)
        if entry.key in shown:
            assert opens, f"{persona} is shown {entry.key}, which does not open"
        elif (persona, entry.key) not in PAGES_ANSWERING_OUTSIDE_THE_MENU:
            assert not opens, f"{persona} may open {entry.key}, which the menu does not show"


def test_menu_of_an_official_without_region_has_no_regional_pages(client_for):
    official = UserFactory(role=Role.OFFICIAL)

    assert [item.key for item in menu_for(official)] == ["regions", "needs", "investment", "proposals", "security"]


def test_the_header_renders_the_menu_module(request, region_a):
    user, client = _persona(request, "official_a")

    assert _shown(client) == [item.key for item in menu_for(user)]


def test_can_refuses_an_unknown_action(member):
    with pytest.raises(UnknownAction):
        can(member, "regions.no_such_action")


def test_a_second_rule_for_one_action_is_refused():
    with pytest.raises(ValueError, match="already has a rule"):
        rule_register("dashboards.view", lambda user, obj: True)


def test_can_manage_region_by_persona(region_a, region_b, official_a, official_b, coordinator, member, partner_user):
    assert can(official_a, "regions.manage", region_a)
    assert not can(official_a, "regions.manage", region_b)
    assert can(official_b, "regions.manage", region_b.pk)
    assert can(coordinator, "regions.manage", region_a)
    assert not can(member, "regions.manage", region_a)
    assert not can(partner_user, "regions.manage", region_a)


@pytest.mark.parametrize(
    ("persona", "url_name"),
    [
        ("member", "matching:member_home"),
        ("official_a", "dashboards:work_queue"),
        ("coordinator", "dashboards:national"),
        ("staff_admin", "dashboards:national"),
        ("partner_user", "partners:home"),
    ],
)
def test_start_sends_each_role_home(request, region_a, persona, url_name):
    user, client = _persona(request, persona)

    response = client.get("/fr/start/")

    assert response.status_code == 302
    assert response["Location"] == home_url_for(user) == reverse(url_name)


def test_start_asks_the_anonymous_visitor_to_sign_in(client):
    response = client.get("/fr/start/")

    assert response.status_code == 302
    assert response["Location"].startswith("/fr/accounts/login/")


def test_signing_in_lands_a_partner_user_on_their_home(partner_user):
    client = Client()

    response = client.post(
        "/fr/accounts/login/", {"username": partner_user.email, "password": "correct horse battery"}, follow=True
    )

    assert response.status_code == 200
    assert resolve(response.request["PATH_INFO"]).view_name == "partners:home"


def test_an_app_rule_registered_in_ready_answers_through_can(member, official_a, region_a):
    need = NeedFactory(status=NeedStatus.OPEN)
    closed = NeedFactory(status=NeedStatus.CLOSED, axis=need.axis)

    assert can(member, "regions.express_interest", need)
    assert not can(member, "regions.express_interest", closed)
    assert not can(official_a, "regions.express_interest", need)
