"""The matching engine: pure NumPy/SciPy, no Django (docs/matching.md is its specification).

Inputs are arrays indexed by *rows* (experts 0..E-1, needs 0..N-1, skills 0..S-1) plus the
stable database ids of experts and needs; outputs are rows, scores and the parts of each
score. The Django side (matching/loaders.py, matching/services.py) builds the inputs with a
few queries and stores the results; tests/matching/reference.py is the same model written
pair by pair, and the property tests hold the two to the same top K.

How the skills part is vectorised: every expert skill is expanded through the ESCO hierarchy
into the concepts it gives credit for (the *closure*), and the best credit per (expert,
concept) is kept for each possible minimum level 1..4. Stacking those four blocks and the
experience block side by side gives one sparse matrix (E × 5S); a need is a sparse row of
weights over the same columns, so one sparse product scores every candidate pair at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from .conf import MatchingConf

PARTS = ("skills", "languages", "availability", "experience", "region")
MAX_LEVEL = 4
EXPERIENCE_BLOCK, HELD_BLOCK, BLOCKS = MAX_LEVEL, MAX_LEVEL + 1, MAX_LEVEL + 2  # column blocks of expert_matrix
# How an expert's concept relates to the required one (kept in explanations).
EXACT, NARROWER_1, NARROWER_2, BROADER_1, BROADER_2 = 0, 1, 2, 3, 4
RELATION_NAMES = {
    EXACT: "exact",
    NARROWER_1: "narrower",
    NARROWER_2: "narrower",
    BROADER_1: "broader",
    BROADER_2: "broader",
}
# Work modes as bits: a pair can work together if the masks share a bit.
REMOTE, ON_SITE = 1, 2
ALL_FORMATS = 0xFFFF
SCORE_DECIMALS = 9  # scores are rounded so that equal sums compare equal whatever the summation order
_MASK64 = (1 << 64) - 1


# --- inputs ----------------------------------------------------------------------------


@dataclass
class Hierarchy:
    """credit[k, j]: the credit an expert holding concept k gets for required concept j."""

    credit: sparse.csr_matrix
    kind: sparse.csr_matrix  # same structure, the relation code (EXACT, NARROWER_1, …)

    @property
    def n_skills(self) -> int:
        return self.credit.shape[0]


@dataclass
class Experts:
    """E experts. `skills` is canonical CSR (E × S) holding levels 1..4; `years` is a CSR of
    exactly the same structure (same indptr and indices), holding years of experience."""

    ids: np.ndarray  # int64, stable key (profile id)
    skills: sparse.csr_matrix
    years: sparse.csr_matrix
    languages: np.ndarray  # (E × L) int8, CEFR level 1..7, 0 = not spoken
    formats: np.ndarray  # uint16 bit mask of engagement formats offered
    work_mode: np.ndarray  # uint8: REMOTE | ON_SITE bits
    region: np.ndarray  # int32 origin region id, -1 unknown
    province: np.ndarray  # int32 origin province id, -1 unknown
    availability: np.ndarray  # float64 in [0, 1]
    eligible: np.ndarray  # bool: consents to matching, active, not stale

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class Needs:
    """N needs; required skills and languages are ragged arrays (CSR-style pointers)."""

    ids: np.ndarray  # int64
    skill_ptr: np.ndarray  # (N+1,)
    skill_idx: np.ndarray  # skill rows
    skill_weight: np.ndarray  # float64
    skill_essential: np.ndarray  # bool
    skill_min_level: np.ndarray  # int8 1..4
    lang_ptr: np.ndarray  # (N+1,)
    lang_idx: np.ndarray  # language columns of Experts.languages
    lang_min: np.ndarray  # int8 CEFR level
    format_bits: np.ndarray  # uint16, ALL_FORMATS when any format will do
    work_mode: np.ndarray  # uint8
    region: np.ndarray  # int32, -1 none
    province: np.ndarray  # int32, -1 none
    declined: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # pair_key(need_id, expert_id)

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class TopK:
    """Ranked suggestions: one row per (need, expert), ordered by need then rank."""

    need_row: np.ndarray
    expert_row: np.ndarray
    rank: np.ndarray  # 1-based
    score: np.ndarray
    parts: np.ndarray  # (M × len(PARTS))

    def __len__(self) -> int:
        return len(self.need_row)

    @classmethod
    def concat(cls, items: list[TopK]) -> TopK:
        if not items:
            return cls(*(np.zeros(0, np.int64) for _ in range(4)), np.zeros((0, len(PARTS))))
        return cls(
            np.concatenate([t.need_row for t in items]),
            np.concatenate([t.expert_row for t in items]),
            np.concatenate([t.rank for t in items]),
            np.concatenate([t.score for t in items]),
            np.concatenate([t.parts for t in items]),
        )


def pair_key(need_ids, expert_ids) -> np.ndarray:
    """One int64 per (need, expert) pair, for declined pairs."""
    return (np.asarray(need_ids, np.int64) << 32) | np.asarray(expert_ids, np.int64)


def tiebreak(need_ids, expert_ids) -> np.ndarray:
    """A stable pseudo-random order for equal scores (splitmix64 of the pair).

    Not the profile id itself: otherwise the oldest profiles would win every tie in the country.
    """
    with np.errstate(over="ignore"):
        x = (np.asarray(need_ids, np.uint64) * np.uint64(0x9E3779B97F4A7C15)) ^ np.asarray(expert_ids, np.uint64)
        x = x + np.uint64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


# --- the skill hierarchy ---------------------------------------------------------------


def hierarchy_build(n_skills: int, narrower: np.ndarray, broader: np.ndarray, conf: MatchingConf) -> Hierarchy:
    """Credit matrix from ESCO's broader links (`narrower[i]` → `broader[i]`, skill rows).

    Holding concept k gives full credit for k, `narrower_credit[d-1]` for a concept d steps
    above k (k is more specific) and `broader_credit[d-1]` for one d steps below (k is more
    general), d = 1, 2. Several paths: the best credit wins.
    """
    s = n_skills
    narrower = np.asarray(narrower, np.int64)
    broader = np.asarray(broader, np.int64)
    keep = narrower != broader
    parent = sparse.csr_matrix((np.ones(int(keep.sum()), np.float64), (narrower[keep], broader[keep])), shape=(s, s))
    parent.data[:] = 1.0
    grand = parent @ parent
    grand.data[:] = 1.0
    rows, cols, credits, kinds = [np.arange(s)], [np.arange(s)], [np.ones(s)], [np.full(s, EXACT)]
    for matrix, transpose, credit, kind in (
        (parent, False, conf.narrower_credit[0], NARROWER_1),
        (grand, False, conf.narrower_credit[1], NARROWER_2),
        (parent, True, conf.broader_credit[0], BROADER_1),
        (grand, True, conf.broader_credit[1], BROADER_2),
    ):
        coo = matrix.tocoo()
        k, j = (coo.col, coo.row) if transpose else (coo.row, coo.col)
        rows.append(k)
        cols.append(j)
        credits.append(np.full(len(k), float(credit)))
        kinds.append(np.full(len(k), kind))
    k, j = np.concatenate(rows).astype(np.int64), np.concatenate(cols).astype(np.int64)
    credit, kind = np.concatenate(credits), np.concatenate(kinds).astype(np.int8)
    # best credit per (k, j); among equals the closer relation (smaller code) wins
    order = np.lexsort((kind, -credit, j, k))
    k, j, credit, kind = k[order], j[order], credit[order], kind[order]
    first = np.ones(len(k), bool)
    first[1:] = (k[1:] != k[:-1]) | (j[1:] != j[:-1])
    k, j, credit, kind = k[first], j[first], credit[first], kind[first]
    indptr = np.zeros(s + 1, np.int64)
    np.cumsum(np.bincount(k, minlength=s), out=indptr[1:])
    credit_m = sparse.csr_matrix((credit, j, indptr), shape=(s, s))
    kind_m = sparse.csr_matrix((kind, j.copy(), indptr.copy()), shape=(s, s))
    return Hierarchy(credit=credit_m, kind=kind_m)


def _ragged_gather(ptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each of `rows`, the positions ptr[row]..ptr[row+1]; returns (owner, position)."""
    counts = ptr[rows + 1] - ptr[rows]
    owner = np.repeat(np.arange(len(rows)), counts)
    # in place: at national scale each of these arrays is tens of millions of entries
    position = np.repeat(ptr[rows] - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
    position += np.arange(len(position))
    return owner, position


# --- experts: the closure matrix -------------------------------------------------------


def _closure(experts: Experts, hierarchy: Hierarchy, conf: MatchingConf):
    """Unique (expert, concept) credit entries sorted by expert then concept: (e, j, best credit
    per minimum level 1..4), and the experience entries (e, exact concept, value).

    Memory: the expanded entries are the largest arrays of a full re-match (≈ 11 per held
    skill), so they are reordered one at a time and expert and concept are recovered from the
    sorted key rather than carried along."""
    s = hierarchy.n_skills
    x = experts.skills.tocoo()
    keep = experts.eligible[x.row]
    e_rows, k_cols, level = x.row[keep].astype(np.int64), x.col[keep].astype(np.int64), x.data[keep]
    years = np.asarray(experts.years.data, np.float64)[keep]  # same structure as `skills`
    del x, keep
    owner, pos = _ragged_gather(hierarchy.credit.indptr, k_cols)
    key = e_rows[owner]
    key *= s
    key += hierarchy.credit.indices[pos]
    credit = hierarchy.credit.data[pos]
    del pos
    lvl = level[owner]
    del owner
    order = np.argsort(key, kind="stable")
    key = key[order]
    credit = credit[order]
    lvl = lvl[order]
    del order
    starts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1]))) if len(key) else np.zeros(0, np.int64)
    bests = []
    for m in range(1, MAX_LEVEL + 1):
        value = credit * np.where(lvl >= m, 1.0, conf.below_level_factor)
        bests.append(np.maximum.reduceat(value, starts) if len(starts) else np.zeros(0))
    del credit, lvl, value
    unique = key[starts]
    del key
    experience = np.minimum(years / conf.years_full, 1.0)
    positive = experience > 0
    return unique // s, unique % s, bests, (e_rows[positive], k_cols[positive], experience[positive])


