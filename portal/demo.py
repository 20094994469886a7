"""Demo accounts, one per role. Only `make demo` calls this; never production."""

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from .enums import PartnerKind, Role
from .models import PartnerOrganisation
from .permissions import needs_strong_authentication
from .twofactor import recovery_code_digest

DEMO_PASSWORD = "jusur-demo-2026"
# Demo only: accounts that need a second factor get this recovery code, typed into the normal
# second-step form. A recovery code is consumed when used, so each account holds it
# DEMO_RECOVERY_COPIES times, topped up by every `make demo` (demo_seed).
DEMO_RECOVERY_CODE = "12345678"
DEMO_RECOVERY_COPIES = 20

ACCOUNTS = [
    ("member@demo.jusur.ma", "Salma Amrani", Role.MEMBER, []),
    ("official.bmk@demo.jusur.ma", "Youssef Haddaoui", Role.OFFICIAL, ["05"]),
    ("official.oriental@demo.jusur.ma", "Nadia Berrada", Role.OFFICIAL, ["02"]),
    ("official.souss@demo.jusur.ma", "Hassan Ait Brahim", Role.OFFICIAL, ["09"]),
    ("coordinator@demo.jusur.ma", "Karim Tazi", Role.COORDINATOR, []),
    ("partner@demo.jusur.ma", "Leila Chraibi", Role.PARTNER, []),
    ("admin@demo.jusur.ma", "Admin Jusur", Role.ADMIN, []),
]


def seed(context: dict) -> list[str]:
    """Create the demo accounts (idempotent). Returns lines to print."""
    User = get_user_model()
    partner, _ = PartnerOrganisation.objects.get_or_create(
        name="Association Migrations & Développement (démo)",
        defaults={"kind": PartnerKind.ASSOCIATION, "country": "FR"},
    )
    lines = []
    for email, name, role, region_codes in ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email,
                DEMO_PASSWORD,
                full_name=name,
                role=role,
                is_staff=role == Role.ADMIN,
                is_superuser=role == Role.ADMIN,
                partner=partner if role == Role.PARTNER else None,
            )
            user.regions.set(user.regions.model.objects.filter(code__in=region_codes))
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
