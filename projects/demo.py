"""Demo data for the investment area: support programmes with eligibility rules, opportunities in
each pilot region and a few dozen diaspora projects across every pipeline stage.

History rows are written directly here, backdated, and without notifications: the demo must show
months of follow-up at once and must not e-mail anyone. The portal itself changes a project's
state only through services.project_transition.
"""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from portal.enums import Role
from portal.models import PartnerOrganisation
from regions.models import Commune, Province, Region
from taxonomy.models import Sector

from .enums import OpportunityStatus, ProjectStage, ProjectStatus, SupportNeed
from .models import (
    EligibilityRule,
    Opportunity,
    OpportunityInterest,
    Project,
    ProjectNote,
    ProjectPartner,
    ProjectTransition,
    SupportProgramme,
)
from .pipeline import RESPONSE_DAYS

S = ProjectStatus

# (fr, ar, en, operator, region code or None, rate %, cap MAD, [(field, operator, threshold)])
PROGRAMMES = [
    (
        "MDM Invest (démo)",
        "برنامج MDM Invest (تجريبي)",
        "MDM Invest (demo)",
        "Ministère chargé des MRE / CCG",
        None,
        Decimal("10"),
        5_000_000,
        [("amount_mad", "gte", "1000000"), ("share_from_abroad_pct", "gte", "25")],
    ),
    (
        "Intelaka – financement des TPE (démo)",
        "انطلاقة – تمويل المقاولات الصغيرة جدا (تجريبي)",
        "Intelaka – micro-enterprise financing (demo)",
        "Banques partenaires",
        None,
        None,
        None,
        [("amount_mad", "lte", "1200000")],
    ),
    (
        "Forsa – amorçage (démo)",
        "فرصة – مرحلة الانطلاق (تجريبي)",
        "Forsa – seed support (demo)",
        "Ministère du Tourisme, de l'Artisanat et de l'Économie sociale",
        None,
        Decimal("100"),
        100_000,
        [("amount_mad", "lte", "300000"), ("stage", "in", "idea, business_plan")],
    ),
    (
        "Appui à l'agro-industrie du Tadla (démo)",
        "دعم الصناعات الفلاحية بتادلة (تجريبي)",
        "Tadla agri-food support (demo)",
        "CRI Béni Mellal-Khénifra",
        "05",
        Decimal("15"),
        1_500_000,
        [("sector", "in", "A, C"), ("expected_jobs", "gte", "5")],
    ),
    (
        "Oriental Invest – diaspora (démo)",
        "الشرق للاستثمار – مغاربة العالم (تجريبي)",
        "Oriental Invest – diaspora (demo)",
        "CRI de l'Oriental",
        "02",
        Decimal("20"),
        2_000_000,
        [("share_from_abroad_pct", "gte", "50"), ("expected_jobs", "gte", "10")],
    ),
    (
        "Fonds régional Souss-Massa (démo)",
        "الصندوق الجهوي سوس ماسة (تجريبي)",
        "Souss-Massa regional fund (demo)",
        "Région Souss-Massa",
        "09",
        Decimal("12"),
        3_000_000,
        [("sector", "in", "A, C, I"), ("own_contribution_pct", "gte", "20")],
    ),
]

