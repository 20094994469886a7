"""Demo data: about 300 diaspora experts, a few associations, and a complete profile for the
demo member. Only `manage.py demo_seed` calls this; never production. Idempotent: experts are
recognised by their e-mail domain, associations by name."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from portal.enums import EngagementFormat, Language, LanguageLevel, Role, SkillLevel, WorkMode
from regions.models import Need, NeedSkill, Province, Region
from taxonomy.enums import ConceptType
from taxonomy.models import Sector, Skill

from .enums import CONSENT_COLUMNS, CONSENT_TEXT_VERSION, ConsentPurpose
from .models import (
    Association,
    AssociationMembership,
    ConsentRecord,
    Education,
    ExpertFormat,
    ExpertLanguage,
    ExpertProfile,
    ExpertSkill,
    WorkExperience,
)

EXPERT_DOMAIN = "experts.demo.jusur.ma"
EXPERT_COUNT = 300
MEMBER_EMAIL = "member@demo.jusur.ma"

FIRST_NAMES_F = [
    "Salma",
    "Fatima Zahra",
    "Khadija",
    "Nadia",
    "Imane",
    "Meryem",
    "Hajar",
    "Loubna",
    "Sanaa",
    "Asmae",
    "Zineb",
    "Houda",
    "Latifa",
    "Naima",
    "Soukaina",
    "Ghizlane",
    "Wafae",
    "Samira",
    "Rachida",
    "Amal",
    "Ikram",
    "Siham",
    "Kawtar",
    "Hanane",
    "Btissam",
    "Yasmine",
    "Dounia",
    "Malika",
    "Fadwa",
    "Chaimae",
]
FIRST_NAMES_M = [
    "Mohamed",
    "Youssef",
    "Hamza",
    "Karim",
    "Omar",
    "Rachid",
    "Abdelali",
    "Mustapha",
    "Hicham",
    "Said",
    "Anas",
    "Mehdi",
    "Ayoub",
    "Brahim",
    "Lahcen",
    "Jamal",
    "Nabil",
    "Driss",
    "Khalid",
    "Adil",
    "Tarik",
    "Yassine",
    "Othmane",
    "Redouane",
    "Abdellah",
    "Hassan",
    "Soufiane",
    "Ilyas",
    "Zakaria",
    "Aziz",
]
SURNAMES = [
    "El Amrani",
    "Benali",
    "Ouali",
    "Ait Brahim",
    "Bennani",
    "El Idrissi",
    "Tahiri",
    "Lahlou",
    "Berrada",
    "El Fassi",
    "Ouazzani",
    "Chraibi",
    "Bouzidi",
    "Zerouali",
    "Ait Lahcen",
    "Amezian",
    "Oufkir",
    "El Khattabi",
    "Belhaj",
    "Azzouzi",
    "Moussaoui",
    "Haddaoui",
    "Boukhris",
    "El Mansouri",
    "Naciri",
    "Ait Ouarab",
    "Benjelloun",
    "Rifi",
    "Ziani",
    "Boutaleb",
    "Achabbak",
    "Oubella",
    "El Ouafi",
    "Boujemaa",
    "Amghar",
    "Talbi",
    "Kabbaj",
    "Saidi",
    "Ait Taleb",
    "Bakkali",
]
# Country of residence, weight, cities, the local language people speak there.
COUNTRIES = [
    ("FR", 30, ["Paris", "Lyon", "Marseille", "Montpellier", "Toulouse", "Lille", "Bordeaux", "Strasbourg"], "fr"),
    ("ES", 18, ["Madrid", "Barcelona", "Murcia", "Almería", "Valencia", "Málaga"], "es"),
    ("BE", 12, ["Bruxelles", "Anvers", "Liège", "Gand", "Charleroi"], "nl"),
    ("NL", 10, ["Rotterdam", "Amsterdam", "Utrecht", "La Haye"], "nl"),
    ("IT", 9, ["Milan", "Turin", "Bologne", "Rome"], "it"),
    ("DE", 7, ["Düsseldorf", "Francfort", "Cologne", "Berlin"], "de"),
    ("CA", 7, ["Montréal", "Québec", "Ottawa", "Toronto"], "fr"),
    ("AE", 4, ["Dubaï", "Abou Dabi"], "en"),
    ("QA", 2, ["Doha"], "en"),
    ("SA", 1, ["Riyad", "Djeddah"], "en"),
]
# Weight of each region of origin: the three pilots first (Oriental, Béni Mellal-Khénifra, Souss-Massa).
ORIGINS = {
    "02": 26,
    "05": 24,
    "09": 22,
    "01": 5,
    "03": 4,
    "04": 3,
    "06": 5,
    "07": 4,
    "08": 3,
    "10": 2,
    "11": 1,
    "12": 1,
}
JOB_TITLES = [
    ("Ingénieur hydraulicien", "Veolia"),
    ("Cheffe de projet agritech", "Bayer"),
    ("Développeur logiciel", "Capgemini"),
    ("Médecin urgentiste", "AP-HP"),
    ("Infirmière coordinatrice", "Hospital Clínic"),
    ("Consultant en énergies renouvelables", "Enel"),
    ("Enseignante-chercheuse", "Université de Liège"),
    ("Expert-comptable", "KPMG"),
    ("Architecte urbaniste", "Arcadis"),
    ("Responsable logistique", "DHL"),
    ("Chef cuisinier", "Groupe Accor"),
    ("Data scientist", "Booking.com"),
    ("Ingénieure en génie civil", "Vinci"),
    ("Conseiller en investissement", "BNP Paribas"),
    ("Pharmacien", "Sanofi"),
]
DEGREES = [
    ("Diplôme d'ingénieur", "École Mohammadia d'ingénieurs"),
    ("Master en agronomie", "IAV Hassan II"),
    ("Doctorat en médecine", "Université Mohammed V"),
    ("Master en informatique", "Sorbonne Université"),
    ("Licence en économie", "Université Cadi Ayyad"),
    ("Master en gestion", "ENCG Agadir"),
    ("Diplôme d'architecte", "École nationale d'architecture"),
    ("Doctorat en hydrologie", "Université de Liège"),
]
BIOS = [
    "Originaire de la région, je souhaite mettre mon expérience au service des projets locaux.",
    "أرغب في المساهمة في تنمية جهتي الأصلية بخبرتي المهنية في الخارج.",
    "I have worked abroad for over ten years and would like to support young entrepreneurs back home.",
    "Disponible pour du mentorat à distance et des missions courtes pendant l'été.",
    "أعمل في هذا المجال منذ سنوات وأستطيع تقديم التكوين والمواكبة عن بعد.",
    "Engagée dans le milieu associatif, j'accompagne des porteurs de projets entre l'Europe et le Maroc.",
]
ASSOCIATIONS = [
    ("Association des Marocains de Lyon pour le développement", "FR", "Lyon", ["02", "05"], ["P", "Q"]),
    ("Migrations & Territoires Souss", "FR", "Montpellier", ["09"], ["A", "I"]),
    ("Asociación Oriental-Murcia Solidaria", "ES", "Murcia", ["02"], ["A", "F"]),
    ("Atlas Brug Rotterdam", "NL", "Rotterdam", ["02", "09"], ["P", "J"]),
    ("Réseau des compétences marocaines de Belgique", "BE", "Bruxelles", ["05", "02"], ["M", "J", "K"]),
    ("Tadla Diaspora Italia", "IT", "Turin", ["05"], ["A", "C"]),
]


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
    if local not in ("fr",):
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
    """(skill ids, format) of each open need: half the demo experts are drawn to fit one, so
    that the demo's rankings are not empty (real registrations cluster around real needs too)."""

    skills_by_need: dict[int, list[int]] = {}
    for need_id, skill_id in NeedSkill.objects.order_by("need_id", "skill_id").values_list("need_id", "skill_id"):
        skills_by_need.setdefault(need_id, []).append(skill_id)
    return [(skills_by_need.get(pk, []), fmt) for pk, fmt in Need.objects.order_by("pk").values_list("pk", "format")]


