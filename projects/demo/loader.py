"""Demo data for the investment area (investment.yaml): support programmes with eligibility
rules, opportunities in each pilot region and a few dozen diaspora projects across every
pipeline stage. Opportunities and projects go through this app's services (the officials' and
investors' own calls: creation, publication, submission, each pipeline step, notes, interest,
partners), so the demo queues what they queue (matching's investment re-match). Only
`manage.py demo_seed` calls this; never production. Idempotent: programmes and opportunities are
recognised by name, projects are made only while there are none.

The demo must show months of follow-up at once: each step of a project's history runs through
its service with the clock set to the day it happened (portal.demo.clock). Opportunities' dates
are moved back afterwards, directly (they are not history rows).
"""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from portal.demo.clock import demo_clock
from portal.demo.files import TEXT, Choice, MapOf, Nullable, Row, load, multilingual
from portal.enums import Role
from portal.models import PartnerOrganisation
from regions.models import Commune, Province, Region
from taxonomy.models import Sector

from ..enums import OpportunityStatus, ProjectStage, ProjectStatus, SupportNeed
from ..models import EligibilityRule, Opportunity, OpportunityInterest, Project, ProjectPartner, SupportProgramme
from ..services import (
    opportunity_close,
    opportunity_create,
    opportunity_interest_express,
    opportunity_publish,
    project_note_add,
    project_partner_attach,
    project_submit,
    project_transition,
)

S = ProjectStatus
PATH = [S.SUBMITTED, S.UNDER_REVIEW, S.ACCOMPANIED, S.FINANCED, S.LAUNCHED]
DATA = Path(__file__).resolve().parent
SCHEMA = {
    "programmes": [
        {
            "name": TEXT,
            "operator": str,
            "region": Nullable(str),
            "subsidy_rate_pct": Nullable(str),
            "max_subsidy_mad": Nullable(int),
            "rules": [Row(str, str, str)],
        }
    ],
    "opportunity_defaults": {"incentives": str, "contact_office": str, "contact_email": str},
    "opportunities": [
        {
            "region": str,
            "province": str,
            "language": Choice("ar", "fr", "en"),
            "title": TEXT,
            "description": TEXT,
            "sector": str,
            "investment_mad": Row(int, int),
            "expected_jobs": int,
            "land_available": bool,
            "premises_available": bool,
            "status": Choice(*OpportunityStatus.values),
        }
    ],
    "projects": [
        {
            "title": str,
            "language": Choice("ar", "fr", "en"),
            "description": str,
            "sector": str,
            "amount_mad": int,
            "share_from_abroad_pct": int,
            "own_contribution_pct": int,
            "expected_jobs": int,
            "stage": Choice(*ProjectStage.values),
            "support_needed": [Choice(*SupportNeed.values)],
        }
    ],
    "pipeline": MapOf(Choice(*S.values), int),
    "transition_notes": MapOf(Choice(*S.values), str),
    "drop_reasons": [str],
    "internal_notes": [str],
}
FILES = {"investment.yaml": SCHEMA}
PILOTS = ["05", "02", "09"]


def _programmes(data, regions) -> int:
    created = 0
    for spec in data["programmes"]:
        if SupportProgramme.objects.filter(name_fr=spec["name"]["fr"]).exists():
            continue
        # Written directly: programmes are national reference data kept by staff in the admin.
        programme = SupportProgramme.objects.create(
            name_fr=spec["name"]["fr"],
            name_ar=spec["name"]["ar"],
            name_en=spec["name"]["en"],
            operator=spec["operator"],
            region=regions.get(spec["region"]),
            subsidy_rate_pct=Decimal(spec["subsidy_rate_pct"]) if spec["subsidy_rate_pct"] else None,
            max_subsidy_mad=spec["max_subsidy_mad"],
        )
        EligibilityRule.objects.bulk_create(
            EligibilityRule(programme=programme, field=f, operator=o, threshold=t) for f, o, t in spec["rules"]
        )
        created += 1
    return created


def _opportunities(data, rng, regions, sectors, officials, now) -> list[Opportunity]:
    defaults = data["opportunity_defaults"]
    result = []
    for index, spec in enumerate(data["opportunities"]):
        region, official = regions[spec["region"]], officials[spec["region"]]
        opportunity = Opportunity.objects.filter(title=spec["title"][spec["language"]]).first()
        if opportunity is None:
            province = Province.objects.get(code=spec["province"])
            low, high = spec["investment_mad"]
            opportunity = opportunity_create(
                by=official,
                data={
                    "region": region,
                    "province": province,
                    "commune": Commune.objects.filter(province=province).order_by("code").first()
                    if index % 3 == 0
                    else None,
                    "sector": sectors[spec["sector"]],
                    **multilingual(spec["language"], title=spec["title"], description=spec["description"]),
                    "language": spec["language"],
                    "investment_min_mad": low,
                    "investment_max_mad": high,
                    "expected_jobs": spec["expected_jobs"],
                    "land_available": spec["land_available"],
                    "premises_available": spec["premises_available"],
                    "incentives": defaults["incentives"],
                    "contact_office": defaults["contact_office"].format(region=region.name_fr),
                    "contact_email": defaults["contact_email"].format(code=spec["region"]),
                    "programmes": SupportProgramme.objects.filter(
                        Q(region=region) | Q(region__isnull=True, name_fr__startswith="MDM")
                    ),
                },
            )
            if spec["status"] != OpportunityStatus.DRAFT:
                opportunity_publish(opportunity=opportunity, by=official)
            if spec["status"] == OpportunityStatus.CLOSED:
                opportunity_close(opportunity=opportunity, by=official)
            created = now - timedelta(days=rng.randint(20, 200))
            Opportunity.objects.filter(pk=opportunity.pk).update(
                created_at=created,
                published_at=created + timedelta(days=3) if opportunity.published_at else None,
                closed_at=now - timedelta(days=5) if opportunity.closed_at else None,
            )
            opportunity.refresh_from_db()
        result.append(opportunity)
    return result


