"""What each route is attacked with: for every URL name whose pattern captures arguments, the
objects of side A to name (several variants when a private and a public object differ), who of
side A may use it (the positive control), and what side B may legitimately do there.

A route whose pattern captures an argument that neither this table nor GENERIC maps fails
test_every_route_is_mapped: a new view is attacked, or the suite breaks until it is mapped.
"""

from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.security.pdf import valid_pdf

# Rows a member legitimately writes on a public object of region A: their own interest or
# membership, and the notifications (and outbox rows) it sends to the region's team.
OWN_INTEREST = ("regions_needinterest", "portal_notification", "portal_outboxmessage")
OWN_OPPORTUNITY_INTEREST = ("projects_opportunityinterest", "portal_notification", "portal_outboxmessage")
OWN_MEMBERSHIP = ("diaspora_associationmembership",)


@dataclass
class Variant:
    kwargs: object  # World -> dict of the URL's kwargs
    actor: str | None  # the persona of side A who may use it; None: nobody (no positive control)
    public: bool = False  # side B may read the page (its content is still searched for markers)
    data: object = None  # World -> POST body, when the actor's pages show no form for it
    own_tables: tuple = ()  # where side B's POST writes side B's own rows (public actions)
    noop: str = ""  # why the actor's POST changes nothing (the positive control then only runs)
    callers_own: bool = False  # the page acts on the caller's own account, whoever calls (no object of A)
    tags: tuple = field(default_factory=tuple)


def EMPTY(w):
    return {}


def _o(name):
    return lambda w: w.objects[name].pk


def _pdf(name="plan.pdf"):
    return SimpleUploadedFile(name, valid_pdf(), content_type="application/pdf")


def _forged_token(w):
    from diaspora.services import verification_token_make

    token = verification_token_make(w.users["member_a"])
    return token[:-2] + ("AA" if not token.endswith("AA") else "BB")


def _uid(w):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    return urlsafe_base64_encode(force_bytes(w.users["member_a"].pk))


def code(w):
    return {"code": w.region_a.code}


def code_and(**more):
    return lambda w: {"code": w.region_a.code, **{k: (v(w) if callable(v) else v) for k, v in more.items()}}


def pk(name):
    return lambda w: {"pk": w.objects[name].pk}


def need_id(name):
    return lambda w: {"need_id": w.objects[name].pk}


DRAFT_V = 2  # region A's draft roadmap (private)
ADOPTED_V = 1  # region A's adopted roadmap (public)

