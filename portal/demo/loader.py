"""Demo accounts, one per role (data: accounts.yaml). Only `make demo` calls this; never production.

Written directly, not through a service: no service creates an account with a known password
and a role (members register and verify by e-mail; staff are made by an administrator)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from ..enums import PartnerKind, Role
from ..models import PartnerOrganisation
from ..permissions import needs_strong_authentication
from ..twofactor import recovery_code_digest
from .files import Choice, Optional, load

DEMO_PASSWORD = "jusur-demo-2026"
# Demo only: accounts that need a second factor get this recovery code, typed into the normal
# second-step form. A recovery code is consumed when used, so each account holds it
# DEMO_RECOVERY_COPIES times, topped up by every `make demo` (demo_seed).
DEMO_RECOVERY_CODE = "12345678"
DEMO_RECOVERY_COPIES = 20

DATA = Path(__file__).resolve().parent
SCHEMA = {
    "partner_organisation": {"name": str, "kind": Choice(*PartnerKind.values), "country": str},
    "accounts": [
        {"email": str, "name": str, "role": Choice(*Role.values), "regions": Optional([str])},
    ],
}
FILES = {"accounts.yaml": SCHEMA}


def seed(context: dict) -> list[str]:
    """Create the demo accounts (idempotent). Returns lines to print."""
    data = load(DATA / "accounts.yaml", SCHEMA)
    User = get_user_model()
    org = data["partner_organisation"]
    partner, _ = PartnerOrganisation.objects.get_or_create(
        name=org["name"], defaults={"kind": org["kind"], "country": org["country"]}
    )
    lines = []
    for account in data["accounts"]:
        email, role = account["email"], account["role"]
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email,
                DEMO_PASSWORD,
                full_name=account["name"],
                role=role,
                is_staff=role == Role.ADMIN,
                is_superuser=role == Role.ADMIN,
                partner=partner if role == Role.PARTNER else None,
            )
            user.regions.set(user.regions.model.objects.filter(code__in=account.get("regions", [])))
        context.setdefault("users", {})[role] = context.get("users", {}).get(role, user)
        second_factor = ""
        if needs_strong_authentication(user):
            _demo_recovery_codes(user)
            second_factor = f"  (second step: recovery code {DEMO_RECOVERY_CODE})"
        lines.append(f"  {Role(role).label:<28} {email}{second_factor}")
    lines.append(f"  password for every demo account: {DEMO_PASSWORD}")
    lines.append(
        f"  officials, coordinator and admin: second sign-in step with recovery code {DEMO_RECOVERY_CODE}"
        f" (demo data only; usable {DEMO_RECOVERY_COPIES} times per `make demo`)"
    )
    return lines


def _demo_recovery_codes(user) -> None:
    device, _ = StaticDevice.objects.get_or_create(user=user, name="Demo recovery code", defaults={"confirmed": True})
    digest = recovery_code_digest(DEMO_RECOVERY_CODE)
    missing = DEMO_RECOVERY_COPIES - device.token_set.filter(token=digest).count()
    StaticToken.objects.bulk_create(StaticToken(device=device, token=digest) for _ in range(missing))
