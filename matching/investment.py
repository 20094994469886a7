"""Investor ↔ opportunity matching: pure NumPy, no Django (docs/matching.md §7 is its specification).

Every (diaspora investment project, regional opportunity) pair is filtered at once, a block
of opportunities at a time (a P × B mask); the survivors are scored as flat arrays with the
same conventions as the expert engine: a weighted mean of parts rounded to 9 decimals, ties
broken by `engine.tiebreak` of the pair, then by id; the top K kept on *both* sides (per
opportunity and per project).
tests/matching/investment_reference.py is the same model written pair by pair.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .conf import MatchingConf
from .engine import SCORE_DECIMALS, tiebreak

PARTS = ("sector", "place", "amount", "stage")
# The project stages in pipeline order (the values of projects.enums.ProjectStage).
STAGES = ("idea", "business_plan", "financing", "setting_up", "operating")
# Explanation codes, stored with each suggestion and turned into sentences at display.
SECTOR_CODES = {1: "section", 2: "division"}
PLACE_CODES = {0: "", 1: "province", 2: "region", 3: "origin_province", 4: "origin_region"}
AMOUNT_CODES = {0: "inside", 1: "below", 2: "above"}


@dataclass
class InvestmentProjects:
    """P projects. `eligible`: the investor consents to matching now and the project is open."""

    ids: np.ndarray  # int64
    sector: np.ndarray  # int64 sector (ISIC section) id
    division: np.ndarray  # int16 ISIC division, -1 none
    region: np.ndarray  # int64 target region id
    province: np.ndarray  # int64 target province id, -1 none
    origin_region: np.ndarray  # int64 investor's region of origin, -1 unknown
    origin_province: np.ndarray  # int64, -1 unknown
    amount: np.ndarray  # float64, MAD (> 0)
    stage: np.ndarray  # int8 index into STAGES
    eligible: np.ndarray  # bool

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class Opportunities:
    """O opportunities. `eligible`: published."""

    ids: np.ndarray
    sector: np.ndarray
    division: np.ndarray
    region: np.ndarray
    province: np.ndarray  # -1 none (the whole region)
    amount_min: np.ndarray  # float64 MAD
    amount_max: np.ndarray
    eligible: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class InvestmentTopK:
    """Kept pairs: in the top K of their opportunity, of their project, or both (rank 0 = not)."""

    opportunity_row: np.ndarray
    project_row: np.ndarray
    score: np.ndarray
    parts: np.ndarray  # (M × len(PARTS))
    sector_code: np.ndarray
    place_code: np.ndarray
    amount_code: np.ndarray
    opportunity_rank: np.ndarray  # rank of the project among the opportunity's suggestions
    project_rank: np.ndarray  # rank of the opportunity among the project's suggestions

    def __len__(self) -> int:
        return len(self.score)

    def take(self, index) -> InvestmentTopK:
        return InvestmentTopK(*(getattr(self, name)[index] for name in self.__dataclass_fields__))


def combine(sector, place, amount, stage, conf: MatchingConf):
    """The score from its parts: the one formula the engine and the reference use."""
    weights = conf.investment_weights
    total = sum(weights[p] for p in PARTS)
    w = [weights[p] / total for p in PARTS]
    return np.round(w[0] * sector + w[1] * place + w[2] * amount + w[3] * stage, SCORE_DECIMALS)


def stage_fit_table(conf: MatchingConf) -> np.ndarray:
    return np.array([float(conf.stage_fit[stage]) for stage in STAGES])


def candidates(projects: InvestmentProjects, opps: Opportunities, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The pairs passing the hard filters among every project × opportunities `cols`: (p, o) rows."""
    o = np.asarray(cols, np.int64)
    ok = projects.eligible[:, None] & opps.eligible[None, o] & (projects.sector[:, None] == opps.sector[None, o])
    p, j = np.nonzero(ok)
    return p, o[j]


