"""The vectorised investor ↔ opportunity scoring against the plain reference (hypothesis)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import investment
from matching.conf import MatchingConf
from tests.matching import investment_reference as reference

AMOUNTS = [10_000.0, 200_000.0, 500_000.0, 1_000_000.0, 5_000_000.0, 40_000_000.0]


@st.composite
def data_sets(draw):
    projects = [
        {
            "id": 5 * i + 3,
            "sector": draw(st.integers(0, 2)),
            "division": draw(st.integers(-1, 2)),
            "region": draw(st.integers(0, 2)),
            "province": draw(st.integers(-1, 4)),
            "origin_region": draw(st.integers(-1, 2)),
            "origin_province": draw(st.integers(-1, 4)),
            "amount": draw(st.sampled_from(AMOUNTS)),
            "stage": draw(st.integers(0, len(investment.STAGES) - 1)),
            "eligible": draw(st.booleans()),
        }
        for i in range(draw(st.integers(0, 25)))
    ]
    opportunities = []
    for j in range(draw(st.integers(0, 12))):
        low, high = sorted(draw(st.lists(st.sampled_from(AMOUNTS), min_size=2, max_size=2)))
        opportunities.append(
            {
                "id": 7 * j + 2,
                "sector": draw(st.integers(0, 2)),
                "division": draw(st.integers(-1, 2)),
                "region": draw(st.integers(0, 2)),
                "province": draw(st.integers(-1, 4)),
                "amount_min": low,
                "amount_max": high,
                "eligible": draw(st.booleans()),
            }
        )
    k = draw(st.integers(1, 6))
    chunk = draw(st.integers(1, 5))
    return projects, opportunities, k, chunk


def _arrays(projects, opportunities):
    def col(rows, name, dtype):
        return np.array([row[name] for row in rows], dtype)

    p = investment.InvestmentProjects(
        ids=col(projects, "id", np.int64),
        sector=col(projects, "sector", np.int64),
        division=col(projects, "division", np.int16),
        region=col(projects, "region", np.int64),
        province=col(projects, "province", np.int64),
        origin_region=col(projects, "origin_region", np.int64),
        origin_province=col(projects, "origin_province", np.int64),
        amount=col(projects, "amount", np.float64),
        stage=col(projects, "stage", np.int8),
        eligible=col(projects, "eligible", bool),
    )
    o = investment.Opportunities(
        ids=col(opportunities, "id", np.int64),
        sector=col(opportunities, "sector", np.int64),
        division=col(opportunities, "division", np.int16),
        region=col(opportunities, "region", np.int64),
        province=col(opportunities, "province", np.int64),
        amount_min=col(opportunities, "amount_min", np.float64),
        amount_max=col(opportunities, "amount_max", np.float64),
        eligible=col(opportunities, "eligible", bool),
    )
    return p, o


def _engine_lists(topk, p, o):
    by_opportunity, by_project = {}, {}
    rows = sorted(
        (int(o.ids[r]), int(p.ids[c]), int(ro), int(rp))
        for r, c, ro, rp in zip(
            topk.opportunity_row, topk.project_row, topk.opportunity_rank, topk.project_rank, strict=True
        )
    )
    for opp_id, project_id, rank_o, _ in sorted(rows, key=lambda t: (t[0], t[2])):
        if rank_o:
            by_opportunity.setdefault(opp_id, []).append(project_id)
    for opp_id, project_id, _, rank_p in sorted(rows, key=lambda t: (t[1], t[3])):
        if rank_p:
            by_project.setdefault(project_id, []).append(opp_id)
    return by_opportunity, by_project


@settings(max_examples=200, deadline=None)
@given(data_sets())
def test_engine_and_reference_agree_on_both_top_k(data):
    projects, opportunities, k, chunk = data
    conf = MatchingConf().with_overrides({"investment_top_k": k})
    p, o = _arrays(projects, opportunities)
    topk = investment.match_investments(p, o, conf, chunk=chunk)
    assert _engine_lists(topk, p, o) == reference.top_k(projects, opportunities, conf)
    for i in range(len(topk)):
        expected = reference.score_pair(projects[topk.project_row[i]], opportunities[topk.opportunity_row[i]], conf)
        assert topk.score[i] == pytest.approx(expected[0], abs=1e-9)
        assert 0.0 <= topk.score[i] <= 1.0


def _one(project_overrides=None, opportunity_overrides=None):
    project = {
        "id": 1,
        "sector": 0,
        "division": -1,
        "region": 5,
        "province": 50,
        "origin_region": -1,
        "origin_province": -1,
        "amount": 1_000_000.0,
        "stage": 2,
        "eligible": True,
    }
    opportunity = {
        "id": 2,
        "sector": 0,
        "division": -1,
        "region": 5,
        "province": 50,
        "amount_min": 500_000.0,
        "amount_max": 5_000_000.0,
        "eligible": True,
    }
    project.update(project_overrides or {})
    opportunity.update(opportunity_overrides or {})
    p, o = _arrays([project], [opportunity])
    topk = investment.match_investments(p, o, MatchingConf())
    return topk, p


def test_a_perfect_pair_scores_one_and_explains_itself():
    topk, p = _one({"division": 10}, {"division": 10})
    assert topk.score.tolist() == [1.0]
    assert investment.explanation(topk, 0, p) == {
        "score": 1.0,
        "parts": {"sector": 1.0, "place": 1.0, "amount": 1.0, "stage": 1.0},
        "sector": "division",
        "place": "province",
        "amount": "inside",
        "stage": "financing",
    }


def test_the_investors_origin_counts_as_a_tie():
    topk, p = _one({"region": 1, "province": 10, "origin_region": 5, "origin_province": 50})
    explained = investment.explanation(topk, 0, p)
    assert (explained["place"], explained["parts"]["place"]) == ("origin_province", 0.6)


def test_an_amount_ten_times_below_the_range_earns_no_amount_credit():
    topk, p = _one({"amount": 50_000.0})
    explained = investment.explanation(topk, 0, p)
    assert (explained["amount"], explained["parts"]["amount"]) == ("below", 0.0)


def test_a_different_sector_or_a_non_consenting_investor_is_never_suggested():
    assert len(_one({"sector": 1})[0]) == 0
    assert len(_one({"eligible": False})[0]) == 0
    assert len(_one(opportunity_overrides={"eligible": False})[0]) == 0
