"""The scoring model of docs/matching.md written the plain way: one pair at a time, in Python.

It shares no code with matching/engine.py except the configuration, the tie-break hash and
the final rounding (so equal sums compare equal); the property tests hold the engine to it.
"""

from collections import defaultdict

import numpy as np

from matching.engine import SCORE_DECIMALS, tiebreak


def skill_relations(n_skills, broader_links, conf):
    """{(held, required): credit} from (narrower, broader) links, through two levels."""
    parents = defaultdict(set)
    for child, parent in broader_links:
        if child != parent:
            parents[child].add(parent)
    credit = {}

    def offer(held, required, value):
        if value > credit.get((held, required), 0.0):
            credit[(held, required)] = value

    for k in range(n_skills):
        offer(k, k, 1.0)
        for p in parents[k]:
            offer(k, p, conf.narrower_credit[0])  # held k is more specific than required p
            offer(p, k, conf.broader_credit[0])  # held p is more general than required k
            for g in parents[p]:
                offer(k, g, conf.narrower_credit[1])
                offer(g, k, conf.broader_credit[1])
    return credit


def pair_score(expert, need, relations, conf):
    """None when a hard filter excludes the pair, else (score, parts dict)."""
    if not expert["eligible"]:
        return None
    if not (expert["formats"] & need["format_bits"]) or not (expert["work_mode"] & need["work_mode"]):
        return None
    if (need["id"], expert["id"]) in need["declined"]:
        return None
    hits = sum(1 for lang, low in need["languages"] if expert["languages"].get(lang, 0) >= low)
    if need["languages"] and hits == 0:
        return None
    total_weight = skill_sum = exp_sum = 0.0
    for skill, weight, essential, min_level in need["skills"]:
        w = weight * (conf.essential_multiplier if essential else 1.0)
        total_weight += w
        best = 0.0
        for held, (level, _years) in expert["skills"].items():
            credit = relations.get((held, skill), 0.0)
            if level < min_level:
                credit *= conf.below_level_factor
            best = max(best, credit)
        skill_sum += w * best
        if essential and best <= 0:
            return None  # an essential skill must be held, at least partially
        if skill in expert["skills"]:
            exp_sum += w * min(expert["skills"][skill][1] / conf.years_full, 1.0)
    if total_weight <= 0 or skill_sum <= 0:
        return None
    parts = {
        "skills": skill_sum / total_weight,
        "languages": hits / len(need["languages"]) if need["languages"] else 1.0,
        "availability": expert["availability"],
        "experience": exp_sum / total_weight,
        "region": (
            conf.province_tie
            if need["province"] >= 0 and expert["province"] == need["province"]
            else conf.region_tie
            if need["region"] >= 0 and expert["region"] == need["region"]
            else 0.0
        ),
    }
    weight_sum = sum(conf.weights.values())
    score = sum(conf.weights[name] * value for name, value in parts.items()) / weight_sum
    return float(np.round(score, SCORE_DECIMALS)), parts


def top_k(experts, need, relations, conf):
    """[(expert id, score)] best first; ties by the same stable hash as the engine."""
    scored = []
    for expert in experts:
        result = pair_score(expert, need, relations, conf)
        if result is not None:
            scored.append((expert["id"], result[0]))
    scored.sort(key=lambda item: (-item[1], int(tiebreak(need["id"], item[0])), item[0]))
    return scored[: conf.top_k]