def _add_details(profile, rng, skills, sectors, local, now, need_profiles=()):
    chosen = rng.sample(skills, k=rng.randint(2, 6))
    formats = rng.sample(EngagementFormat.values, k=rng.randint(1, 3))
    if need_profiles and rng.random() < 0.5:
        need_skills, need_format = rng.choice(need_profiles)
        by_id = {s.pk: s for s in skills}
        chosen = list({s.pk: s for s in chosen + [by_id[pk] for pk in need_skills if pk in by_id]}.values())
        formats = sorted({*formats, need_format})
    ExpertSkill.objects.bulk_create(
        [
            ExpertSkill(profile=profile, skill=s, level=rng.choice(SkillLevel.values), years=rng.randint(1, 25))
            for s in chosen
        ]
    )
    ExpertLanguage.objects.bulk_create(
        [ExpertLanguage(profile=profile, language=code, level=level) for code, level in _languages_for(rng, local)]
    )
    ExpertFormat.objects.bulk_create([ExpertFormat(profile=profile, format=f) for f in formats])
    own_sectors = {s.sector_id for s in chosen if s.sector_id} or {rng.choice(sectors).pk}
    profile.sectors.set(own_sectors)
    title, org = rng.choice(JOB_TITLES)
    start = rng.randint(1998, 2020)
    WorkExperience.objects.create(profile=profile, title=title, organisation=org, start_year=start)
    degree, school = rng.choice(DEGREES)
    Education.objects.create(profile=profile, degree=degree, institution=school, year=start - rng.randint(0, 2))