def expert_matrix(experts: Experts, hierarchy: Hierarchy, conf: MatchingConf) -> sparse.csr_matrix:
    """The (E × 6S) matrix: blocks m = 1..4 hold the best skill credit per concept when the
    minimum level is m; block 5 holds experience (years on the exact concept, capped);
    block 6 is 1 wherever the expert has any credit (to check essential skills).

    Ineligible experts get empty rows, so they never become candidates.
    """
    s = hierarchy.n_skills
    ue, uj, bests, (xe, xk, xv) = _closure(experts, hierarchy, conf)
    rows = [ue] * MAX_LEVEL + [xe, ue]
    cols = [uj + m * s for m in range(MAX_LEVEL)] + [xk + EXPERIENCE_BLOCK * s, uj + HELD_BLOCK * s]
    data = [*bests, xv, np.ones(len(ue))]
    return sparse.csr_matrix(
        (np.concatenate(data), (np.concatenate(rows), np.concatenate(cols))), shape=(len(experts), BLOCKS * s)
    )


def _stable_order(concepts: np.ndarray, n_skills: int) -> np.ndarray:
    """`np.argsort(concepts, kind="stable")`, the same permutation: NumPy radix-sorts 16-bit
    keys in linear time (ESCO has ~14,000 concepts) where int64 keys go through a merge sort."""
    if n_skills <= np.iinfo(np.uint16).max + 1:
        return np.argsort(concepts.astype(np.uint16), kind="stable")
    return np.argsort(concepts, kind="stable")