def score_pairs(projects: InvestmentProjects, opps: Opportunities, p: np.ndarray, o: np.ndarray, conf: MatchingConf):
    """Parts and score of the pairs (project rows `p`, opportunity rows `o`), which passed the
    hard filters: (score, parts, sector code, place code, amount code)."""
    same_division = (projects.division[p] >= 0) & (projects.division[p] == opps.division[o])
    sector = np.where(same_division, conf.sector_division_credit, conf.sector_section_credit)
    sector_code = np.where(same_division, 2, 1)
    has_province = opps.province[o] >= 0
    place = np.zeros(len(p))
    place_code = np.zeros(len(p), np.int8)
    # the closest tie first; a later one replaces it only when it is worth strictly more
    for code, tied, value in (
        (1, has_province & (projects.province[p] == opps.province[o]), conf.place_province),
        (2, projects.region[p] == opps.region[o], conf.place_region),
        (3, has_province & (projects.origin_province[p] == opps.province[o]), conf.origin_province),
        (4, projects.origin_region[p] == opps.region[o], conf.origin_region),
    ):
        better = tied & (value > place)
        place[better] = value
        place_code[better] = code
    amount_value = np.maximum(projects.amount[p], 1.0)
    low, high = opps.amount_min[o], opps.amount_max[o]
    below, above = amount_value < low, amount_value > high
    with np.errstate(divide="ignore"):
        distance = np.where(below, np.log10(low / amount_value), np.where(above, np.log10(amount_value / high), 0.0))
    amount = np.clip(1.0 - distance / conf.amount_decades, 0.0, 1.0)
    amount_code = np.where(below, 1, np.where(above, 2, 0))
    stage = stage_fit_table(conf)[projects.stage[p]]
    score = combine(sector, place, amount, stage, conf)
    parts = np.stack((sector, place, amount, stage), axis=-1)
    return score, parts, sector_code, place_code, amount_code


def _ranks(group: np.ndarray, key: np.ndarray, score: np.ndarray, other_ids: np.ndarray) -> np.ndarray:
    """1-based rank of each pair within its group: score desc, tie-break key, then id."""
    order = np.lexsort((other_ids, key, -score, group))
    g = group[order]
    position = np.arange(len(g))
    starts = np.ones(len(g), bool)
    starts[1:] = g[1:] != g[:-1]
    first = np.maximum.accumulate(np.where(starts, position, 0)) if len(g) else position
    ranks = np.empty(len(g), np.int64)
    ranks[order] = position - first + 1
    return ranks


def _pair_ranks(projects: InvestmentProjects, opps: Opportunities, kept: InvestmentTopK):
    opp_ids = opps.ids[kept.opportunity_row]
    project_ids = projects.ids[kept.project_row]
    key = tiebreak(opp_ids, project_ids)  # one key per pair, both sides
    by_opp = _ranks(kept.opportunity_row, key, kept.score, project_ids)
    by_project = _ranks(kept.project_row, key, kept.score, opp_ids)
    return by_opp, by_project


def match_investments(
    projects: InvestmentProjects, opps: Opportunities, conf: MatchingConf, chunk: int = 256
) -> InvestmentTopK:
    """The top K projects of every opportunity and the top K opportunities of every project."""
    k = conf.investment_top_k
    blocks = []
    for start in range(0, len(opps), chunk):
        cols = np.arange(start, min(start + chunk, len(opps)))
        p, o = candidates(projects, opps, cols)
        score, parts, sector_code, place_code, amount_code = score_pairs(projects, opps, p, o, conf)
        block = InvestmentTopK(
            o,
            p,
            score,
            parts,
            sector_code,
            place_code,
            amount_code,
            np.zeros(len(p), np.int64),
            np.zeros(len(p), np.int64),
        )
        by_opp, by_project = _pair_ranks(projects, opps, block)
        # A pair in a final top K is in its block's top K on the same side: keep only those.
        blocks.append(block.take((by_opp <= k) | (by_project <= k)))
    if not blocks:
        empty = np.zeros(0, np.int64)
        return InvestmentTopK(empty, empty, np.zeros(0), np.zeros((0, len(PARTS))), *(empty,) * 5)
    kept = InvestmentTopK(
        *(np.concatenate([getattr(b, n) for b in blocks]) for n in InvestmentTopK.__dataclass_fields__)
    )
    by_opp, by_project = _pair_ranks(projects, opps, kept)
    kept.opportunity_rank = np.where(by_opp <= k, by_opp, 0)
    kept.project_rank = np.where(by_project <= k, by_project, 0)
    kept = kept.take((by_opp <= k) | (by_project <= k))
    order = np.lexsort((kept.project_rank, kept.opportunity_rank, kept.opportunity_row))
    return kept.take(order)


def explanation(topk: InvestmentTopK, i: int, projects: InvestmentProjects) -> dict:
    """The JSON stored with one suggestion: parts, and codes turned into sentences at display."""
    return {
        "score": float(topk.score[i]),
        "parts": {name: round(float(topk.parts[i, n]), 6) for n, name in enumerate(PARTS)},
        "sector": SECTOR_CODES[int(topk.sector_code[i])],
        "place": PLACE_CODES[int(topk.place_code[i])],
        "amount": AMOUNT_CODES[int(topk.amount_code[i])],
        "stage": STAGES[int(projects.stage[topk.project_row[i]])],
    }
