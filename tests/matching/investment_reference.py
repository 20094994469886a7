"""Investor ↔ opportunity matching written pair by pair, straight from docs/matching.md §7:
the plain model the vectorised matching/investment.py must agree with."""

import math

from matching.engine import tiebreak
from matching.investment import STAGES, combine


def score_pair(project: dict, opportunity: dict, conf) -> tuple[float, dict] | None:
    """(score, parts) of one pair, or None when a hard filter excludes it."""
    if not (project["eligible"] and opportunity["eligible"] and project["sector"] == opportunity["sector"]):
        return None
    if project["division"] >= 0 and project["division"] == opportunity["division"]:
        sector = conf.sector_division_credit
    else:
        sector = conf.sector_section_credit
    place = 0.0
    if opportunity["province"] >= 0 and project["province"] == opportunity["province"]:
        place = max(place, conf.place_province)
    if project["region"] == opportunity["region"]:
        place = max(place, conf.place_region)
    if opportunity["province"] >= 0 and project["origin_province"] == opportunity["province"]:
        place = max(place, conf.origin_province)
    if project["origin_region"] == opportunity["region"]:
        place = max(place, conf.origin_region)
    amount_value = max(project["amount"], 1.0)
    if amount_value < opportunity["amount_min"]:
        distance = math.log10(opportunity["amount_min"] / amount_value)
    elif amount_value > opportunity["amount_max"]:
        distance = math.log10(amount_value / opportunity["amount_max"])
    else:
        distance = 0.0
    amount = min(max(1.0 - distance / conf.amount_decades, 0.0), 1.0)
    stage = float(conf.stage_fit[STAGES[project["stage"]]])
    score = float(combine(sector, place, amount, stage, conf))
    return score, {"sector": sector, "place": place, "amount": amount, "stage": stage}


def _key(opportunity_id: int, project_id: int) -> int:
    return int(tiebreak([opportunity_id], [project_id])[0])


def top_k(projects: list[dict], opportunities: list[dict], conf) -> tuple[dict, dict]:
    """({opportunity id: [project ids best first]}, {project id: [opportunity ids best first]})."""
    scored = []
    for project in projects:
        for opportunity in opportunities:
            result = score_pair(project, opportunity, conf)
            if result is not None:
                scored.append((opportunity["id"], project["id"], result[0]))
    k = conf.investment_top_k
    by_opportunity, by_project = {}, {}
    for o in {o for o, _, _ in scored}:
        pairs = sorted((p for p in scored if p[0] == o), key=lambda t: (-t[2], _key(o, t[1]), t[1]))
        by_opportunity[o] = [p for _, p, _ in pairs[:k]]
    for p in {p for _, p, _ in scored}:
        pairs = sorted((t for t in scored if t[1] == p), key=lambda t: (-t[2], _key(t[0], p), t[0]))
        by_project[p] = [o for o, _, _ in pairs[:k]]
    return by_opportunity, by_project
