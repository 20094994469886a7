"""Every write of the partners app: API tokens and webhooks.

`webhook_emit` is what the other apps call when something a partner may hear about happens
(docs/api/webhooks.md).
"""

import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from portal.enums import Role
from portal.models import PartnerOrganisation, User, new_pseudonym_key
from portal.notifications import notification_send
from portal.outbox import outbox_enqueue

from .enums import EVENT_SCOPES, DeliveryStatus, ProposalStatus, Scope, WebhookEvent
from .models import APIToken, EngagementOutcome, NeedProposal, WebhookAttempt, WebhookDelivery, WebhookSubscription
from .pseudonyms import pseudonyms_for

logger = logging.getLogger(__name__)

TOKEN_KEYWORD = "jsr"  # noqa: S105 - the public start of every token, not a secret
DEFAULT_TOKEN_LIFETIME = timedelta(days=90)
MAX_TOKEN_LIFETIME = timedelta(days=365)
# last_used_at is written at most this often: one UPDATE a minute per token, not one per request.
LAST_USED_RESOLUTION = timedelta(seconds=60)

WEBHOOK_MAX_ATTEMPTS = 8  # 30 s, 1, 2, 4, 8, 16, 30, 30 min apart: about 1.5 hours in all
WEBHOOK_BACKOFF_BASE = 30
# Below the broker's visibility timeout (RELIABILITY.md: no countdown longer than it).
WEBHOOK_BACKOFF_MAX = 1800
WEBHOOK_TIMEOUT_SECONDS = 10
WEBHOOK_DISABLE_AFTER = 20  # consecutive failed attempts of one subscription
SIGNATURE_HEADER = "Jusur-Signature"


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


# --- Webhooks ---------------------------------------------------------------------------


def _allow_private_targets() -> bool:
    # Development and tests post to 127.0.0.1; production refuses internal addresses (SSRF).
    return bool(getattr(settings, "JUSUR_WEBHOOKS_ALLOW_PRIVATE", settings.DEBUG))


