"""Demo data (people.yaml): about 300 diaspora experts, a complete profile for the demo member,
and a few associations. Profiles are written through this app's services, the same calls the
profile pages make, so each one queues what a real registration queues (matching re-scores the
expert, through the outbox). Only `manage.py demo_seed` calls this; never production.
Idempotent: experts are recognised by their e-mail domain, associations by name."""

from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from portal.demo.clock import demo_clock
from portal.demo.files import MapOf, Row, load
from portal.enums import EngagementFormat, Language, LanguageLevel, Role, SkillLevel, WorkMode
from regions.demo.loader import starter_skill_ids
from regions.models import Need, NeedSkill, Province, Region
from taxonomy.enums import ConceptType
from taxonomy.models import Sector, Skill

from ..enums import ConsentPurpose
from ..models import Association, ExpertProfile
from ..services import (
    association_join,
    consent_set,
    profile_background_set,
    profile_confirm,
    profile_formats_set,
    profile_languages_set,
    profile_save,
    profile_sectors_set,
    profile_skills_set,
    staleness_sweep,
)

DATA = Path(__file__).resolve().parent
SCHEMA = {
    "expert_count": int,
    "email_domain": str,
    "first_names": {"female": [str], "male": [str]},
    "surnames": [str],
    "countries": [{"code": str, "weight": int, "language": str, "cities": [str]}],
    "origins": MapOf(str, int),
    "jobs": [{"title": str, "organisation": str}],
    "degrees": [{"degree": str, "institution": str}],
    "bios": [str],
    "member": {
        "email": str,
        "display_name": str,
        "birth_year": int,
        "phone": str,
        "country": str,
        "city": str,
        "origin_region": str,
        "bio": str,
        "work_mode": str,
        "hours_per_month": int,
        "available_for_days": int,
        "skills": [Row(str, int, int)],
        "languages": MapOf(str, int),
        "formats": [str],
        "job": {"title": str, "organisation": str},
        "degree": {"degree": str, "institution": str},
    },
    "associations": [
        {"name": str, "country": str, "city": str, "origin_regions": [str], "focus_sectors": [str]},
    ],
}
FILES = {"people.yaml": SCHEMA}


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


def _languages_for(rng, local: str) -> list[tuple[str, int]]:
    langs = {Language.AR: LanguageLevel.NATIVE if rng.random() < 0.7 else LanguageLevel.C1}
    if rng.random() < 0.5:
        langs[Language.ARY] = LanguageLevel.NATIVE
    if rng.random() < 0.3:
        langs[Language.ZGH] = rng.choice([LanguageLevel.B2, LanguageLevel.NATIVE])
    langs[Language.FR] = rng.choice([LanguageLevel.B2, LanguageLevel.C1, LanguageLevel.C2])
    if local != "fr":
        langs[Language(local)] = rng.choice([LanguageLevel.B2, LanguageLevel.C1, LanguageLevel.C2])
    if rng.random() < 0.5:
        langs.setdefault(Language.EN, rng.choice([LanguageLevel.B1, LanguageLevel.B2, LanguageLevel.C1]))
    return list(langs.items())


def _consents(rng) -> dict[str, bool]:
    matching = rng.random() < 0.75
    return {
        ConsentPurpose.MATCHING: matching,
        ConsentPurpose.CONTACT: matching and rng.random() < 0.7,
        ConsentPurpose.PARTNER_SHARING: rng.random() < 0.4,
        ConsentPurpose.STATISTICS: rng.random() < 0.85,
    }


def _need_profiles() -> list[tuple[list[int], str]]:
    """(skill ids, format) of each need: half the demo experts are drawn to fit one, so that
    the demo's rankings are not empty (real registrations cluster around real needs too)."""
    skills_by_need: dict[int, list[int]] = {}
    for need_id, skill_id in NeedSkill.objects.order_by("need_id", "skill_id").values_list("need_id", "skill_id"):
        skills_by_need.setdefault(need_id, []).append(skill_id)
    return [(skills_by_need.get(pk, []), fmt) for pk, fmt in Need.objects.order_by("pk").values_list("pk", "format")]