# (region, province code, title, sector, min, max, jobs, land, premises, status, description)
OPPORTUNITIES = [
    (
        "05",
        "05.255",
        "Unité de trituration d'olives à Fquih Ben Salah",
        "C",
        3_000_000,
        12_000_000,
        35,
        True,
        False,
        "published",
        "Le Tadla produit plus de 100 000 tonnes d'olives par an ; la région cherche une huilerie moderne "
        "en deux phases, proche des vergers, avec une station de traitement des margines.",
    ),
    (
        "05",
        "05.081",
        "Gîtes et écolodges dans la vallée des Aït Bouguemez",
        "I",
        800_000,
        4_000_000,
        12,
        True,
        False,
        "published",
        "La « vallée heureuse » attire randonneurs et familles ; des terrains collectifs sont mobilisables "
        "pour des gîtes en pisé respectant l'architecture locale.",
    ),
    (
        "05",
        "05.091",
        "Laiterie et fromagerie à Béni Mellal",
        "C",
        2_000_000,
        8_000_000,
        25,
        False,
        True,
        "published",
        "Transformation du lait des coopératives du périmètre irrigué ; un local est disponible dans la "
        "zone industrielle de Béni Mellal.",
    ),
    (
        "05",
        "05.311",
        "Lots industriels à Khouribga",
        "C",
        1_000_000,
        20_000_000,
        80,
        True,
        False,
        "draft",
        "Lots viabilisés pour la sous-traitance industrielle autour du bassin phosphatier.",
    ),
    (
        "02",
        "02.113",
        "Résidence touristique à Saïdia",
        "I",
        10_000_000,
        60_000_000,
        120,
        True,
        False,
        "published",
        "Terrain en front de mer à Saïdia pour une résidence touristique ouverte toute l'année.",
    ),
    (
        "02",
        "02.113",
        "Conditionnement des agrumes de la Moulouya",
        "A",
        4_000_000,
        15_000_000,
        60,
        False,
        True,
        "published",
        "Station de conditionnement et de froid pour les clémentines de Berkane, labellisées IGP.",
    ),
    (
        "02",
        "02.381",
        "Plateforme logistique près de Nador West Med",
        "H",
        15_000_000,
        80_000_000,
        150,
        True,
        False,
        "published",
        "Entreposage et services logistiques à proximité du nouveau port de Nador West Med.",
    ),
    (
        "02",
        "02.251",
        "Valorisation des dattes de Figuig",
        "C",
        500_000,
        3_000_000,
        15,
        False,
        False,
        "closed",
        "Unité de tri, de conditionnement et de pâte de dattes pour les palmeraies de Figuig.",
    ),
    (
        "09",
        "09.581",
        "Unité de transformation de l'huile d'argan à Tiznit",
        "C",
        1_500_000,
        6_000_000,
        40,
        False,
        True,
        "published",
        "En lien avec les coopératives féminines de la région, pour l'export cosmétique et alimentaire.",
    ),
    (
        "09",
        "09.163",
        "Station de conditionnement de primeurs à Chtouka-Aït Baha",
        "A",
        5_000_000,
        25_000_000,
        90,
        True,
        False,
        "published",
        "Tomates et fruits rouges de la plaine de Chtouka, principal bassin d'export du pays.",
    ),
    (
        "09",
        "09.001",
        "Espace d'entreprises numériques à Agadir",
        "J",
        1_000_000,
        5_000_000,
        50,
        False,
        True,
        "published",
        "Plateaux de bureaux équipés pour des entreprises de services numériques, près de l'université Ibn Zohr.",
    ),
    (
        "09",
        "09.541",
        "Écotourisme dans l'arrière-pays de Taroudannt",
        "I",
        600_000,
        3_000_000,
        10,
        True,
        False,
        "draft",
        "Maisons d'hôtes et circuits autour des kasbahs et des oasis de la province de Taroudannt.",
    ),
]