def _host_is_private(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        return True  # an unresolvable host is refused like an internal one
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            return True
    return False


def webhook_url_validate(url: str) -> None:
    """Refuse URLs the platform must not call: not HTTPS, or pointing inside our network."""
    parts = urlsplit(url)
    allow_private = _allow_private_targets()
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        raise ValidationError({"url": _("Use an https:// address.")})
    if not parts.hostname:
        raise ValidationError({"url": _("Enter a valid URL.")})
    if not allow_private and _host_is_private(parts.hostname):
        raise ValidationError({"url": _("This address is not reachable from the internet.")})


def webhook_subscription_create(*, token: APIToken, url: str, events: list[str]) -> WebhookSubscription:
    unknown = set(events) - set(WebhookEvent.values)
    if unknown or not events:
        raise ValidationError({"events": _("Choose one or more of the known events.")})
    webhook_url_validate(url)
    return WebhookSubscription.objects.create(
        partner_id=token.partner_id,
        token=token,
        url=url,
        events=[event for event in WebhookEvent.values if event in events],
        secret=f"whsec_{secrets.token_urlsafe(32)}",
    )


def webhook_subscription_delete(*, subscription: WebhookSubscription) -> None:
    subscription.delete()


def _covers(token: APIToken, *, scope: str, region_id: int | None) -> bool:
    if not token.is_usable or Scope.WEBHOOKS not in token.scopes or scope not in token.scopes:
        return False
    return token.region_id is None or token.region_id == region_id


@transaction.atomic
def webhook_emit(
    *, event: str, payload: dict, region=None, scope: str | None = None, expert_pk: int | None = None
) -> int:
    """Record one delivery of `event` for every subscription entitled to it, and queue them.

    Call it inside the transaction of the change (the deliveries commit with it). `payload`
    must hold only what the event's `scope` lets a partner read through the API; `region`
    (a Region or its id) is the region the data belongs to — a token restricted to another
    region, or any restricted token when `region` is None, receives nothing. Returns the
    number of deliveries queued. With `expert_pk`, each delivery's payload gets `expert`: that
    expert's id in the subscribing organisation's own space (partners.pseudonyms).
    """
    if event not in WebhookEvent.values:
        raise ValueError(f"unknown webhook event {event!r}")
    scope = scope or EVENT_SCOPES[event]
    region_id = getattr(region, "pk", region)
    event_id = uuid.uuid4()
    created = 0
    # JSON containment is not portable to SQLite (the demo); the subscriptions are few.
    for subscription in WebhookSubscription.objects.filter(is_active=True).select_related("token", "partner"):
        if event not in subscription.events or not _covers(subscription.token, scope=scope, region_id=region_id):
            continue
        data = payload
        if expert_pk is not None:
            data = {**payload, "expert": pseudonyms_for(subscription.partner).public_id(expert_pk)}
        delivery = WebhookDelivery.objects.create(
            subscription=subscription, event=event, event_id=event_id, payload=data, region_id=region_id
        )
        outbox_enqueue(task_name="partners.webhook_deliver", kwargs={"delivery_id": delivery.pk})
        created += 1
    return created


def webhook_body(delivery: WebhookDelivery) -> bytes:
    body = {
        "id": str(delivery.event_id),
        "event": delivery.event,
        "created_at": delivery.created_at.isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).encode()


def webhook_signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """HMAC-SHA256 of "{timestamp}.{body}" with the subscription's secret, hex-encoded."""
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect could lead the platform to an internal address: treat it as a failure.
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    if not _allow_private_targets() and _host_is_private(urlsplit(url).hostname or ""):
        return None, "refused: internal address"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - scheme checked
    try:
        with _opener.open(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, repr(exc)[:500]


def webhook_backoff(attempt: int) -> int:
    """Seconds before attempt `attempt + 1`: 30 s doubling, capped at 30 minutes."""
    return min(WEBHOOK_BACKOFF_BASE * 2 ** (attempt - 1), WEBHOOK_BACKOFF_MAX)


def _subscription_disable(subscription: WebhookSubscription) -> None:
    disabled = WebhookSubscription.objects.filter(pk=subscription.pk, is_active=True).update(
        is_active=False, disabled_at=timezone.now()
    )
    if not disabled:
        return
    WebhookDelivery.objects.filter(subscription=subscription, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.CANCELLED
    )
    recipients = User.objects.filter(partner_id=subscription.partner_id, role=Role.PARTNER, is_active=True)
    for user in recipients:
        notification_send(
            user=user,
            kind="webhook_disabled",
            template="partners/email/webhook_disabled",
            refs={"subscription": subscription},
            params={"failures": subscription.failure_count},
        )


def webhook_deliver(*, delivery_id: int) -> str:
    """Make one attempt at a delivery; on failure, queue the next one with backoff.

    Idempotent: the attempt is claimed by a conditional UPDATE on the attempt count, and a
    delivery that succeeded, failed or was cancelled is never sent again. Returns its status.
    """
    delivery = WebhookDelivery.objects.select_related("subscription__token").get(pk=delivery_id)
    if delivery.status != DeliveryStatus.PENDING:
        return delivery.status
    subscription = delivery.subscription
    scope = EVENT_SCOPES.get(delivery.event, Scope.READ_EXPERTS)
    # The token may have lost its rights since the event: check again before every attempt.
    if not subscription.is_active or not _covers(subscription.token, scope=scope, region_id=delivery.region_id):
        WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.CANCELLED
        )
        return DeliveryStatus.CANCELLED
    number = delivery.attempts + 1
    started = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.PENDING, attempts=delivery.attempts
    ).update(attempts=number, last_attempt_at=started, next_attempt_at=None)
    if not claimed:
        return "skipped"  # another worker is making this attempt

    body = webhook_body(delivery)
    timestamp = int(time.time())
    signature = webhook_signature(secret=subscription.secret, timestamp=timestamp, body=body)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Jusur-Webhooks/1",
        "Jusur-Event": delivery.event,
        "Jusur-Delivery": str(delivery.event_id),
        SIGNATURE_HEADER: f"t={timestamp},v1={signature}",
    }
    clock = time.monotonic()
    code, error = _post(subscription.url, body, headers)
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=number,
        started_at=started,
        duration_ms=int((time.monotonic() - clock) * 1000),
        response_code=code,
        error=error,
    )
    if code is not None and 200 <= code < 300:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.SUCCEEDED, response_code=code, last_error="", delivered_at=timezone.now()
        )
        WebhookSubscription.objects.filter(pk=subscription.pk).update(failure_count=0)
        return DeliveryStatus.SUCCEEDED

    logger.info("webhook delivery %s attempt %s failed: %s", delivery.pk, number, error or code)
    WebhookSubscription.objects.filter(pk=subscription.pk).update(failure_count=F("failure_count") + 1)
    subscription.refresh_from_db(fields=["failure_count"])
    with transaction.atomic():
        if number >= WEBHOOK_MAX_ATTEMPTS:
            status = DeliveryStatus.FAILED
            WebhookDelivery.objects.filter(pk=delivery.pk).update(status=status, response_code=code, last_error=error)
        else:
            status = DeliveryStatus.PENDING
            delay = webhook_backoff(number)
            WebhookDelivery.objects.filter(pk=delivery.pk).update(
                response_code=code, last_error=error, next_attempt_at=timezone.now() + timedelta(seconds=delay)
            )
            outbox_enqueue(
                task_name="partners.webhook_deliver", kwargs={"delivery_id": delivery.pk}, delay_seconds=delay
            )
        if subscription.failure_count >= getattr(settings, "JUSUR_WEBHOOK_DISABLE_AFTER", WEBHOOK_DISABLE_AFTER):
            _subscription_disable(subscription)
            status = DeliveryStatus.CANCELLED
    return status


# --- Need proposals -------------------------------------------------------------------------


def _proposal_validate_skills(skills: list[dict]) -> None:
    from taxonomy.models import Skill

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
    from regions.selectors import roadmap_adopted
    from regions.services import LanguageRequirement, SkillRequirement, need_create

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
        data={
            "axis": axis,
            "title": proposal.title,
            "description": proposal.description,
            "text_language": proposal.text_language,
            "sector": proposal.sector,
            "format": proposal.format,
            "work_mode": proposal.work_mode,
            "start_date": proposal.start_date,
            "duration_days": proposal.duration_days,
            "experts_wanted": proposal.experts_wanted,
        },
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
    from portal.permissions import can_act_in_region, is_national, is_official

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