def _fill_profile(profile, rng, pools, skills, sectors, local, confirmed, need_profiles=()):
    """The rest of the profile wizard, step by step, as the member would fill it in."""
    chosen = rng.sample(skills, k=rng.randint(2, 6))
    formats = rng.sample(EngagementFormat.values, k=rng.randint(1, 3))
    if need_profiles and rng.random() < 0.5:
        need_skills, need_format = rng.choice(need_profiles)
        by_id = {s.pk: s for s in skills}
        chosen = list({s.pk: s for s in chosen + [by_id[pk] for pk in need_skills if pk in by_id]}.values())
        formats = sorted({*formats, need_format})
    profile_skills_set(
        profile=profile, skills=[(s.pk, rng.choice(SkillLevel.values), rng.randint(1, 25)) for s in chosen]
    )
    profile_languages_set(profile=profile, languages=_languages_for(rng, local))
    profile_formats_set(profile=profile, formats=formats)
    profile_sectors_set(
        profile=profile, sectors={s.sector_id for s in chosen if s.sector_id} or {rng.choice(sectors).pk}
    )
    job = {**rng.choice(pools["jobs"]), "start_year": rng.randint(1998, 2020)}
    degree = {**rng.choice(pools["degrees"]), "year": job["start_year"] - rng.randint(0, 2)}
    profile_background_set(profile=profile, experiences=[job], education=[degree])
    consents = _consents(rng)  # drawn last, as always: the same seed gives the same people
    with demo_clock(confirmed):  # consent records are history: given when the profile was confirmed
        consent_set(profile=profile, choices=consents)
    profile_confirm(profile=profile, now=confirmed)


def _account(email: str, full_name: str, language: str):
    """Written directly: registration (diaspora.services.account_register) wants a password and
    an e-mail round trip; demo experts never sign in, so their accounts have no usable password."""
    User = get_user_model()
    user = User(email=email, full_name=full_name, role=Role.MEMBER, preferred_language=language)
    user.set_unusable_password()
    user.save()
    return user


