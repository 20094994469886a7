"""The header's menu and each role's home page after sign-in: one place, asking `can()`.

Entries name URLs and actions by string, so the core imports no app. The menu shows exactly the
entries whose action `can()` allows; tests/portal/test_menu.py walks every persona and checks
that each entry shown opens, and that each entry's page the persona may open is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .permissions import can


@dataclass(frozen=True)
class MenuEntry:
    key: str
    label: str | Promise
    url_name: str
    action: str | None  # None: everyone


MENU: tuple[MenuEntry, ...] = (
    MenuEntry("regions", _("Regions"), "regions:region_list", None),
    MenuEntry("needs", _("Regional needs"), "regions:need_list", None),
    MenuEntry("investment", _("Investment"), "projects:opportunity_list", None),
    MenuEntry("work_queue", _("Work queue"), "dashboards:work_queue", "regions.work_queue"),
    MenuEntry("partner_home", _("My organisation"), "partners:home", "partners.home"),
    MenuEntry("experts", _("Diaspora experts"), "diaspora:expert_list", "diaspora.browse_experts"),
    MenuEntry("member_home", _("My home"), "matching:member_home", "diaspora.member_home"),
    MenuEntry("profile", _("My profile"), "diaspora:profile_detail", "diaspora.own_profile"),
    MenuEntry("invitations", _("My invitations"), "matching:invitation_list", "matching.own_invitations"),
    MenuEntry("dashboards", _("Dashboards"), "dashboards:index", "dashboards.view"),
    MenuEntry("proposals", _("Partner proposals"), "partners:needproposal_list", "partners.review_proposals"),
    MenuEntry("signup", _("Create an account"), "diaspora:signup", "account.sign_up"),
    MenuEntry("security", _("Sign-in security"), "account_security", "account.security"),
    MenuEntry("admin", _("Administration"), "admin:index", "admin.open"),
    MenuEntry("login", _("Sign in"), "login", "account.sign_in"),
)


@dataclass(frozen=True)
class MenuItem:
    key: str
    label: str | Promise
    url: str


def menu_for(user) -> list[MenuItem]:
    """The entries `user` may open, in order, with their URLs (in the active language)."""
    return [
        MenuItem(entry.key, entry.label, reverse(entry.url_name))
        for entry in MENU
        if entry.action is None or can(user, entry.action)
    ]


def home_url_for(user) -> str:
    """Where `user` lands after signing in: the one decision, for every way of signing in.

    Officials: their region's work queue; coordinators and staff administrators: the national
    view; partner users: their organisation's page; members: their home."""
    if can(user, "regions.work_queue"):
        return reverse("dashboards:work_queue")
    if can(user, "dashboards.national"):
        return reverse("dashboards:national")
    if can(user, "partners.home"):
        return reverse("partners:home")
    if can(user, "diaspora.member_home"):
        return reverse("matching:member_home")
    return reverse("portal:home")