V = Variant
TARGETS: dict[str, list[Variant]] = {
    # --- regions ---
    "regions:study_detail": [V(pk("study"), actor="official_a", public=True)],
    "regions:study_edit": [V(pk("study"), actor="official_a")],
    "regions:study_file": [V(pk("study"), actor=None, public=True)],
    "regions:region_detail": [V(code, actor=None, public=True)],
    "regions:region_page": [V(code, actor=None, public=True)],
    "regions:region_need_list": [V(code, actor=None, public=True)],
    "regions:manage": [V(code, actor="official_a")],
    "regions:need_detail": [
        V(code_and(pk=_o("draft_need")), actor="official_a"),
        V(code_and(pk=_o("need")), actor="official_a", public=True),
    ],
    "regions:need_edit": [V(code_and(pk=_o("draft_need")), actor="official_a")],
    "regions:need_transition": [
        V(code_and(pk=_o("draft_need")), actor="official_a", data=lambda w: {"to": "open"}),
        V(code_and(pk=_o("need")), actor="official_a", data=lambda w: {"to": "closed"}),
    ],
    "regions:need_interest": [
        V(code_and(pk=_o("draft_need")), actor=None),
        V(code_and(pk=_o("need")), actor="member_b", public=True, own_tables=OWN_INTEREST),
    ],
    "regions:need_interest_withdraw": [V(code_and(pk=_o("need")), actor="member_a", public=True)],
    "regions:roadmap_create": [V(code, actor="official_a")],
    "regions:roadmap_detail": [
        V(code_and(version=DRAFT_V), actor="official_a"),
        V(code_and(version=ADOPTED_V), actor=None, public=True),
    ],
    "regions:roadmap_edit": [V(code_and(version=DRAFT_V), actor="official_a")],
    "regions:roadmap_adopt": [V(code_and(version=DRAFT_V), actor="official_a", data=EMPTY)],
    "regions:roadmap_close": [V(code_and(version=ADOPTED_V), actor="official_a", data=EMPTY)],
    "regions:roadmap_new_version": [
        V(code_and(version=ADOPTED_V), actor="official_a", data=EMPTY, noop="a draft version already exists")
    ],
    "regions:axis_create": [V(code_and(version=DRAFT_V), actor="official_a")],
    "regions:axis_edit": [V(code_and(version=DRAFT_V, pk=_o("draft_axis")), actor="official_a")],
    "regions:roadmap_document_create": [
        V(
            code_and(version=DRAFT_V),
            actor="official_a",
            data=lambda w: {"title": "Annexe", "language": "fr", "file": _pdf(), "url": ""},
        )
    ],
    "regions:roadmap_document_file": [
        V(code_and(version=DRAFT_V, pk=_o("roadmap_document")), actor="official_a"),
    ],
    "regions:need_create": [V(code_and(version=ADOPTED_V), actor="official_a")],
    "regions:stakeholder_create": [V(code, actor="official_a")],
    "regions:stakeholder_edit": [V(code_and(pk=_o("stakeholder")), actor="official_a")],
    "regions:meeting_create": [V(code, actor="official_a")],
    "regions:meeting_detail": [V(code_and(pk=_o("meeting")), actor=None, public=True)],
    "regions:meeting_ics": [V(code_and(pk=_o("meeting")), actor=None, public=True)],
    "regions:meeting_edit": [V(code_and(pk=_o("meeting")), actor="official_a")],
    "regions:participant_add": [
        V(code_and(pk=_o("meeting")), actor="official_a", data=lambda w: {"name": "Participant", "organisation": ""})
    ],
    "regions:decision_create": [V(code_and(pk=_o("meeting")), actor="official_a")],
    "regions:decision_edit": [V(code_and(pk=_o("meeting"), decision_pk=_o("decision")), actor="official_a")],
    "regions:partnership_create": [
        V(code, actor="official_a", data=lambda w: {"partners": [w.objects["stakeholder"].pk]})
    ],
    "regions:partnership_edit": [V(code_and(pk=_o("partnership")), actor="official_a")],
    # --- diaspora ---
    "diaspora:verify_email": [V(lambda w: {"token": _forged_token(w)}, actor=None, public=True)],
    "diaspora:password_reset_confirm": [
        V(lambda w: {"uidb64": _uid(w), "token": "cz6r5u-0123456789abcdef0123456789abcdef"}, actor=None, public=True)
    ],
    "diaspora:profile_edit": [
        V(lambda w, s=step: {"step": s}, actor="member_a", public=True, callers_own=True)
        for step in ("about", "skills", "offer")
    ]
    + [V(lambda w: {"step": "background"}, actor="member_a", public=True, callers_own=True, noop="no rows to replay")],
    "diaspora:association_detail": [V(pk("association"), actor=None, public=True)],
    "diaspora:association_join": [
        V(pk("association"), actor="member_b", public=True, data=EMPTY, own_tables=OWN_MEMBERSHIP)
    ],
    "diaspora:association_leave": [V(pk("association"), actor="member_a", public=True, data=EMPTY)],
    # --- projects ---
    "projects:opportunity_detail": [
        V(pk("draft_opportunity"), actor="official_a"),
        V(pk("opportunity"), actor="official_a", public=True),
    ],
    "projects:opportunity_edit": [V(pk("draft_opportunity"), actor="official_a")],
    "projects:opportunity_publish": [V(pk("draft_opportunity"), actor="official_a", data=EMPTY)],
    "projects:opportunity_close": [V(pk("opportunity"), actor="official_a", public=True, data=EMPTY)],
    "projects:opportunity_interest": [
        V(pk("draft_opportunity"), actor=None, data=lambda w: {"message": "x"}),
        V(pk("opportunity"), actor="member_b", public=True, own_tables=OWN_OPPORTUNITY_INTEREST),
    ],
    "projects:opportunity_interest_withdraw": [V(pk("opportunity"), actor="member_a", public=True, data=EMPTY)],
    "projects:opportunity_document_upload": [
        V(pk("draft_opportunity"), actor="official_a", data=lambda w: {"title": "Étude", "file": _pdf()})
    ],
    "projects:opportunity_document": [V(pk("opportunity_document"), actor="official_a")],
    "projects:project_detail": [V(pk("project"), actor="official_a")],
    "projects:project_edit": [V(pk("project"), actor="member_a")],
    "projects:project_transition": [V(pk("project"), actor="official_a")],
    "projects:project_drop": [V(pk("project"), actor="member_a", data=lambda w: {"note": "Abandon"})],
    "projects:project_note": [V(pk("project"), actor="official_a", data=lambda w: {"body": "Note interne"})],
    "projects:project_assign": [V(pk("project"), actor="official_a", noop="the only officer is already assigned")],
    "projects:project_document_upload": [V(pk("project"), actor="member_a", data=lambda w: {"file": _pdf()})],
    "projects:project_partner_attach": [
        V(pk("project"), actor="member_a", data=lambda w: {"partner": w.users["partner_b"].partner_id})
    ],
    "projects:project_document": [V(pk("project_document"), actor="member_a")],
    "projects:project_document_delete": [V(pk("project_document"), actor="member_a", data=EMPTY)],
    "projects:project_partner_consent": [V(pk("project_partner"), actor="member_a", data=EMPTY)],
    "projects:project_partner_end": [V(pk("project_partner"), actor="member_a", data=EMPTY)],
    # --- matching ---
    "matching:candidate_list": [V(lambda w: {"need_id": w.objects["need"].pk}, actor="official_a")],
    "matching:match_shortlist": [
        V(pk("match"), actor="official_a", data=EMPTY, noop="an invited candidate stays invited")
    ],
    "matching:match_invite": [V(pk("match"), actor="official_a", data=EMPTY, noop="already invited")],
    "matching:match_withdraw": [V(pk("match"), actor="official_a", data=lambda w: {"reason": "Pourvu"})],
    "matching:engagement_update": [
        V(pk("engaged_match"), actor="official_a", data=lambda w: {"status": "completed", "note": "", "rating": ""})
    ],
    "matching:invitation_detail": [V(pk("match"), actor="member_a")],
    "matching:invitation_accept": [V(pk("match"), actor="member_a", data=EMPTY)],
    "matching:invitation_decline": [V(pk("match"), actor="member_a", data=lambda w: {"reason": "dates"})],
    # The member's answers to a need suggested to them (issue 18): side B has no suggestion there.
    "matching:suggestion_help": [V(need_id("need"), actor="member_a", data=EMPTY)],
    "matching:suggestion_help_undo": [V(need_id("need"), actor="member_a", data=EMPTY, noop="nothing to take back")],
    "matching:suggestion_set_aside": [V(need_id("need"), actor="member_a", data=lambda w: {"reason": "dates"})],
    "matching:suggestion_set_aside_undo": [
        V(need_id("need"), actor="member_a", data=EMPTY, noop="nothing set aside to bring back")
    ],
    # --- partners ---
    "partners:apitoken_revoke": [V(pk("token"), actor="partner_a", data=EMPTY)],
    "partners:needproposal_accept": [V(pk("proposal"), actor="official_a", data=EMPTY)],
    "partners:needproposal_decline": [V(pk("proposal"), actor="official_a", data=EMPTY)],
    # --- dashboards ---
    "dashboards:region": [V(code, actor="official_a")],
    "dashboards:region_export": [
        V(code_and(slug="experts-by-sector", fmt="csv"), actor="official_a"),
        V(code_and(slug="experts-by-sector", fmt="xlsx"), actor="official_a"),
    ],
    "dashboards:national_export": [V(lambda w: {"fmt": "csv"}, actor=None)],
    "dashboards:open_data_download": [
        V(lambda w, f=fmt: {"table": "funnel-by-region", "fmt": f}, actor=None, public=True) for fmt in ("csv", "json")
    ],
}

