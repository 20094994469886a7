"""Demo accounts, one per role. Only `make demo` calls this; never production."""

from django.contrib.auth import get_user_model

from regions.models import Region

from .enums import PartnerKind, Role
from .models import PartnerOrganisation

DEMO_PASSWORD = "jusur-demo-2026"

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
            user.regions.set(Region.objects.filter(code__in=region_codes))
        context.setdefault("users", {})[role] = context.get("users", {}).get(role, user)
        lines.append(f"  {Role(role).label:<28} {email}")
    lines.append(f"  password for every demo account: {DEMO_PASSWORD}")
    return lines