def _due_soon_for_some(project: Project, now, rng) -> None:
    """Half the overdue projects get a deadline in the coming days instead (direct: no service
    sets a deadline by hand), so the reminders and escalations have both kinds to show."""
    project.refresh_from_db(fields=["due_at"])
    if project.due_at and project.due_at < now and rng.random() < 0.5:
        Project.objects.filter(pk=project.pk).update(due_at=now + timedelta(days=rng.randint(1, 20)))


def _projects(data, rng, investors, demo_member, regions, sectors, officials, opportunities, now) -> int:
    if Project.objects.exists():
        return 0
    provinces = {
        code: list(Province.objects.filter(region=region).order_by("code")) for code, region in regions.items()
    }
    targets = [status for status, count in data["pipeline"].items() for _ in range(count)]
    rng.shuffle(targets)
    ideas = data["projects"]
    created = 0
    for index, final in enumerate(targets):
        idea = ideas[index % len(ideas)]
        code = PILOTS[index % 3]
        province = rng.choice(provinces[code])
        commune = Commune.objects.filter(province=province).order_by("code").first() if rng.random() < 0.7 else None
        investor = demo_member if (demo_member and index < 3) else investors[index % len(investors)]
        amount = int(idea["amount_mad"] * rng.uniform(0.8, 1.3)) // 1000 * 1000
        steps = PATH[: PATH.index(final) + 1] if final != S.DROPPED else [*PATH[: rng.randint(1, 3)], S.DROPPED]
        submitted = now - timedelta(days=rng.randint(20, 60) * len(steps))
        opportunity = next(
            (o for o in opportunities if o.region_id == regions[code].pk and o.status == "published"), None
        )
        at = submitted
        with demo_clock(at):
            project = project_submit(
                investor=investor,
                data={
                    "title": idea["title"],
                    "description": idea["description"],
                    "language": idea["language"],
                    "sector": sectors[idea["sector"]],
                    "region": regions[code],
                    "province": province,
                    "commune": commune,
                    "opportunity": opportunity if rng.random() < 0.25 else None,
                    "amount_mad": amount,
                    "share_from_abroad_pct": idea["share_from_abroad_pct"],
                    "own_contribution_mad": amount * idea["own_contribution_pct"] // 100,
                    "expected_jobs": idea["expected_jobs"],
                    "stage": idea["stage"],
                    "support_needed": idea["support_needed"],
                },
            )
        officer = officials[code]
        for step in steps[1:]:
            at += timedelta(days=rng.randint(5, 40))
            note = rng.choice(data["drop_reasons"]) if step == S.DROPPED else data["transition_notes"].get(step, "")
            with demo_clock(at):
                project_transition(project=project, to=step, by=officer, note=note)
        if rng.random() < 0.4:
            # Dated the day the demo loads: a note's date is its column's default, which the
            # demo clock does not reach, and notes are append-only like the history.
            project_note_add(project=project, by=officer, body=rng.choice(data["internal_notes"]))
        _due_soon_for_some(project, now, rng)
        created += 1
    return created


def seed(context: dict) -> list[str]:
    data = load(DATA / "investment.yaml", SCHEMA)
    rng = context["random"]
    regions = {region.code: region for region in Region.objects.filter(code__in=PILOTS)}
    sectors = {sector.code: sector for sector in Sector.objects.all()}
    if len(regions) < 3 or not sectors:
        return ["  skipped: load territories and the starter taxonomy first"]
    User = get_user_model()
    now = timezone.now()
    officials = {
        code: User.objects.filter(role=Role.OFFICIAL, regions=region).order_by("pk").first()
        for code, region in regions.items()
    }
    if not all(officials.values()):
        return ["  skipped: the demo officials are missing (the portal's demo accounts first)"]
    programmes = _programmes(data, regions)
    opportunities = _opportunities(data, rng, regions, sectors, officials, now)
    # The investors are the demo's diaspora members (the diaspora app seeds first).
    investors = [profile.user for profile in context.get("experts") or [] if profile.user.role == Role.MEMBER]
    demo_member = User.objects.filter(email="member@demo.jusur.ma").first()
    projects = 0
    if investors:
        projects = _projects(data, rng, investors, demo_member, regions, sectors, officials, opportunities, now)

    published = [o for o in opportunities if o.status == OpportunityStatus.PUBLISHED]
    if not OpportunityInterest.objects.exists():
        for investor in investors[:15]:
            for opportunity in rng.sample(published, k=min(2, len(published))):
                opportunity_interest_express(opportunity=opportunity, by=investor)
    partner = PartnerOrganisation.objects.filter(users__role=Role.PARTNER).order_by("pk").first()
    first_project = Project.objects.filter(investor=demo_member).order_by("pk").first() if demo_member else None
    if partner and first_project and not ProjectPartner.objects.filter(project=first_project, partner=partner).exists():
        project_partner_attach(project=first_project, partner=partner, by=demo_member)  # the investor's consent

    context["opportunities"] = opportunities
    context["projects"] = list(Project.objects.order_by("pk"))
    by_status = {status: Project.objects.filter(status=status).count() for status in S.values}
    return [
        f"  {programmes} support programmes created ({SupportProgramme.objects.count()} in all)",
        f"  {len(opportunities)} opportunities in the three pilot regions",
        f"  {projects} projects created: " + ", ".join(f"{status} {count}" for status, count in by_status.items()),
        f"  {OpportunityInterest.objects.count()} expressions of interest",
    ]