# (title, language, sector, amount MAD, share %, own %, jobs, stage, needs, description)
PROJECT_IDEAS = [
    (
        "Ferme d'élevage caprin et fromagerie",
        "fr",
        "A",
        1_800_000,
        70,
        35,
        9,
        "business_plan",
        ["land", "financing"],
        "Élevage de 200 chèvres et fromagerie artisanale, vente aux hôtels de la région.",
    ),
    (
        "Huilerie moderne en deux phases",
        "fr",
        "C",
        6_500_000,
        60,
        30,
        22,
        "financing",
        ["financing", "permits"],
        "Trituration de 40 tonnes d'olives par jour et mise en bouteille.",
    ),
    (
        "Maison d'hôtes traditionnelle",
        "fr",
        "I",
        2_200_000,
        80,
        40,
        7,
        "setting_up",
        ["permits"],
        "Rénovation d'une demeure familiale en maison d'hôtes de huit chambres.",
    ),
    (
        "Atelier de menuiserie aluminium",
        "fr",
        "C",
        900_000,
        50,
        25,
        6,
        "business_plan",
        ["land", "training"],
        "Menuiserie aluminium et PVC pour les chantiers de la province.",
    ),
    (
        "Cabinet de kinésithérapie",
        "fr",
        "Q",
        650_000,
        100,
        50,
        4,
        "idea",
        ["financing"],
        "Retour d'un kinésithérapeute installé en Belgique, cabinet équipé en centre-ville.",
    ),
    (
        "Serre hydroponique de tomates cerises",
        "fr",
        "A",
        3_400_000,
        45,
        20,
        18,
        "financing",
        ["land", "financing"],
        "Serre de deux hectares en hydroponie, économe en eau, pour l'export.",
    ),
    (
        "Agence de développement web et mobile",
        "fr",
        "J",
        400_000,
        90,
        60,
        8,
        "operating",
        ["partners"],
        "Équipe de développeurs travaillant pour des clients en France et au Maroc.",
    ),
    (
        "Centrale solaire pour exploitations agricoles",
        "fr",
        "D",
        4_800_000,
        65,
        30,
        12,
        "business_plan",
        ["financing", "permits", "partners"],
        "Installation et maintenance de pompage solaire pour les agriculteurs.",
    ),
    (
        "Transport frigorifique de fruits et légumes",
        "fr",
        "H",
        2_600_000,
        40,
        25,
        14,
        "financing",
        ["financing"],
        "Flotte de six camions frigorifiques entre les stations de conditionnement et les ports.",
    ),
    (
        "Centre de formation aux métiers du numérique",
        "fr",
        "P",
        1_100_000,
        75,
        30,
        10,
        "idea",
        ["partners", "training"],
        "Formations certifiantes pour les jeunes diplômés, en partenariat avec des entreprises européennes.",
    ),
    (
        "Unité de briques de terre compressée",
        "fr",
        "C",
        1_300_000,
        55,
        30,
        11,
        "business_plan",
        ["land", "permits"],
        "Matériau de construction local et bas carbone pour l'habitat rural.",
    ),
    (
        "Restaurant de cuisine du terroir",
        "fr",
        "I",
        750_000,
        100,
        45,
        9,
        "setting_up",
        ["permits"],
        "Restaurant mettant en valeur les produits des coopératives locales.",
    ),
    (
        "مشروع لتربية النحل وإنتاج العسل",
        "ar",
        "A",
        350_000,
        80,
        50,
        5,
        "idea",
        ["training", "land"],
        "تربية 300 خلية نحل وإنتاج عسل الزعتر والسدر مع وحدة للتعبئة.",
    ),
    (
        "وحدة لتثمين الصبار",
        "ar",
        "C",
        1_600_000,
        60,
        30,
        15,
        "business_plan",
        ["financing", "partners"],
        "تحويل فاكهة الصبار إلى زيت البذور والمربى لفائدة التعاونيات المحلية.",
    ),
    (
        "دار ضيافة في الواحة",
        "ar",
        "I",
        1_200_000,
        90,
        40,
        6,
        "financing",
        ["permits", "financing"],
        "ترميم منزل تقليدي بالطين وتحويله إلى دار ضيافة صديقة للبيئة.",
    ),
    (
        "Clinique vétérinaire rurale",
        "fr",
        "M",
        800_000,
        70,
        40,
        5,
        "business_plan",
        ["financing"],
        "Clinique et tournées dans les douars pour les éleveurs.",
    ),
    (
        "Boulangerie-pâtisserie semi-industrielle",
        "fr",
        "C",
        1_900_000,
        35,
        25,
        16,
        "operating",
        ["financing"],
        "Extension d'une boulangerie familiale avec une ligne de production.",
    ),
    (
        "Station de lavage automobile écologique",
        "fr",
        "G",
        500_000,
        100,
        60,
        4,
        "idea",
        ["land"],
        "Lavage sans eau et recyclage, pour les flottes d'entreprises.",
    ),
]

# How many projects end up at each stage of the pipeline (36 in all).
PIPELINE_MIX = [
    (S.SUBMITTED, 8),
    (S.UNDER_REVIEW, 8),
    (S.ACCOMPANIED, 7),
    (S.FINANCED, 5),
    (S.LAUNCHED, 4),
    (S.DROPPED, 4),
]
PATH = [S.SUBMITTED, S.UNDER_REVIEW, S.ACCOMPANIED, S.FINANCED, S.LAUNCHED]
NOTES = {
    S.UNDER_REVIEW: "Dossier complet, rendez-vous fixé avec le CRI.",
    S.ACCOMPANIED: "Terrain identifié ; mise en relation avec la banque et le programme d'appui.",
    S.FINANCED: "Crédit accordé et subvention notifiée.",
    S.LAUNCHED: "Inauguration et premiers recrutements.",
}
DROP_REASONS = [
    "L'investisseur a reporté son retour au Maroc.",
    "Le foncier visé n'est pas mobilisable ; projet à reformuler.",
    "Financement bancaire refusé, apport insuffisant.",
    "Projet déjà porté par un autre investisseur sur le même site.",
]
INTERNAL_NOTES = [
    "Investisseur très motivé ; prévoir une visite du site lors de son séjour estival.",
    "Vérifier la conformité au plan d'aménagement communal avant l'accord de principe.",
    "La banque partenaire demande un business plan actualisé.",
]


