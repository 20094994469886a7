"""Every write of the partners app: API tokens, need proposals, engagement outcomes.

The webhooks have their own module, partners.webhooks.
"""

import hmac
import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from portal.enums import Role
from portal.models import PartnerOrganisation, User, new_pseudonym_key
from portal.notifications import notification_send
from portal.permissions import can_act_in_region, is_national, is_official
from regions.selectors import roadmap_adopted
from regions.services import LanguageRequirement, NeedInput, SkillRequirement, need_create
from taxonomy.models import Skill

from .enums import ProposalStatus, Scope
from .models import APIToken, EngagementOutcome, NeedProposal

logger = logging.getLogger(__name__)

TOKEN_KEYWORD = "jsr"  # noqa: S105 - the public start of every token, not a secret
DEFAULT_TOKEN_LIFETIME = timedelta(days=90)
MAX_TOKEN_LIFETIME = timedelta(days=365)
# last_used_at is written at most this often: one UPDATE a minute per token, not one per request.
LAST_USED_RESOLUTION = timedelta(seconds=60)


# --- API tokens -------------------------------------------------------------------------


class TokenError(Exception):
    """The token cannot be used; `code` says why (invalid_token, token_revoked, token_expired)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _token_digest(raw: str, secret: str) -> str:
    return salted_hmac("jusur.partners.APIToken", raw, secret=secret, algorithm="sha256").hexdigest()


def _signing_keys() -> list[str]:
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _validate_scopes(scopes: list[str]) -> list[str]:
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown or not scopes:
        raise ValidationError({"scopes": _("Choose one or more of the known scopes.")})
    return [scope for scope in Scope.values if scope in scopes]  # canonical order, no duplicates


@transaction.atomic
def api_token_create(
    *,
    partner: PartnerOrganisation,
    created_by: User | None,
    name: str,
    scopes: list[str],
    region=None,
    expires_at: datetime | None = None,
) -> tuple[APIToken, str]:
    """Create a token and return it with its plaintext, which is never stored nor shown again."""
    now = timezone.now()
    expires_at = expires_at or now + DEFAULT_TOKEN_LIFETIME
    if expires_at <= now or expires_at > now + MAX_TOKEN_LIFETIME + timedelta(minutes=5):
        raise ValidationError({"expires_at": _("A token expires within one year.")})
    scopes = _validate_scopes(scopes)
    while True:
        prefix = secrets.token_hex(4)
        if not APIToken.objects.filter(prefix=prefix).exists():
            break
    raw = f"{TOKEN_KEYWORD}_{prefix}_{secrets.token_urlsafe(32)}"
    token = APIToken.objects.create(
        partner=partner,
        created_by=created_by,
        name=name,
        prefix=prefix,
        digest=_token_digest(raw, settings.SECRET_KEY),
        scopes=scopes,
        region=region,
        created_at=now,
        expires_at=expires_at,
    )
    return token, raw


def api_token_revoke(*, token: APIToken, by: User | None) -> bool:
    """Revoke at once: every request looks the token up, nothing caches it. False if already revoked."""
    revoked = APIToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    token.refresh_from_db(fields=["revoked_at", "revoked_by"])
    return bool(revoked)


def api_token_authenticate(*, raw: str) -> APIToken:
    """The usable token whose plaintext is `raw` (one query; one more a minute for last_used_at)."""
    keyword, _sep, rest = raw.partition("_")
    prefix, _sep, secret = rest.partition("_")
    if keyword != TOKEN_KEYWORD or len(prefix) != 8 or not secret or len(raw) > 200:
        raise TokenError("invalid_token")
    token = APIToken.objects.select_related("partner", "region").filter(prefix=prefix).first()
    if token is None or not any(hmac.compare_digest(token.digest, _token_digest(raw, key)) for key in _signing_keys()):
        raise TokenError("invalid_token")
    if token.is_revoked:
        raise TokenError("token_revoked")
    now = timezone.now()
    if token.expires_at <= now:
        raise TokenError("token_expired")
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        APIToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@transaction.atomic
def partner_pseudonym_key_rotate(*, partner: PartnerOrganisation, by: User | None) -> PartnerOrganisation:
    """Give `partner` a new pseudonym key: from now on it sees every expert under a new id, and
    its old ids are not found. For an organisation that leaked its data or asks for a fresh
    start; no other organisation's ids change."""
    partner = PartnerOrganisation.objects.select_for_update().get(pk=partner.pk)
    partner.pseudonym_key = new_pseudonym_key()
    partner.pseudonym_key_rotated_at = timezone.now()
    partner.save(update_fields=["pseudonym_key", "pseudonym_key_rotated_at"])
    logger.info("pseudonym key of partner %s rotated by user %s", partner.pk, getattr(by, "pk", None))
    return partner


# --- Need proposals -------------------------------------------------------------------------