def expert_matrix_t(experts: Experts, hierarchy: Hierarchy, conf: MatchingConf) -> sparse.csr_matrix:
    """The transpose of `expert_matrix` (6S × E, concept-major), built directly: what a need's
    weight row is multiplied by. Skips a COO conversion and a transpose of ~40 M entries, and
    fills the final arrays in place (int32 expert indices) instead of concatenating copies."""
    s = hierarchy.n_skills
    ue, uj, bests, (xe, xk, xv) = _closure(experts, hierarchy, conf)
    by_concept = _stable_order(uj, s)  # experts stay ascending within a concept
    concept_counts = np.bincount(uj, minlength=s)
    del uj
    by_exact = _stable_order(xk, s)
    exact_counts = np.bincount(xk, minlength=s)
    counts = [concept_counts] * MAX_LEVEL + [exact_counts, concept_counts]
    indptr = np.zeros(BLOCKS * s + 1, np.int64)
    np.cumsum(np.concatenate(counts), out=indptr[1:])
    u, n_exp = len(ue), len(xe)
    data = np.empty(int(indptr[-1]), np.float64)
    indices = np.empty(int(indptr[-1]), np.int32)
    experts_of = ue[by_concept].astype(np.int32)
    del ue
    for m in range(MAX_LEVEL):
        data[m * u : (m + 1) * u] = bests[m][by_concept]
        bests[m] = None  # freed as soon as copied
        indices[m * u : (m + 1) * u] = experts_of
    at = MAX_LEVEL * u
    data[at : at + n_exp] = xv[by_exact]
    indices[at : at + n_exp] = xe[by_exact]
    data[at + n_exp :] = 1.0
    indices[at + n_exp :] = experts_of
    return sparse.csr_matrix((data, indices, indptr), shape=(BLOCKS * s, len(experts)))