def _programmes(regions) -> int:
    created = 0
    for fr, ar, en, operator, region_code, rate, cap, rules in PROGRAMMES:
        programme, made = SupportProgramme.objects.get_or_create(
            name_fr=fr,
            defaults={
                "name_ar": ar,
                "name_en": en,
                "operator": operator,
                "region": regions.get(region_code),
                "subsidy_rate_pct": rate,
                "max_subsidy_mad": cap,
            },
        )
        if made:
            created += 1
            EligibilityRule.objects.bulk_create(
                EligibilityRule(programme=programme, field=f, operator=o, threshold=t) for f, o, t in rules
            )
    return created


def _opportunities(rng, regions, sectors, officials, now) -> list[Opportunity]:
    result = []
    for index, (code, province_code, title, sector, low, high, jobs, land, premises, status, text) in enumerate(
        OPPORTUNITIES
    ):
        province = Province.objects.get(code=province_code)
        opportunity = Opportunity.objects.filter(title=title).first()
        if opportunity is None:
            created = now - timedelta(days=rng.randint(20, 200))
            opportunity = Opportunity.objects.create(
                region=regions[code],
                province=province,
                commune=Commune.objects.filter(province=province).order_by("code").first() if index % 3 == 0 else None,
                sector=sectors[sector],
                title=title,
                description=text,
                language="fr",
                investment_min_mad=low,
                investment_max_mad=high,
                expected_jobs=jobs,
                land_available=land,
                premises_available=premises,
                incentives="Exonérations de la Charte de l'investissement, accompagnement du CRI, guichet unique.",
                contact_office=f"Centre régional d'investissement – {regions[code].name_fr}",
                contact_email=f"invest.{code}@demo.jusur.ma",
                status=status,
                created_by=officials.get(code),
                created_at=created,
                published_at=created + timedelta(days=3) if status != OpportunityStatus.DRAFT else None,
                closed_at=now - timedelta(days=5) if status == OpportunityStatus.CLOSED else None,
            )
            opportunity.programmes.set(
                SupportProgramme.objects.filter(
                    Q(region=regions[code]) | Q(region__isnull=True, name_fr__startswith="MDM")
                )
            )
        result.append(opportunity)
    return result


def _investors(context) -> list:
    User = get_user_model()
    experts = context.get("experts") or []
    investors = [profile.user for profile in experts if profile.user.role == Role.MEMBER]
    if len(investors) < 12:
        names = ["Rachid El Idrissi", "Samira Benjelloun", "Omar Ait Ouhmad", "Naima Ouazzani", "Hicham Lahlou",
                 "Fatima Zahra Bennani", "Mourad Ziani", "Khadija Amellal", "Yassine Berrada", "Loubna Tahiri",
                 "Driss Chaoui", "Imane Skalli"]  # fmt: skip
        for index, name in enumerate(names):
            user, made = User.objects.get_or_create(
                email=f"investor{index}@demo.jusur.ma",
                defaults={"full_name": name, "role": Role.MEMBER, "preferred_language": "fr"},
            )
            if made:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            investors.append(user)
    return investors