def _record_consents(profile, choices, when):
    records = [
        ConsentRecord(
            user_id=profile.user_id, purpose=p, granted=True, text_version=CONSENT_TEXT_VERSION, recorded_at=when
        )
        for p, granted in choices.items()
        if granted
    ]
    ConsentRecord.objects.bulk_create(records)
    ExpertProfile.objects.filter(pk=profile.pk).update(
        **{CONSENT_COLUMNS[ConsentPurpose(p)]: granted for p, granted in choices.items()}
    )


def seed(context: dict) -> list[str]:
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

    need_profiles = _need_profiles()
    existing = ExpertProfile.objects.filter(user__email__endswith="@" + EXPERT_DOMAIN)
    created = 0
    if not existing.exists():
        for index in range(EXPERT_COUNT):
            female = rng.random() < 0.45
            first = rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M)
            last = rng.choice(SURNAMES)
            country, _, cities, local = _weighted(rng, [(c, c[1]) for c in COUNTRIES])
            email = f"{first.split()[0].lower()}.{last.lower().replace(' ', '')}.{index}@{EXPERT_DOMAIN}"
            user = User(
                email=email,
                full_name=f"{first} {last}",
                role=Role.MEMBER,
                preferred_language=rng.choice(["fr", "ar", "fr", "en"]),
            )
            user.set_unusable_password()  # demo experts never sign in
            user.save()
            region = regions.get(_weighted(rng, list(ORIGINS.items())))
            province = rng.choice(provinces[region.pk]) if region and provinces.get(region.pk) else None
            communes = list(province.communes.all()) if province else []
            # Confirmed within the last 14 months: some are due a reminder, a few are stale.
            confirmed = now - timedelta(days=rng.randint(0, 425))
            start = date.today() + timedelta(days=rng.randint(-60, 120))
            profile = ExpertProfile.objects.create(
                user=user,
                display_name=f"{first} {last[0]}.",
                birth_year=rng.randint(1960, 2000),
                country_of_residence=country,
                city=rng.choice(cities),
                origin_region=region,
                origin_province=province,
                origin_commune=rng.choice(communes) if communes and rng.random() < 0.6 else None,
                bio=rng.choice(BIOS),
                work_mode=rng.choice(WorkMode.values),
                hours_per_month=rng.choice([2, 4, 8, 10, 16, 20, 40]),
                available_from=start,
                available_until=start + timedelta(days=rng.randint(60, 720)) if rng.random() < 0.7 else None,
                confirmed_at=confirmed,
                is_stale=confirmed < now - timedelta(days=365),
            )
            _add_details(profile, rng, skills, sectors, local, now, need_profiles)
            _record_consents(profile, _consents(rng), confirmed)
            created += 1

    member = User.objects.filter(email=MEMBER_EMAIL).first()
    if member is not None and not ExpertProfile.objects.filter(user=member).exists():
        profile = ExpertProfile.objects.create(
            user=member,
            display_name="Salma Amrani",
            birth_year=1987,
            phone="+33 6 12 34 56 78",
            country_of_residence="FR",
            city="Lyon",
            origin_region=regions["05"],
            origin_province=provinces[regions["05"].pk][0],
            bio="Ingénieure hydraulicienne à Lyon depuis douze ans, originaire de Béni Mellal. "
            "Je souhaite accompagner les projets d'irrigation et former de jeunes ingénieurs.",
            work_mode=WorkMode.BOTH,
            hours_per_month=10,
            available_from=date.today(),
            available_until=date.today() + timedelta(days=365),
        )
        _add_details(profile, rng, skills, sectors, "fr", now)
        _record_consents(profile, {p.value: True for p in ConsentPurpose}, now)

    experts = list(ExpertProfile.objects.filter(user__email__endswith="@" + EXPERT_DOMAIN).order_by("pk"))
    for name, country, city, region_codes, sector_codes in ASSOCIATIONS:
        association, made = Association.objects.get_or_create(
            name=name, defaults={"country": country, "city": city, "description": ""}
        )
        if made:
            association.origin_regions.set([regions[c] for c in region_codes])
            association.focus_sectors.set(Sector.objects.filter(code__in=sector_codes))
            members = [e.user_id for e in experts if e.country_of_residence.code == country][:12]
            AssociationMembership.objects.bulk_create(
                [AssociationMembership(association=association, user_id=uid) for uid in members]
            )
    if member is not None:
        first = Association.objects.order_by("name").first()
        AssociationMembership.objects.get_or_create(association=first, user=member)

    all_profiles = list(ExpertProfile.objects.select_related("user").order_by("pk"))
    context["experts"] = all_profiles
    matchable = ExpertProfile.objects.matchable().count()
    return [
        f"  {created} experts created ({len(all_profiles)} profiles, {matchable} matchable)",
        f"  {Association.objects.count()} associations",
    ]