# The routes that capture nothing: who may use them (for the CSRF and redirect walks).
DEFAULT_ACTOR = "official_a"
ACTOR_BY_PREFIX = {
    "diaspora:": "member_a",
    "matching:invitation_list": "member_a",
    "matching:member_home": "member_a",
    "matching:suggestions_seen": "member_a",
    "matching:impact": "member_a",
    "matching:digest": "member_a",
    "projects:project_create": "member_a",
    "projects:project_list": "member_a",
    "partners:apitoken": "partner_a",
}

# API routes are attacked through the schema (tests/api/test_permission_matrix.py and
# tests/security/test_api_idor.py); here only the CSRF walk builds their URLs.
API_VALUES = {"version": ["v1"], "pk": ["1", "0123456789abcdef"], "code": ["05", "A", "05.091"], "table": ["x"]}
# The admin site answers non-staff the same for every object: its values only need to resolve
# (app_label: every app, tried). `pk`: django-otp's TOTP device config and QR views, refused to
# everyone (OTP_ADMIN_HIDE_SENSITIVE_DATA).
ADMIN_VALUES = {"object_id": ["1"], "id": ["1"], "content_type_id": ["1"], "url": ["x"], "pk": ["1"]}


def actor_for(name: str | None) -> str:
    for prefix, actor in ACTOR_BY_PREFIX.items():
        if name and name.startswith(prefix):
            return actor
    return DEFAULT_ACTOR