def _projects(rng, investors, demo_member, regions, sectors, officials, opportunities, now) -> int:
    if Project.objects.exists():
        return 0
    provinces = {
        code: list(Province.objects.filter(region=region).order_by("code")) for code, region in regions.items()
    }
    targets = [status for status, count in PIPELINE_MIX for _ in range(count)]
    rng.shuffle(targets)
    region_codes = ["05", "02", "09"]
    created = 0
    for index, final in enumerate(targets):
        title, language, sector, amount, share, own_pct, jobs, stage, needs, text = PROJECT_IDEAS[
            index % len(PROJECT_IDEAS)
        ]
        code = region_codes[index % 3]
        province = rng.choice(provinces[code])
        commune = Commune.objects.filter(province=province).order_by("code").first() if rng.random() < 0.7 else None
        investor = demo_member if (demo_member and index < 3) else investors[index % len(investors)]
        amount = int(amount * rng.uniform(0.8, 1.3)) // 1000 * 1000
        steps = PATH[: PATH.index(final) + 1] if final != S.DROPPED else [*PATH[: rng.randint(1, 3)], S.DROPPED]
        submitted = now - timedelta(days=rng.randint(20, 60) * len(steps))
        opportunity = next(
            (o for o in opportunities if o.region_id == regions[code].pk and o.status == "published"), None
        )
        project = Project.objects.create(
            investor=investor,
            title=title,
            description=text,
            language=language,
            sector=sectors[sector],
            region=regions[code],
            province=province,
            commune=commune,
            opportunity=opportunity if rng.random() < 0.25 else None,
            amount_mad=amount,
            share_from_abroad_pct=share,
            own_contribution_mad=amount * own_pct // 100,
            expected_jobs=jobs,
            stage=stage if stage in ProjectStage.values else ProjectStage.IDEA,
            support_needed=[need for need in needs if need in SupportNeed.values],
            status=S.SUBMITTED,
            created_at=submitted,
            assigned_officer=officials.get(code),
        )
        at, previous = submitted, ""
        officer = officials.get(code)
        for step in steps:
            if previous:
                at = at + timedelta(days=rng.randint(5, 40))
            note = rng.choice(DROP_REASONS) if step == S.DROPPED else NOTES.get(step, "")
            ProjectTransition.objects.create(
                project=project, from_status=previous, to_status=step, by=officer if previous else investor,
                note=note, at=at,
            )  # fmt: skip
            previous = step
        days = RESPONSE_DAYS.get(previous)
        # Some stages are overdue, so the reminders and escalations have something to show.
        due = at + timedelta(days=days) if days else None
        if due and due < now and rng.random() < 0.5:
            due = now + timedelta(days=rng.randint(1, 20))
        Project.objects.filter(pk=project.pk).update(
            status=previous,
            status_changed_at=at,
            due_at=due,
            drop_reason=note if previous == S.DROPPED else "",
        )
        if officer and rng.random() < 0.4:
            ProjectNote.objects.create(project=project, author=officer, body=rng.choice(INTERNAL_NOTES), created_at=at)
        created += 1
    return created


def seed(context: dict) -> list[str]:
    rng = context["random"]
    regions = {region.code: region for region in Region.objects.filter(code__in=["02", "05", "09"])}
    sectors = {sector.code: sector for sector in Sector.objects.all()}
    if len(regions) < 3 or not sectors:
        return ["  skipped: load territories and the starter taxonomy first"]
    User = get_user_model()
    now = timezone.now()
    officials = {
        code: User.objects.filter(role=Role.OFFICIAL, regions=region).order_by("pk").first()
        for code, region in regions.items()
    }
    programmes = _programmes(regions)
    opportunities = _opportunities(rng, regions, sectors, officials, now)
    investors = _investors(context)
    demo_member = User.objects.filter(email="member@demo.jusur.ma").first()
    projects = _projects(rng, investors, demo_member, regions, sectors, officials, opportunities, now)

    published = [o for o in opportunities if o.status == OpportunityStatus.PUBLISHED]
    for investor in investors[:15]:
        for opportunity in rng.sample(published, k=min(2, len(published))):
            OpportunityInterest.objects.get_or_create(opportunity=opportunity, investor=investor)
    partner = PartnerOrganisation.objects.filter(users__role=Role.PARTNER).order_by("pk").first()
    first_project = Project.objects.filter(investor=demo_member).order_by("pk").first() if demo_member else None
    if partner and first_project:
        ProjectPartner.objects.get_or_create(
            project=first_project,
            partner=partner,
            defaults={"proposed_by": demo_member, "consented_at": now},
        )

    context["opportunities"] = opportunities
    context["projects"] = list(Project.objects.order_by("pk"))
    by_status = {status: Project.objects.filter(status=status).count() for status in S.values}
    return [
        f"  {programmes} support programmes created ({SupportProgramme.objects.count()} in all)",
        f"  {len(opportunities)} opportunities in the three pilot regions",
        f"  {projects} projects created: " + ", ".join(f"{status} {count}" for status, count in by_status.items()),
    ]