def _proposal_validate_skills(skills: list[dict]) -> None:
    ids = [item["skill_id"] for item in skills]
    if len(set(ids)) != len(ids):
        raise ValidationError({"skills": _("The same skill is listed twice.")})
    if set(ids) - set(Skill.objects.filter(pk__in=ids).values_list("pk", flat=True)):
        raise ValidationError({"skills": _("Unknown skill: choose skills from the taxonomy (/api/v1/skills/).")})


@transaction.atomic
def _proposals_url(user: User) -> str:
    from django.urls import reverse
    from django.utils import translation

    with translation.override(user.preferred_language):
        return reverse("partners:needproposal_list")


def need_proposal_submit(*, token: APIToken, data: dict, skills: list[dict], languages: list[dict]) -> NeedProposal:
    """Record a partner's proposal of a need and tell the region's officials.

    `skills` holds {"skill_id", "weight", "essential"}, `languages` {"language", "min_level"};
    a region-restricted token may propose only to its region.
    """
    region = data["region"]
    if token.region_id is not None and token.region_id != region.pk:
        raise PermissionDenied(_("This API token is restricted to another region."))
    _proposal_validate_skills(skills)
    if len({item["language"] for item in languages}) != len(languages):
        raise ValidationError({"languages": _("The same language is listed twice.")})
    proposal = NeedProposal.objects.create(
        partner_id=token.partner_id, token=token, skills=skills, languages=languages, **data
    )
    officials = User.objects.filter(role=Role.OFFICIAL, regions=region, is_active=True).distinct()
    for official in officials:
        notification_send(
            user=official,
            kind="need_proposal",
            template="partners/email/need_proposal",
            refs={"proposal": proposal, "partner": token.partner},
            url=_proposals_url(official),
        )
    return proposal


@transaction.atomic
def need_proposal_accept(*, proposal: NeedProposal, by: User):
    """Turn a proposal into a draft need of the region's adopted roadmap, owned by `by` (an
    official of the region: regions.services.need_create checks it)."""

    proposal = NeedProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.SUBMITTED:
        raise ValidationError(_("This proposal was already decided."))
    roadmap = roadmap_adopted(region=proposal.region)
    if roadmap is None:
        raise ValidationError(_("The region has no adopted roadmap to receive this need."))
    axes = list(roadmap.axes.all())
    axis = next((axis for axis in axes if axis.kind == proposal.axis_kind), axes[0] if axes else None)
    need = need_create(
        roadmap=roadmap,
        by=by,
        data=NeedInput(
            axis=axis,
            title=proposal.title,
            description=proposal.description,
            text_language=proposal.text_language,
            sector=proposal.sector,
            format=proposal.format,
            work_mode=proposal.work_mode,
            start_date=proposal.start_date,
            duration_days=proposal.duration_days,
            experts_wanted=proposal.experts_wanted,
        ),
        skills=[
            SkillRequirement(skill_id=item["skill_id"], weight=item["weight"], essential=item["essential"])
            for item in proposal.skills
        ],
        languages=[
            LanguageRequirement(language=item["language"], min_level=item["min_level"]) for item in proposal.languages
        ],
    )
    proposal.status = ProposalStatus.ACCEPTED
    proposal.need = need
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "need", "decided_by", "decided_at"])
    return need


@transaction.atomic
def need_proposal_decline(*, proposal: NeedProposal, by: User) -> NeedProposal:
    if not ((is_official(by) or is_national(by)) and can_act_in_region(by, proposal.region_id)):
        raise PermissionDenied(_("You cannot act for this region."))
    updated = NeedProposal.objects.filter(pk=proposal.pk, status=ProposalStatus.SUBMITTED).update(
        status=ProposalStatus.DECLINED, decided_by=by, decided_at=timezone.now()
    )
    if not updated:
        raise ValidationError(_("This proposal was already decided."))
    proposal.refresh_from_db()
    return proposal


# --- Engagement outcomes ----------------------------------------------------------------------


@transaction.atomic
def engagement_outcome_record(
    *, token: APIToken, engagement, status: str, note: str = "", beneficiaries: int | None = None
) -> EngagementOutcome:
    """Record a partner's report on an engagement it runs and tell the need's owner."""
    # Not at the top: partners.selectors imports the API's authentication, which imports this module.
    from .selectors import engagements_run_by

    if not engagements_run_by(partner_id=token.partner_id).filter(pk=engagement.pk).exists():
        raise PermissionDenied(_("Your organisation does not run this engagement."))
    if token.region_id is not None and engagement.match.need.region_id != token.region_id:
        raise PermissionDenied(_("This API token is restricted to another region."))
    outcome = EngagementOutcome.objects.create(
        engagement=engagement, partner_id=token.partner_id, status=status, note=note, beneficiaries=beneficiaries
    )
    need = engagement.match.need
    notification_send(
        user=need.owner,
        kind="engagement_outcome",
        template="partners/email/engagement_outcome",
        refs={"partner": token.partner, "need": need},
        params={"status": status},
    )
    return outcome