def seed(context: dict) -> list[str]:
    pools = load(DATA / "people.yaml", SCHEMA)
    rng = context["random"]
    User = get_user_model()
    now = timezone.now()
    skills = list(Skill.objects.filter(concept_type=ConceptType.SKILL).order_by("pk"))
    sectors = list(Sector.objects.order_by("code"))
    regions = {r.code: r for r in Region.objects.all()}
    if not skills or not regions:
        return ["  skipped: load territories and the starter taxonomy first"]
    provinces: dict[int, list[Province]] = {}
    for province in Province.objects.prefetch_related("communes").order_by("code"):
        provinces.setdefault(province.region_id, []).append(province)

    domain = "@" + pools["email_domain"]
    need_profiles = _need_profiles()
    created = 0
    if not ExpertProfile.objects.filter(user__email__endswith=domain).exists():
        countries = [(c, c["weight"]) for c in pools["countries"]]
        for index in range(pools["expert_count"]):
            female = rng.random() < 0.45
            first = rng.choice(pools["first_names"]["female" if female else "male"])
            last = rng.choice(pools["surnames"])
            country = _weighted(rng, countries)
            email = f"{first.split()[0].lower()}.{last.lower().replace(' ', '')}.{index}{domain}"
            user = _account(email, f"{first} {last}", rng.choice(["fr", "ar", "fr", "en"]))
            region = regions.get(_weighted(rng, list(pools["origins"].items())))
            province = rng.choice(provinces[region.pk]) if region and provinces.get(region.pk) else None
            communes = list(province.communes.all()) if province else []
            # Confirmed within the last 14 months: some are due a reminder, a few are stale.
            confirmed = now - timedelta(days=rng.randint(0, 425))
            start = date.today() + timedelta(days=rng.randint(-60, 120))
            profile = profile_save(
                user=user,
                data={
                    "display_name": f"{first} {last[0]}.",
                    "birth_year": rng.randint(1960, 2000),
                    "country_of_residence": country["code"],
                    "city": rng.choice(country["cities"]),
                    "origin_region": region,
                    "origin_province": province,
                    "origin_commune": rng.choice(communes) if communes and rng.random() < 0.6 else None,
                    "bio": rng.choice(pools["bios"]),
                    "work_mode": rng.choice(WorkMode.values),
                    "hours_per_month": rng.choice([2, 4, 8, 10, 16, 20, 40]),
                    "available_from": start,
                    "available_until": start + timedelta(days=rng.randint(60, 720)) if rng.random() < 0.7 else None,
                },
            )
            _fill_profile(profile, rng, pools, skills, sectors, country["language"], confirmed, need_profiles)
            created += 1
        # Profiles not confirmed for a year turn stale, those close to it get their reminder:
        # the same sweep beat runs every day.
        staleness_sweep(now=now)

    spec = pools["member"]
    member = User.objects.filter(email=spec["email"]).first()
    if member is not None and not ExpertProfile.objects.filter(user=member).exists():
        origin = regions[spec["origin_region"]]
        profile = profile_save(
            user=member,
            data={
                "display_name": spec["display_name"],
                "birth_year": spec["birth_year"],
                "phone": spec["phone"],
                "country_of_residence": spec["country"],
                "city": spec["city"],
                "origin_region": origin,
                "origin_province": provinces[origin.pk][0],
                "bio": spec["bio"],
                "work_mode": spec["work_mode"],
                "hours_per_month": spec["hours_per_month"],
                "available_from": date.today(),
                "available_until": date.today() + timedelta(days=spec["available_for_days"]),
            },
        )
        # Her own profile, step by step as in the wizard (not drawn at random: the demo's
        # invitation to her must fit what she offers).
        keys = starter_skill_ids()
        chosen = [(keys[key], level, years) for key, level, years in spec["skills"] if key in keys]
        profile_skills_set(profile=profile, skills=chosen)
        profile_languages_set(profile=profile, languages=list(spec["languages"].items()))
        profile_formats_set(profile=profile, formats=spec["formats"])
        own = Skill.objects.filter(pk__in=[pk for pk, _level, _years in chosen], sector__isnull=False)
        profile_sectors_set(profile=profile, sectors=set(own.values_list("sector_id", flat=True)))
        profile_background_set(
            profile=profile,
            experiences=[{**spec["job"], "start_year": 2013}],
            education=[{**spec["degree"], "year": 2010}],
        )
        consent_set(profile=profile, choices={p.value: True for p in ConsentPurpose})
        profile_confirm(profile=profile, now=now)

    experts = list(ExpertProfile.objects.filter(user__email__endswith=domain).order_by("pk"))
    for spec in pools["associations"]:
        # Written directly: associations are listed by the portal's staff in the admin (no service).
        association, made = Association.objects.get_or_create(
            name=spec["name"], defaults={"country": spec["country"], "city": spec["city"], "description": ""}
        )
        if made:
            association.origin_regions.set([regions[c] for c in spec["origin_regions"]])
            association.focus_sectors.set(Sector.objects.filter(code__in=spec["focus_sectors"]))
            for expert in [e for e in experts if e.country_of_residence.code == spec["country"]][:12]:
                association_join(association=association, user=expert.user)
    if member is not None:
        association_join(association=Association.objects.order_by("name").first(), user=member)

    all_profiles = list(ExpertProfile.objects.select_related("user").order_by("pk"))
    context["experts"] = all_profiles
    matchable = ExpertProfile.objects.matchable().count()
    return [
        f"  {created} experts created ({len(all_profiles)} profiles, {matchable} matchable)",
        f"  {Association.objects.count()} associations",
    ]