# --- needs: the weight matrix -----------------------------------------------------------


def need_weights(needs: Needs, rows: np.ndarray, n_skills: int, conf: MatchingConf) -> sparse.csr_matrix:
    """(3·len(rows) × 6S): for need rows[i], row 3i scores its skills, row 3i+1 its
    experience, row 3i+2 counts the essential skills an expert holds at least partially."""
    s = n_skills
    owner, pos = _ragged_gather(needs.skill_ptr, rows)
    j = needs.skill_idx[pos].astype(np.int64)
    essential = needs.skill_essential[pos]
    w = needs.skill_weight[pos] * np.where(essential, conf.essential_multiplier, 1.0)
    total = np.bincount(owner, weights=w, minlength=len(rows))
    w = np.divide(w, total[owner], out=np.zeros_like(w), where=total[owner] > 0)
    m = needs.skill_min_level[pos].astype(np.int64)
    out_rows = np.concatenate((3 * owner, 3 * owner + 1, 3 * owner[essential] + 2))
    out_cols = np.concatenate(((m - 1) * s + j, EXPERIENCE_BLOCK * s + j, HELD_BLOCK * s + j[essential]))
    data = np.concatenate((w, w, np.ones(int(essential.sum()))))
    return sparse.csr_matrix((data, (out_rows, out_cols)), shape=(3 * len(rows), BLOCKS * s))


def essential_counts(needs: Needs) -> np.ndarray:
    return np.bincount(
        np.repeat(np.arange(len(needs)), np.diff(needs.skill_ptr)),
        weights=needs.skill_essential.astype(np.float64),
        minlength=len(needs),
    ).astype(np.int64)


# --- scoring pairs ---------------------------------------------------------------------


def _language_slots(needs: Needs) -> tuple[np.ndarray, np.ndarray]:
    """(N × Lmax) language columns and minimum levels, padded with (0, 99): never met."""
    counts = np.diff(needs.lang_ptr)
    width = max(int(counts.max()) if len(counts) else 0, 1)
    idx = np.zeros((len(needs), width), np.int64)
    low = np.full((len(needs), width), 99, np.int16)
    owner = np.repeat(np.arange(len(needs)), counts)
    slot = np.arange(len(owner)) - np.repeat(needs.lang_ptr[:-1], counts)
    idx[owner, slot] = needs.lang_idx
    low[owner, slot] = needs.lang_min
    return idx, low


def _combine(skill, languages, availability, experience, region, conf: MatchingConf) -> np.ndarray:
    """The score from its parts: the one formula both code paths use, so they agree bit for bit."""
    total = sum(conf.weights[p] for p in PARTS)
    w = [conf.weights[p] / total for p in PARTS]
    score = w[0] * skill + w[1] * languages + w[2] * availability + w[3] * experience + w[4] * region
    return np.round(score, SCORE_DECIMALS)


def _region_part(expert_region, expert_province, need_region, need_province, conf: MatchingConf) -> np.ndarray:
    return np.where(
        (need_province >= 0) & (expert_province == need_province),
        conf.province_tie,
        np.where((need_region >= 0) & (expert_region == need_region), conf.region_tie, 0.0),
    )


