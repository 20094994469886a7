"""The pages the accessibility test walks, for each persona, on a server seeded with the demo.

Run inside the live server's environment (`manage.py shell`, see tests/live.py): `dump()` prints
one JSON object with a verified session cookie per persona and the pages each one opens, as paths
without the language prefix. Objects are looked up in the demo data, so the pages are the ones a
person meets, full of real content (Arabic and French titles, charts, the map, long lists).
"""

import json

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.auth import force_login_verified, session_cookie

# Persona -> demo account (portal/demo/accounts.yaml).
ACCOUNTS = {
    "member": "member@demo.jusur.ma",
    "official": "official.souss@demo.jusur.ma",
    "coordinator": "coordinator@demo.jusur.ma",
    "partner": "partner@demo.jusur.ma",
}


def _path(name: str, **kwargs) -> str:
    """A URL without its language prefix: the test opens it in each language."""
    with translation.override("fr"):
        url = reverse(name, kwargs=kwargs or None)
    assert url.startswith("/fr/"), url
    return url[3:]


def pages() -> dict[str, list[tuple[str, str]]]:
    from diaspora.models import Association
    from matching.models import Match
    from projects.models import Opportunity, Project
    from regions.models import ConsultationMeeting, Need, Study

    User = get_user_model()
    member = User.objects.get(email=ACCOUNTS["member"])
    official = User.objects.get(email=ACCOUNTS["official"])
    region = official.regions.get()  # Souss-Massa in the demo
    need = Need.objects.filter(region=region, status="open").order_by("pk").first()
    roadmap = need.axis.roadmap
    meeting = ConsultationMeeting.objects.filter(region=region).order_by("pk").first()
    study = Study.objects.order_by("pk").first()
    association = Association.objects.order_by("pk").first()
    opportunity = Opportunity.objects.filter(status="published").order_by("pk").first()
    project = Project.objects.filter(region=region).order_by("pk").first()
    invitation = Match.objects.filter(profile__user=member, invited_at__isnull=False).order_by("pk").first()
    assert all([need, meeting, study, association, opportunity, project, invitation])
    code = region.code
    return {
        "anonymous": [
            ("home", _path("portal:home")),
            ("region list", _path("regions:region_list")),
            ("region", _path("regions:region_detail", code=code)),
            ("roadmap page", _path("regions:region_page", code=code)),
            ("needs", _path("regions:need_list")),
            ("need", _path("regions:need_detail", code=code, pk=need.pk)),
            ("studies", _path("regions:study_list")),
            ("study", _path("regions:study_detail", pk=study.pk)),
            ("indicators", _path("regions:indicator_list")),
            ("investment", _path("projects:opportunity_list")),
            ("opportunity", _path("projects:opportunity_detail", pk=opportunity.pk)),
            ("associations", _path("diaspora:association_list")),
            ("association", _path("diaspora:association_detail", pk=association.pk)),
            ("sign-up form", _path("diaspora:signup")),
            ("sign-in form", _path("login")),
            ("password reset form", _path("diaspora:password_reset")),
            ("open data", _path("dashboards:open_data")),
            ("contributors", _path("matching:contributor_list")),
        ],
        "member": [
            ("member home", _path("matching:member_home")),
            ("impact of my contributions", _path("matching:impact")),
            ("profile", _path("diaspora:profile_detail")),
            *[(f"profile form: {step}", _path("diaspora:profile_edit", step=step)) for step in ("about", "skills")],
            ("privacy centre", _path("diaspora:privacy_centre")),
            ("who read my profile", _path("diaspora:privacy_reads")),
            ("account deletion (confirmation)", _path("diaspora:account_delete")),
            ("invitations", _path("matching:invitation_list")),
            ("invitation", _path("matching:invitation_detail", pk=invitation.pk)),
            ("invitation: decline (confirmation)", _path("matching:invitation_decline", pk=invitation.pk)),
            ("account security", _path("account_security")),
        ],
        "official": [
            ("region management", _path("regions:manage", code=code)),
            ("roadmap (official)", _path("regions:roadmap_detail", code=code, version=roadmap.version)),
            ("need form", _path("regions:need_create", code=code, version=roadmap.version)),
            ("meeting", _path("regions:meeting_detail", code=code, pk=meeting.pk)),
            ("meeting form", _path("regions:meeting_create", code=code)),
            ("candidates", _path("matching:candidate_list", need_id=need.pk)),
            ("experts directory", _path("diaspora:expert_list")),
            ("regional dashboard", _path("dashboards:region", code=code)),
            ("investor pipeline", _path("projects:project_list")),
            ("project", _path("projects:project_detail", pk=project.pk)),
            ("need proposals from partners", _path("partners:needproposal_list")),
        ],
        "coordinator": [
            ("national view and map", _path("dashboards:national")),
        ],
        "partner": [
            ("API tokens", _path("partners:apitoken_list")),
            ("API token form", _path("partners:apitoken_create")),
        ],
    }


def dump() -> None:
    User = get_user_model()
    cookies = {"anonymous": None}
    for persona, email in ACCOUNTS.items():
        cookies[persona] = session_cookie(force_login_verified(Client(), User.objects.get(email=email)))
    print("A11Y=" + json.dumps({"cookies": cookies, "pages": pages()}))
