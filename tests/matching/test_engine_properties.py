"""The vectorised engine against the plain reference, on random data (hypothesis)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import engine
from matching.conf import MatchingConf
from tests.matching import arrays, reference

N_SKILLS, N_LANGUAGES = 24, 4


@st.composite
def data_sets(draw):
    links = draw(st.lists(st.tuples(st.integers(0, N_SKILLS - 1), st.integers(0, N_SKILLS - 1)), max_size=2 * N_SKILLS))
    n_experts = draw(st.integers(0, 40))
    experts = []
    for i in range(n_experts):
        experts.append(
            {
                "id": 3 * i + 7,
                "skills": draw(
                    st.dictionaries(
                        st.integers(0, N_SKILLS - 1),
                        st.tuples(st.integers(1, 4), st.sampled_from([0.0, 1.0, 4.0, 15.0])),
                        max_size=5,
                    )
                ),
                "languages": draw(st.dictionaries(st.integers(0, N_LANGUAGES - 1), st.integers(1, 7), max_size=3)),
                "formats": draw(st.integers(0, 7)),
                "work_mode": draw(st.integers(1, 3)),
                "region": draw(st.integers(-1, 2)),
                "province": draw(st.integers(-1, 5)),
                "availability": draw(st.sampled_from([0.0, 0.25, 0.5, 1.0])),
                "eligible": draw(st.booleans()),
            }
        )
    needs = []
    for n in range(draw(st.integers(1, 8))):
        need_id = 5 * n + 11
        skills = draw(st.lists(st.integers(0, N_SKILLS - 1), unique=True, max_size=4))
        needs.append(
            {
                "id": need_id,
                "skills": [(s, draw(st.integers(1, 5)), draw(st.booleans()), draw(st.integers(1, 4))) for s in skills],
                "languages": [
                    (lang, draw(st.integers(1, 7)))
                    for lang in draw(st.lists(st.integers(0, N_LANGUAGES - 1), unique=True, max_size=2))
                ],
                "format_bits": draw(st.sampled_from([1, 2, 4, engine.ALL_FORMATS])),
                "work_mode": draw(st.integers(1, 3)),
                "region": draw(st.integers(-1, 2)),
                "province": draw(st.integers(-1, 5)),
                "declined": {(need_id, x["id"]) for x in experts if draw(st.integers(0, 9)) == 0},
            }
        )
    top_k = draw(st.integers(1, 6))
    return experts, needs, links, top_k


def _engine_inputs(experts, needs, links, conf):
    hierarchy = engine.hierarchy_build(
        N_SKILLS, np.array([a for a, _ in links], np.int64), np.array([b for _, b in links], np.int64), conf
    )
    return arrays.experts_arrays(experts, N_SKILLS, N_LANGUAGES), arrays.needs_arrays(needs), hierarchy


@settings(max_examples=80, deadline=None)
@given(data_sets())
def test_engine_top_k_equals_reference_top_k(data):
    experts, needs, links, top_k = data
    conf = MatchingConf(top_k=top_k)
    ex, nd, hierarchy = _engine_inputs(experts, needs, links, conf)
    relations = reference.skill_relations(N_SKILLS, links, conf)

    top = engine.match_needs(ex, nd, hierarchy, conf, chunk=3)

    for n, need in enumerate(needs):
        mask = top.need_row == n
        got = list(zip(ex.ids[top.expert_row[mask]].tolist(), top.score[mask].tolist(), strict=True))
        assert got == reference.top_k(experts, need, relations, conf)
        assert top.rank[mask].tolist() == list(range(1, len(got) + 1))


@settings(max_examples=80, deadline=None)
@given(data_sets(), st.integers(1, 40), st.booleans())
def test_experts_scored_in_blocks_give_the_same_top_k(data, block, subset):
    """Scoring experts block by block (memory bounded at national scale) and merging the blocks'
    top K gives the reference's top K, ranks, and the same parts as one block."""
    experts, needs, links, top_k = data
    conf = MatchingConf(top_k=top_k)
    ex, nd, hierarchy = _engine_inputs(experts, needs, links, conf)
    relations = reference.skill_relations(N_SKILLS, links, conf)
    rows = np.arange(len(needs))[::-1][: max(1, len(needs) // 2)] if subset else None  # any order

    whole = engine.match_needs(ex, nd, hierarchy, conf, need_rows=rows, block=10**9)
    top = engine.match_needs(ex, nd, hierarchy, conf, need_rows=rows, chunk=2, block=block)

    for n in range(len(needs)) if rows is None else rows.tolist():
        mask = top.need_row == n
        got = list(zip(ex.ids[top.expert_row[mask]].tolist(), top.score[mask].tolist(), strict=True))
        assert got == reference.top_k(experts, needs[n], relations, conf)
        assert top.rank[mask].tolist() == list(range(1, len(got) + 1))
    for field in ("need_row", "expert_row", "rank", "score", "parts"):
        assert np.array_equal(getattr(top, field), getattr(whole, field))


def test_expert_blocks_cover_every_expert_once():
    conf = MatchingConf()
    experts = [{**_expert(i), "skills": {i % N_SKILLS: (2, 1.0)}} for i in range(30)]
    ex, _nd, hierarchy = _engine_inputs(experts, [], [(1, 2), (2, 3)], conf)

    blocks = engine.expert_blocks(ex, hierarchy, budget=4)

    assert len(blocks) > 1
    assert [a for a, _ in blocks] == [0] + [b for _, b in blocks[:-1]]
    assert blocks[-1][1] == 30
    assert engine.expert_blocks(ex, hierarchy, budget=10**6) == [(0, 30)]


def _expert(i):
    return {
        "id": i + 1,
        "skills": {},
        "languages": {},
        "formats": 1,
        "work_mode": 1,
        "region": -1,
        "province": -1,
        "availability": 1.0,
        "eligible": True,
    }


@settings(max_examples=40, deadline=None)
@given(data_sets())
def test_engine_parts_equal_reference_parts(data):
    experts, needs, links, top_k = data
    conf = MatchingConf(top_k=top_k)
    ex, nd, hierarchy = _engine_inputs(experts, needs, links, conf)
    relations = reference.skill_relations(N_SKILLS, links, conf)

    top = engine.match_needs(ex, nd, hierarchy, conf)

    for i in range(len(top)):
        _score, parts = reference.pair_score(experts[top.expert_row[i]], needs[top.need_row[i]], relations, conf)
        assert np.allclose(top.parts[i], [parts[p] for p in engine.PARTS], atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(data_sets())
def test_one_expert_against_all_needs_equals_reference(data):
    experts, needs, links, top_k = data
    conf = MatchingConf(top_k=top_k)
    ex, nd, hierarchy = _engine_inputs(experts, needs, links, conf)
    relations = reference.skill_relations(N_SKILLS, links, conf)

    for e, expert in enumerate(experts):
        rows, scores, _parts = engine.match_expert(ex, e, nd, hierarchy, conf)
        expected = {}
        for n, need in enumerate(needs):
            result = reference.pair_score(expert, need, relations, conf)
            if result is not None:
                expected[n] = result[0]
        assert dict(zip(rows.tolist(), scores.tolist(), strict=True)) == expected


@settings(max_examples=40, deadline=None)
@given(data_sets())
def test_merging_a_changed_expert_equals_rescoring_the_need(data):
    experts, needs, links, top_k = data
    conf = MatchingConf(top_k=top_k)
    relations = reference.skill_relations(N_SKILLS, links, conf)
    if not experts:
        return
    before = {n: reference.top_k(experts, need, relations, conf) for n, need in enumerate(needs)}
    changed = dict(experts[0], skills={}, eligible=not experts[0]["eligible"])  # the expert edits their profile
    after_experts = [changed, *experts[1:]]

    for n, need in enumerate(needs):
        result = reference.pair_score(changed, need, relations, conf)
        ids, scores, complete = engine.merge_into_topk(
            need["id"],
            [i for i, _ in before[n]],
            [s for _, s in before[n]],
            changed["id"],
            None if result is None else result[0],
            conf.top_k,
        )
        if complete:
            assert list(zip(ids.tolist(), scores.tolist(), strict=True)) == reference.top_k(
                after_experts, need, relations, conf
            )


def test_explanations_name_the_crediting_concept():
    conf = MatchingConf()
    # skill 1 is narrower than skill 0; the expert holds 1 at level 2, the need asks for 0 at level 3
    experts = [
        {
            "id": 1,
            "skills": {1: (2, 4.0)},
            "languages": {},
            "formats": 1,
            "work_mode": 3,
            "region": -1,
            "province": -1,
            "availability": 1.0,
            "eligible": True,
        }
    ]
    needs = [
        {
            "id": 9,
            "skills": [(0, 3, True, 3)],
            "languages": [],
            "format_bits": 1,
            "work_mode": 1,
            "region": -1,
            "province": -1,
            "declined": set(),
        }
    ]
    ex, nd, hierarchy = (
        arrays.experts_arrays(experts, 3, 1),
        arrays.needs_arrays(needs),
        engine.hierarchy_build(3, np.array([1]), np.array([0]), conf),
    )
    top = engine.match_needs(ex, nd, hierarchy, conf)

    detail = engine.explain_skills(top, ex, nd, hierarchy, conf)

    assert detail.source.tolist() == [1]
    assert detail.relation.tolist() == [engine.NARROWER_1]
    assert detail.credit.tolist() == [0.75 * 0.5]  # narrower concept, below the minimum level
    assert detail.level.tolist() == [2]
    assert detail.years.tolist() == [4.0]
    assert detail.essential.tolist() == [True]