def score_pairs(
    n: np.ndarray,
    e: np.ndarray,
    skill: np.ndarray,
    experience: np.ndarray,
    essential_held: np.ndarray,
    experts: Experts,
    needs: Needs,
    conf: MatchingConf,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hard filters and parts for arbitrary candidate pairs (need rows `n`, expert rows `e`)
    whose skill and experience parts and essential-skill counts are known.
    Returns (eligible mask, scores, parts)."""
    lang_idx, lang_min = _language_slots(needs)
    ok = experts.eligible[e] & (skill > 0)
    ok &= np.round(essential_held).astype(np.int64) >= essential_counts(needs)[n]
    ok &= (experts.formats[e] & needs.format_bits[n]) != 0
    ok &= (experts.work_mode[e] & needs.work_mode[n]) != 0
    n_langs = np.diff(needs.lang_ptr)[n]
    hits = np.zeros(len(n), np.int64)
    for slot in range(lang_idx.shape[1]):
        hits += experts.languages[e, lang_idx[n, slot]] >= lang_min[n, slot]
    ok &= (n_langs == 0) | (hits > 0)
    if len(needs.declined):
        ok &= ~np.isin(pair_key(needs.ids[n], experts.ids[e]), needs.declined)
    languages = np.where(n_langs == 0, 1.0, hits / np.maximum(n_langs, 1))
    region = _region_part(experts.region[e], experts.province[e], needs.region[n], needs.province[n], conf)
    availability = experts.availability[e].astype(np.float64)
    score = _combine(skill, languages, availability, experience, region, conf)
    parts = np.stack((skill, languages, availability, experience, region), axis=1)
    return ok, score, parts


class _NeedFilters:
    """Hard filters and the language part of one need over *all* experts, cached by what the
    need asks (format, work mode, languages): 2,000 needs share a few hundred such tables."""

    def __init__(self, experts: Experts, needs: Needs, conf: MatchingConf):
        self.experts, self.needs, self.conf = experts, needs, conf
        self._ok: dict = {}
        self._languages: dict = {}
        self.declined: dict[int, np.ndarray] = {}
        if len(needs.declined):
            keys = np.asarray(needs.declined, np.int64)
            need_ids, expert_ids = keys >> 32, keys & 0xFFFFFFFF
            for need_id in np.unique(need_ids):
                self.declined[int(need_id)] = expert_ids[need_ids == need_id]

    def _language_signature(self, n: int) -> tuple:
        a, b = self.needs.lang_ptr[n], self.needs.lang_ptr[n + 1]
        return tuple(zip(self.needs.lang_idx[a:b].tolist(), self.needs.lang_min[a:b].tolist(), strict=True))

    def languages(self, n: int) -> tuple[np.ndarray | None, np.ndarray | float]:
        """(mask of experts speaking a required language or None, language part)."""
        signature = self._language_signature(n)
        if not signature:
            return None, 1.0
        if signature not in self._languages:
            hits = np.zeros(len(self.experts), np.int64)
            for lang, low in signature:
                hits += self.experts.languages[:, lang] >= low
            self._languages[signature] = (hits > 0, hits / len(signature))
        return self._languages[signature]

    def ok(self, n: int) -> np.ndarray:
        key = (int(self.needs.format_bits[n]), int(self.needs.work_mode[n]), self._language_signature(n))
        if key not in self._ok:
            x = self.experts
            mask = x.eligible & ((x.formats & key[0]) != 0) & ((x.work_mode & key[1]) != 0)
            speaks, _ = self.languages(n)
            self._ok[key] = mask if speaks is None else mask & speaks
        return self._ok[key]


def rank_order(need_id: int, expert_ids: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Indices sorting one need's candidates best first: score, then the stable tie-break."""
    return np.lexsort((expert_ids, tiebreak(need_id, expert_ids), -score))


def _select(need_id: int, expert_ids: np.ndarray, score: np.ndarray, k: int) -> np.ndarray:
    if len(score) > k:
        kth = np.partition(score, len(score) - k)[len(score) - k]
        candidates = np.flatnonzero(score >= kth)
    else:
        candidates = np.arange(len(score))
    order = rank_order(need_id, expert_ids[candidates], score[candidates])
    return candidates[order[:k]]


# --- the three entry points --------------------------------------------------------------


# Experts are scored in blocks of about this many closure entries (held skill × concept it
# credits, ≈ 3.4 per held skill on ESCO v1.0): one block's matrix (≈ 5 entries per closure
# entry, 12 bytes each) and its build stay near 0.5 GB whatever the number of experts — a
# national matrix at 1,000,000 experts holds ~140 M entries (1.7 GB) and took 4 GB to build.
# Up to ~300,000 experts fit in one block: there nothing changes.
CLOSURE_BLOCK = 8_000_000


def expert_blocks(experts: Experts, hierarchy: Hierarchy, budget: int = CLOSURE_BLOCK) -> list[tuple[int, int]]:
    """Contiguous expert row ranges [a, b) whose expanded closures hold about `budget` entries."""
    n = len(experts)
    fan_out = np.diff(hierarchy.credit.indptr)
    held = experts.skills.indices
    cost = fan_out[np.minimum(held, len(fan_out) - 1)] if len(held) else np.zeros(0, np.int64)
    cumulative = np.concatenate(([0], np.cumsum(cost, dtype=np.int64)))[experts.skills.indptr]
    total = int(cumulative[-1]) if n else 0
    if total <= budget:
        return [(0, n)]
    cuts = np.searchsorted(cumulative, budget * np.arange(1, -(-total // budget)), side="left")
    edges = np.unique(np.concatenate(([0], np.clip(cuts, 0, n), [n])))
    return list(zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True))


def experts_slice(experts: Experts, a: int, b: int) -> Experts:
    """Expert rows a..b-1 (views where NumPy allows, CSR rows copied)."""
    return Experts(
        ids=experts.ids[a:b],
        skills=experts.skills[a:b],
        years=experts.years[a:b],
        languages=experts.languages[a:b],
        formats=experts.formats[a:b],
        work_mode=experts.work_mode[a:b],
        region=experts.region[a:b],
        province=experts.province[a:b],
        availability=experts.availability[a:b],
        eligible=experts.eligible[a:b],
    )


def _merge_blocks(top: TopK, needs: Needs, experts: Experts, need_rows: np.ndarray, k: int) -> TopK:
    """Each block's top K per need, merged into the top K per need over all experts: the same
    total order as `rank_order` (score, tie-break, id), needs in the order of `need_rows`."""
    if not len(top):
        return top
    position = np.empty(len(needs), np.int64)
    position[need_rows] = np.arange(len(need_rows))
    need_ids, expert_ids = needs.ids[top.need_row], experts.ids[top.expert_row]
    order = np.lexsort((expert_ids, tiebreak(need_ids, expert_ids), -top.score, position[top.need_row]))
    need_row = top.need_row[order]
    starts = np.flatnonzero(np.concatenate(([True], need_row[1:] != need_row[:-1])))
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.append(starts, len(order)))) + 1
    keep = order[rank <= k]
    return TopK(top.need_row[keep], top.expert_row[keep], rank[rank <= k], top.score[keep], top.parts[keep])


def match_needs(
    experts: Experts,
    needs: Needs,
    hierarchy: Hierarchy,
    conf: MatchingConf,
    need_rows: np.ndarray | None = None,
    chunk: int = 256,
    xmatrix: sparse.csr_matrix | None = None,
    on_progress=None,
    block: int = CLOSURE_BLOCK,
) -> TopK:
    """Top K experts for each need in `need_rows` (default: all), against every expert.

    Without `xmatrix`, experts are scored in blocks (`expert_blocks`) and each block's top K
    merged: the result is the same as in one block, each pair's score being computed alike.
    """
    need_rows = np.arange(len(needs)) if need_rows is None else np.asarray(need_rows, np.int64)
    blocks = [(0, len(experts))] if xmatrix is not None else expert_blocks(experts, hierarchy, block)
    if len(blocks) == 1:
        return _match_needs_block(experts, needs, hierarchy, conf, need_rows, chunk, xmatrix, on_progress)
    tops = []
    for i, (a, b) in enumerate(blocks):
        progress = None
        if on_progress is not None:
            total = len(need_rows)

            def progress(done, _total, i=i, total=total):
                on_progress((i * total + done) // len(blocks), total)

        top = _match_needs_block(experts_slice(experts, a, b), needs, hierarchy, conf, need_rows, chunk, None, progress)
        top.expert_row += a
        tops.append(top)
    return _merge_blocks(TopK.concat(tops), needs, experts, need_rows, conf.top_k)


def _match_needs_block(
    experts: Experts,
    needs: Needs,
    hierarchy: Hierarchy,
    conf: MatchingConf,
    need_rows: np.ndarray,
    chunk: int,
    xmatrix: sparse.csr_matrix | None,
    on_progress,
) -> TopK:
    """`match_needs` against the experts given (one block of them), with their own matrix."""
    # concept-major: a need's weight row times this gives its candidates
    xt = xmatrix.T.tocsr() if xmatrix is not None else expert_matrix_t(experts, hierarchy, conf)
    filters = _NeedFilters(experts, needs, conf)
    n_essential = essential_counts(needs)
    scratch = np.zeros(len(experts))
    results = []
    for start in range(0, len(need_rows), chunk):
        rows = need_rows[start : start + chunk]
        product = (need_weights(needs, rows, hierarchy.n_skills, conf) @ xt).tocsr()
        ptr, idx, data = product.indptr, product.indices, product.data
        for i, n in enumerate(rows):
            a, b, c, d = ptr[3 * i], ptr[3 * i + 1], ptr[3 * i + 2], ptr[3 * i + 3]
            if a == b:
                continue
            cand, skill = idx[a:b], data[a:b]
            ok = filters.ok(n)[cand]
            if n_essential[n]:
                scratch[idx[c:d]] = data[c:d]
                ok &= np.round(scratch[cand]) >= n_essential[n]
                scratch[idx[c:d]] = 0.0
            need_id = int(needs.ids[n])
            if need_id in filters.declined:
                ok &= ~np.isin(experts.ids[cand], filters.declined[need_id])
            cand, skill = cand[ok], skill[ok]
            if not len(cand):
                continue
            scratch[idx[b:c]] = data[b:c]
            experience = scratch[cand]
            scratch[idx[b:c]] = 0.0
            _, lang_part = filters.languages(n)
            languages = lang_part[cand] if isinstance(lang_part, np.ndarray) else np.full(len(cand), lang_part)
            availability = experts.availability[cand].astype(np.float64)
            region = _region_part(
                experts.region[cand], experts.province[cand], needs.region[n], needs.province[n], conf
            )
            score = _combine(skill, languages, availability, experience, region, conf)
            chosen = _select(need_id, experts.ids[cand], score, conf.top_k)
            parts = np.stack(
                (skill[chosen], languages[chosen], availability[chosen], experience[chosen], region[chosen]), axis=1
            )
            results.append(
                TopK(
                    np.full(len(chosen), n, np.int64),
                    cand[chosen].astype(np.int64),
                    np.arange(1, len(chosen) + 1),
                    score[chosen],
                    parts,
                )
            )
        if on_progress is not None:
            on_progress(min(start + chunk, len(need_rows)), len(need_rows))
    return TopK.concat(results)


def match_expert(
    experts: Experts, e: int, needs: Needs, hierarchy: Hierarchy, conf: MatchingConf
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Score expert row `e` against every need: (need rows where eligible, scores, parts)."""
    single = Experts(
        ids=experts.ids[e : e + 1],
        skills=experts.skills[e : e + 1],
        years=experts.years[e : e + 1],
        languages=experts.languages[e : e + 1],
        formats=experts.formats[e : e + 1],
        work_mode=experts.work_mode[e : e + 1],
        region=experts.region[e : e + 1],
        province=experts.province[e : e + 1],
        availability=experts.availability[e : e + 1],
        eligible=experts.eligible[e : e + 1],
    )
    x = expert_matrix(single, hierarchy, conf)
    w = need_weights(needs, np.arange(len(needs)), hierarchy.n_skills, conf)
    row = (w @ x.T).toarray().ravel()  # (3N,)
    skill, experience, held = row[0::3], row[1::3], row[2::3]
    n = np.flatnonzero(skill > 0)
    zero = np.zeros(len(n), np.int64)
    ok, score, parts = score_pairs(n, zero, skill[n], experience[n], held[n], single, needs, conf)
    return n[ok], score[ok], parts[ok]


def merge_into_topk(
    need_id: int,
    current_ids: np.ndarray,
    current_scores: np.ndarray,
    expert_id: int,
    new_score: float | None,
    k: int,
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Place one re-scored expert into a need's stored top K.

    Returns (expert ids, scores, complete). `complete` is False when the expert left a full
    list: someone outside the stored K may now belong in it, so the need must be re-scored.
    """
    current_ids = np.asarray(current_ids, np.int64)
    current_scores = np.asarray(current_scores, np.float64)
    was_in = bool((current_ids == expert_id).any())
    keep = current_ids != expert_id
    ids, scores = current_ids[keep], current_scores[keep]
    if new_score is not None:
        ids = np.append(ids, expert_id)
        scores = np.append(scores, new_score)
    order = rank_order(need_id, ids, scores)
    ids, scores = ids[order][:k], scores[order][:k]
    stayed = bool((ids == expert_id).any())
    complete = not (was_in and not stayed and len(current_ids) >= k)
    return ids, scores, complete


# --- explanations ------------------------------------------------------------------------


@dataclass
class SkillExplanations:
    """Per (suggestion, required skill): credit and the expert's concept that earned it."""

    pair: np.ndarray  # index into the TopK rows
    required: np.ndarray  # skill row required by the need
    essential: np.ndarray
    credit: np.ndarray  # 0 when unmatched
    source: np.ndarray  # skill row of the expert's concept, -1 when unmatched
    relation: np.ndarray  # EXACT, NARROWER_1, … (-1 unmatched)
    level: np.ndarray  # expert level on the source concept (0 unmatched)
    years: np.ndarray


def explain_skills(topk: TopK, experts: Experts, needs: Needs, hierarchy: Hierarchy, conf: MatchingConf):
    """For every suggestion and required skill, the best crediting concept of the expert."""
    s = hierarchy.n_skills
    pair, pos = _ragged_gather(needs.skill_ptr, topk.need_row)
    required = needs.skill_idx[pos].astype(np.int64)
    min_level = needs.skill_min_level[pos]
    e = topk.expert_row[pair]
    xs = experts.skills
    owner, xpos = _ragged_gather(xs.indptr, e)  # each (pair, required) × each expert concept
    k = xs.indices[xpos].astype(np.int64)
    level = xs.data[xpos]
    years = experts.years.data[xpos]
    j = required[owner]
    # credit[k, j] lookup through sorted (k, j) keys of the hierarchy's CSR
    h = hierarchy.credit
    h_rows = np.repeat(np.arange(s), np.diff(h.indptr))
    h_keys = h_rows.astype(np.int64) * s + h.indices
    wanted = k * s + j
    at = np.searchsorted(h_keys, wanted)
    at_c = np.minimum(at, len(h_keys) - 1)
    found = (at < len(h_keys)) & (h_keys[at_c] == wanted)
    credit = np.where(found, h.data[at_c], 0.0) * np.where(level >= min_level[owner], 1.0, conf.below_level_factor)
    relation = np.where(found, hierarchy.kind.data[at_c], -1)
    # best per (pair, required): credit desc, closer relation, lower skill row
    order = np.lexsort((k, relation, -credit, owner))
    first = np.ones(len(order), bool)
    first[1:] = owner[order][1:] != owner[order][:-1]
    best = order[first]
    n_req = len(required)
    out_credit = np.zeros(n_req)
    out_source = np.full(n_req, -1, np.int64)
    out_relation = np.full(n_req, -1, np.int64)
    out_level = np.zeros(n_req, np.int64)
    out_years = np.zeros(n_req)
    hit = best[credit[best] > 0]
    o = owner[hit]
    out_credit[o], out_source[o], out_relation[o] = credit[hit], k[hit], relation[hit]
    out_level[o], out_years[o] = level[hit], years[hit]
    return SkillExplanations(
        pair=pair,
        required=required,
        essential=needs.skill_essential[pos],
        credit=out_credit,
        source=out_source,
        relation=out_relation,
        level=out_level,
        years=out_years,
    )
