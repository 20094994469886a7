"""Demo data for the three pilot regions (pilots.yaml, consultation.yaml, library.yaml): adopted
roadmaps with their needs and stakeholders, consultation meetings with decisions, partnerships,
studies and national figures. Every row is written through this app's services, the same calls
the officials' pages make, so the demo also queues what they queue (matching's re-scoring of each
need, through the outbox). Idempotent: a region whose demo roadmap exists is left as it is.
Never used in production."""

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from portal.demo.files import TEXT, Choice, MapOf, Nullable, Optional, Row, load, multilingual
from taxonomy.models import Sector, Skill
from taxonomy.services import starter_uri

from ..enums import AxisKind, NeedStatus
from ..models import ConsultationMeeting, Indicator, Need, Province, Region, Roadmap, Stakeholder, Study
from ..services import (
    LanguageRequirement,
    SkillRequirement,
    decision_save,
    meeting_save,
    migration_figures_load,
    need_create,
    need_transition,
    participant_add,
    partnership_save,
    roadmap_adopt,
    roadmap_create,
    stakeholder_save,
    study_save,
)

DATA = Path(__file__).resolve().parent
STARTER = DATA.parent.parent / "taxonomy" / "data" / "starter_skills.csv"
AXES = {
    "skills": AxisKind.DIASPORA_SKILLS,
    "investment": AxisKind.DIASPORA_INVESTMENT,
    "governance": AxisKind.MIGRATION_GOVERNANCE,
}
# The states a demo need is walked through, each one a call of need_transition.
PATHS = {"draft": [], "open": ["open"], "in_progress": ["open", "in_progress"]}
PATHS["fulfilled"] = [*PATHS["in_progress"], "fulfilled"]
LANGUAGE = Choice("ar", "fr", "en")

NEED = {
    "axis": Choice(*AXES),
    "language": LANGUAGE,
    "title": TEXT,
    "description": TEXT,
    "format": str,
    "work_mode": str,
    "province": Nullable(str),
    "sector": str,
    "skills": [Row(str, int, bool)],
    "languages": MapOf(str, int),
    "experts_wanted": int,
    "starts_in_days": int,
    "duration_days": int,
    "answer_within_days": int,
    "status": Choice(*PATHS),
}
PILOTS = {
    "regions": [
        {
            "code": str,
            "official": str,
            "roadmap": {
                "language": LANGUAGE,
                "title": str,
                "summary": str,
                "period_start": dt.date,
                "period_end": dt.date,
                "adopted_on": dt.date,
            },
            "stakeholders": [{"name": str, "kind": str}],
            "needs": [NEED],
        }
    ]
}
CONSULTATION = {
    "meetings": [
        {
            "days_ago": int,
            "title": TEXT,
            "minutes": str,
            "decisions": [
                {
                    "title": str,
                    "axis": Optional(Choice(*AXES)),
                    "need": Optional(Choice("open")),
                    "owner": Choice("official", "coordinator", "investment_centre"),
                    "due_in_days": Optional(int),
                    "follow_up_status": str,
                }
            ],
        }
    ],
    "place": str,
    "agenda": TEXT,
    "participants": [{"name": str, "organisation": Choice("first_stakeholder", "investment_centre")}],
    "partnership": {
        "title": str,
        "objective": str,
        "budget_mad": str,
        "start_date": dt.date,
        "end_date": dt.date,
        "status": str,
        "results": str,
    },
}
LIBRARY = {
    "studies": [
        {
            "language": LANGUAGE,
            "title": TEXT,
            "abstract": TEXT,
            "authors": str,
            "institutions": str,
            "countries": str,
            "year": int,
            "regions": [str],
        }
    ],
    "figures": [
        {
            "indicator": str,
            "scope": str,
            "year": int,
            "value": str,
            "unit": str,
            "source": str,
            "status": str,
        }
    ],
}
FILES = {"pilots.yaml": PILOTS, "consultation.yaml": CONSULTATION, "library.yaml": LIBRARY}


def starter_skill_ids() -> dict[str, int]:
    """The starter taxonomy's skills by their key (the data files name skills by key)."""
    with STARTER.open(encoding="utf-8") as handle:
        uris = {row["key"]: row["esco_uri"] or starter_uri(row["key"], False) for row in csv.DictReader(handle)}
    by_uri = dict(Skill.objects.filter(uri__in=uris.values()).values_list("uri", "pk"))
    return {key: by_uri[uri] for key, uri in uris.items() if uri in by_uri}


def _seed_region(spec: dict, consultation: dict, skills: dict, coordinator, today) -> list[Need]:
    User = get_user_model()
    region = Region.objects.get(code=spec["code"])
    official = User.objects.get(email=spec["official"])
    plan = spec["roadmap"]
    roadmap = roadmap_create(
        region=region,
        by=official,
        data={
            "title": plan["title"],
            "summary": plan["summary"],
            "text_language": plan["language"],
            "period_start": plan["period_start"],
            "period_end": plan["period_end"],
        },
    )
    roadmap_adopt(roadmap=roadmap, by=official, adopted_on=plan["adopted_on"])
    axes = {axis.kind: axis for axis in roadmap.axes.all()}
    sectors = {s.code: s for s in Sector.objects.all()}
    provinces = {p.code: p for p in Province.objects.filter(region=region)}
    needs = []
    for row in spec["needs"]:
        need = need_create(
            roadmap=roadmap,
            by=official,
            data={
                "axis": axes[AXES[row["axis"]]],
                **multilingual(row["language"], title=row["title"], description=row["description"]),
                "text_language": row["language"],
                "format": row["format"],
                "work_mode": row["work_mode"],
                "province": provinces[row["province"]] if row["province"] else None,
                "sector": sectors.get(row["sector"]),
                "experts_wanted": row["experts_wanted"],
                "start_date": today + dt.timedelta(days=row["starts_in_days"]),
                "duration_days": row["duration_days"],
                "response_deadline": today + dt.timedelta(days=row["answer_within_days"]),
            },
            skills=[
                SkillRequirement(skill_id=skills[key], weight=weight, essential=essential)
                for key, weight, essential in row["skills"]
                if key in skills
            ],
            languages=[LanguageRequirement(language=code, min_level=level) for code, level in row["languages"].items()],
        )
        for step in PATHS[row["status"]]:
            need = need_transition(need=need, to=step, by=official)
        needs.append(need)

    stakeholders = [
        stakeholder_save(region=region, by=official, data={"name": s["name"], "kind": s["kind"]})
        for s in spec["stakeholders"]
    ]
    by_kind = {s.kind: s for s in stakeholders}
    organisations = {"first_stakeholder": stakeholders[0].name, "investment_centre": by_kind["investment_centre"].name}
    owners = {"official": {"owner": official}, "coordinator": {"owner": coordinator}}
    owners["investment_centre"] = {"owner_label": by_kind["investment_centre"].name}
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    open_needs = [n for n in needs if n.status == NeedStatus.OPEN]
    for index, held in enumerate(consultation["meetings"]):
        starts = now - dt.timedelta(days=held["days_ago"]) + dt.timedelta(hours=10 - now.hour)
        meeting = meeting_save(
            region=region,
            by=official,
            data={
                **multilingual("fr", title=held["title"], agenda=consultation["agenda"]),
                "text_language": "fr",
                "starts_at": starts,
                "ends_at": starts + dt.timedelta(hours=3),
                "place": consultation["place"].format(region=region.name_fr),
                "minutes": held["minutes"],
                "status": "held",
                "roadmap": roadmap,
            },
            stakeholders=stakeholders[:6],
        )
        for person in consultation["participants"]:
            participant_add(
                meeting=meeting,
                by=official,
                data={"name": person["name"], "organisation": organisations[person["organisation"]], "attended": True},
            )
        for decision in held["decisions"]:
            need = open_needs[index] if decision.get("need") else None
            data = {
                "title": decision["title"].format(need=need.title if need else ""),
                "follow_up_status": decision["follow_up_status"],
                **owners[decision["owner"]],
            }
            if decision.get("axis"):
                data["axis"] = axes[AXES[decision["axis"]]]
            if need is not None:
                data["need"] = need
            if "due_in_days" in decision:
                data["due_date"] = (now + dt.timedelta(days=decision["due_in_days"])).date()
            decision_save(meeting=meeting, by=official, data=data)
    terms = consultation["partnership"]
    partnership_save(
        region=region,
        by=official,
        data={
            **terms,
            "title": terms["title"].format(region=region.name_fr),
            "budget_mad": Decimal(terms["budget_mad"]),
        },
        partners=[s for s in stakeholders if s.kind in ("association", "diaspora_association")],
        axes=[axes[AxisKind.DIASPORA_SKILLS], axes[AxisKind.MIGRATION_GOVERNANCE]],
        needs=open_needs[:2],
    )
    return needs


def seed(context: dict) -> list[str]:
    pilots = load(DATA / "pilots.yaml", PILOTS)
    consultation = load(DATA / "consultation.yaml", CONSULTATION)
    library = load(DATA / "library.yaml", LIBRARY)
    User = get_user_model()
    coordinator = User.objects.filter(email="coordinator@demo.jusur.ma").first()
    skills = starter_skill_ids()
    today = timezone.localdate()
    lines, all_needs = [], []
    for spec in pilots["regions"]:
        region = Region.objects.get(code=spec["code"])
        if Roadmap.objects.filter(region=region, title=spec["roadmap"]["title"]).exists():
            needs = list(Need.objects.filter(region=region).order_by("pk"))
        else:
            needs = _seed_region(spec, consultation, skills, coordinator, today)
        all_needs += needs
        lines.append(
            f"  {region.name_fr}: {len(needs)} needs, "
            f"{Stakeholder.objects.filter(region=region).count()} stakeholders, "
            f"{ConsultationMeeting.objects.filter(region=region).count()} meetings"
        )
    coordinator = coordinator or User.objects.filter(role="coordinator").first()
    for study in library["studies"]:
        if coordinator is None or Study.objects.filter(title=study["title"][study["language"]]).exists():
            continue
        study_save(
            by=coordinator,
            data={
                **multilingual(study["language"], title=study["title"], abstract=study["abstract"]),
                "language": study["language"],
                **{name: study[name] for name in ("authors", "institutions", "countries", "year")},
            },
            regions=list(Region.objects.filter(code__in=study["regions"])),
        )
    # The figures go through the same upsert as `manage.py load_migration_figures` (CSV rows).
    migration_figures_load(rows=[{name: str(value) for name, value in row.items()} for row in library["figures"]])
    lines.append(f"  {Study.objects.count()} studies, {Indicator.objects.count()} migration figures")
    context["needs"] = all_needs
    return lines
