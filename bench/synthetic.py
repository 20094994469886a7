"""A synthetic national-scale data set for the benchmarks (matching, dashboards).

Skills come from the full ESCO v1.0 taxonomy (../shared/data/esco/v1.0, overridable with
JUSUR_ESCO_DIR) with a skewed, Zipf-like popularity: a few skills are very common, most are
rare. Everything is drawn from one seeded generator, so a run is reproducible.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ESCO_DIR = Path(os.environ.get("JUSUR_ESCO_DIR", Path(__file__).resolve().parents[2] / "shared/data/esco/v1.0"))
N_REGIONS = 12
PROVINCES_PER_REGION = 6
LANGUAGES = ["ar", "ary", "zgh", "fr", "en", "es", "it", "nl", "de", "pt"]
N_FORMATS = 7
ZIPF_EXPONENT = 0.9


@dataclass
class Taxonomy:
    uris: list[str]  # row -> concept URI
    labels: list[str]  # English preferred label
    is_group: np.ndarray  # bool
    narrower: np.ndarray  # rows of broader links
    broader: np.ndarray


@dataclass
class DataSet:
    """Experts and needs as flat arrays; skill columns are rows of `taxonomy`."""

    taxonomy: Taxonomy
    # experts
    expert_skill_ptr: np.ndarray
    expert_skill: np.ndarray
    expert_level: np.ndarray
    expert_years: np.ndarray
    expert_languages: np.ndarray  # (E × len(LANGUAGES)) int8 CEFR level, 0 none
    expert_formats: np.ndarray  # uint16 bit mask
    expert_work_mode: np.ndarray  # 1 remote, 2 on site, 3 both
    expert_region: np.ndarray  # 0..11
    expert_province: np.ndarray  # 0..71
    expert_availability: np.ndarray  # 0..1
    expert_eligible: np.ndarray  # consents and not stale
    # needs
    need_skill_ptr: np.ndarray
    need_skill: np.ndarray
    need_weight: np.ndarray
    need_essential: np.ndarray
    need_min_level: np.ndarray
    need_lang_ptr: np.ndarray
    need_lang: np.ndarray
    need_lang_min: np.ndarray
    need_format: np.ndarray  # format index 0..6
    need_work_mode: np.ndarray
    need_region: np.ndarray
    need_province: np.ndarray

    @property
    def n_experts(self) -> int:
        return len(self.expert_formats)

    @property
    def n_needs(self) -> int:
        return len(self.need_format)


def esco_taxonomy(directory: Path = ESCO_DIR) -> Taxonomy:
    uris, labels, groups = [], [], []
    for name, is_group in (("skills_en-us.csv", False), ("skillGroups_en.csv", True)):
        with open(directory / name, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                uris.append(row["conceptUri"])
                labels.append(row["preferredLabel"])
                groups.append(is_group)
    index = {uri: i for i, uri in enumerate(uris)}
    narrower, broader = [], []
    with open(directory / "broaderRelationsSkillPillar.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            child, parent = index.get(row["conceptUri"]), index.get(row["broaderUri"])
            if child is not None and parent is not None:
                narrower.append(child)
                broader.append(parent)
    return Taxonomy(uris, labels, np.array(groups), np.array(narrower, np.int64), np.array(broader, np.int64))


def _ragged_unique_draw(rng, counts, probabilities, population):
    """`counts[i]` distinct draws per owner from `population` with `probabilities`."""
    total = int(counts.sum())
    # over-draw, then drop duplicates within an owner (keeps the skew, mostly keeps the count)
    owner = np.repeat(np.arange(len(counts)), counts)
    draws = rng.choice(population, size=total, p=probabilities)
    key = owner.astype(np.int64) * (int(population.max()) + 1) + draws
    _, first = np.unique(key, return_index=True)
    first.sort()
    owner, draws = owner[first], draws[first]
    ptr = np.zeros(len(counts) + 1, np.int64)
    np.cumsum(np.bincount(owner, minlength=len(counts)), out=ptr[1:])
    return ptr, draws.astype(np.int64)


def _need_draws(rng, n_needs: int, popularity, population):
    """The needs' skills, languages and regions, drawn in one fixed order (a seed's data set
    depends on it), for generate() and streamed_needs() alike."""
    need_counts = np.clip(rng.poisson(5, n_needs), 1, 12)
    need_ptr, need_skills = _ragged_unique_draw(rng, need_counts, popularity, population)
    lang_counts = rng.choice([0, 1, 2], size=n_needs, p=[0.3, 0.5, 0.2])
    lang_ptr = np.zeros(n_needs + 1, np.int64)
    np.cumsum(lang_counts, out=lang_ptr[1:])
    # distinct languages per need, weighted (Efraimidis–Spirakis keys u^(1/w), largest first)
    options, weights = np.array([0, 3, 4]), np.array([0.4, 0.45, 0.15])
    order = np.argsort(-(rng.random((n_needs, len(options))) ** (1 / weights)), axis=1)
    need_lang = options[order][np.arange(len(options))[None, :] < lang_counts[:, None]]
    need_region = rng.integers(0, N_REGIONS, n_needs)
    return need_ptr, need_skills, lang_ptr, need_lang, need_region


def _need_columns(rng, n_needs: int, need_ptr, need_skills, lang_ptr, need_lang, need_region) -> dict:
    """The needs' columns past their skills and languages, drawn in one fixed order (the data
    set of a seed depends on it), for generate() and streamed_needs() alike."""
    return {
        "need_skill_ptr": need_ptr,
        "need_skill": need_skills,
        "need_weight": rng.choice([1.0, 2.0, 3.0], size=len(need_skills), p=[0.5, 0.3, 0.2]),
        "need_essential": rng.random(len(need_skills)) < 0.3,
        "need_min_level": rng.choice([1, 2, 3, 4], size=len(need_skills), p=[0.2, 0.4, 0.3, 0.1]).astype(np.int8),
        "need_lang_ptr": lang_ptr,
        "need_lang": need_lang,
        "need_lang_min": rng.choice([3, 4, 5], size=len(need_lang)).astype(np.int8),
        "need_format": rng.integers(0, N_FORMATS, n_needs),
        "need_work_mode": rng.choice([1, 2, 3], size=n_needs, p=[0.4, 0.3, 0.3]).astype(np.uint8),
        "need_region": need_region,
        "need_province": np.where(
            rng.random(n_needs) < 0.6,
            need_region * PROVINCES_PER_REGION + rng.integers(0, PROVINCES_PER_REGION, n_needs),
            -1,
        ),
    }


def generate(n_experts: int, n_needs: int, seed: int = 2026, taxonomy: Taxonomy | None = None) -> DataSet:
    rng = np.random.default_rng(seed)
    taxonomy = taxonomy or esco_taxonomy()
    population = np.flatnonzero(~taxonomy.is_group)
    ranks = rng.permutation(len(population)) + 1
    popularity = 1.0 / ranks**ZIPF_EXPONENT
    popularity /= popularity.sum()

    counts = np.clip(rng.poisson(8, n_experts), 1, 25)
    skill_ptr, skills = _ragged_unique_draw(rng, counts, popularity, population)
    levels = rng.choice([1, 2, 3, 4], size=len(skills), p=[0.15, 0.35, 0.35, 0.15]).astype(np.int8)
    years = np.round(rng.gamma(2.0, 3.0, size=len(skills)), 1)

    languages = np.zeros((n_experts, len(LANGUAGES)), np.int8)
    languages[:, 0] = rng.choice([0, 3, 5, 7], size=n_experts, p=[0.1, 0.2, 0.3, 0.4])  # Arabic
    languages[:, 1] = rng.choice([0, 7], size=n_experts, p=[0.3, 0.7])  # Darija
    languages[:, 2] = rng.choice([0, 7], size=n_experts, p=[0.75, 0.25])  # Tamazight
    languages[:, 3] = rng.choice([0, 3, 4, 5, 6], size=n_experts, p=[0.1, 0.15, 0.25, 0.3, 0.2])  # French
    languages[:, 4] = rng.choice([0, 2, 3, 4, 5], size=n_experts, p=[0.3, 0.2, 0.2, 0.2, 0.1])  # English
    host = rng.choice(np.arange(5, len(LANGUAGES)), size=n_experts)
    languages[np.arange(n_experts), host] = rng.choice([4, 5, 6, 7], size=n_experts)

    n_formats = rng.integers(1, 5, n_experts)
    formats = np.zeros(n_experts, np.uint16)
    for _ in range(4):
        bit = rng.integers(0, N_FORMATS, n_experts)
        formats |= np.where(n_formats > 0, (1 << bit), 0).astype(np.uint16)
        n_formats -= 1
    region_weights = rng.dirichlet(np.ones(N_REGIONS) * 2)
    expert_region = rng.choice(N_REGIONS, size=n_experts, p=region_weights)
    expert_province = expert_region * PROVINCES_PER_REGION + rng.integers(0, PROVINCES_PER_REGION, n_experts)

    need_ptr, need_skills, lang_ptr, need_lang, need_region = _need_draws(rng, n_needs, popularity, population)
    return DataSet(
        taxonomy=taxonomy,
        expert_skill_ptr=skill_ptr,
        expert_skill=skills,
        expert_level=levels,
        expert_years=years,
        expert_languages=languages,
        expert_formats=formats,
        expert_work_mode=rng.choice([1, 2, 3], size=n_experts, p=[0.35, 0.1, 0.55]).astype(np.uint8),
        expert_region=expert_region,
        expert_province=expert_province,
        expert_availability=rng.choice([0.25, 0.5, 0.75, 1.0], size=n_experts),
        expert_eligible=rng.random(n_experts) < 0.85,
        **_need_columns(rng, n_needs, need_ptr, need_skills, lang_ptr, need_lang, need_region),
    )


# --- streaming: national sizes (1,000,000 experts) without Python lists of rows ------------------

EXPERT_CHUNK = 100_000


@dataclass
class ExpertChunk:
    """Experts start..start+len-1 of a streamed data set (same distributions as `generate`)."""

    start: int
    skill_owner: np.ndarray  # expert index (global) per skill entry, ascending
    skill: np.ndarray  # taxonomy row
    level: np.ndarray
    years: np.ndarray  # whole years
    languages: np.ndarray  # (n × len(LANGUAGES)) int8
    formats: np.ndarray  # uint16 bit mask
    work_mode: np.ndarray
    region: np.ndarray
    province: np.ndarray
    hours: np.ndarray  # availability × 20, as the profile stores it
    eligible: np.ndarray


def _popularity(rng, taxonomy: Taxonomy) -> tuple[np.ndarray, np.ndarray]:
    population = np.flatnonzero(~taxonomy.is_group)
    ranks = rng.permutation(len(population)) + 1
    popularity = 1.0 / ranks**ZIPF_EXPONENT
    return population, popularity / popularity.sum()


def expert_chunks(n_experts: int, seed: int = 2026, taxonomy: Taxonomy | None = None, chunk: int = EXPERT_CHUNK):
    """Yield the experts of a national data set `chunk` at a time, so that memory stays bounded
    at any size: one seeded stream (popularity first, then chunk after chunk), reproducible for
    a given (seed, chunk). Same distributions as `generate`, not the same draws."""
    taxonomy = taxonomy or esco_taxonomy()
    rng = np.random.default_rng([seed, 1])
    population, popularity = _popularity(rng, taxonomy)
    region_weights = rng.dirichlet(np.ones(N_REGIONS) * 2)
    for start in range(0, n_experts, chunk):
        n = min(chunk, n_experts - start)
        counts = np.clip(rng.poisson(8, n), 1, 25)
        ptr, skills = _ragged_unique_draw(rng, counts, popularity, population)
        languages = np.zeros((n, len(LANGUAGES)), np.int8)
        languages[:, 0] = rng.choice([0, 3, 5, 7], size=n, p=[0.1, 0.2, 0.3, 0.4])
        languages[:, 1] = rng.choice([0, 7], size=n, p=[0.3, 0.7])
        languages[:, 2] = rng.choice([0, 7], size=n, p=[0.75, 0.25])
        languages[:, 3] = rng.choice([0, 3, 4, 5, 6], size=n, p=[0.1, 0.15, 0.25, 0.3, 0.2])
        languages[:, 4] = rng.choice([0, 2, 3, 4, 5], size=n, p=[0.3, 0.2, 0.2, 0.2, 0.1])
        host = rng.choice(np.arange(5, len(LANGUAGES)), size=n)
        languages[np.arange(n), host] = rng.choice([4, 5, 6, 7], size=n)
        n_formats = rng.integers(1, 5, n)
        formats = np.zeros(n, np.uint16)
        for _ in range(4):
            bit = rng.integers(0, N_FORMATS, n)
            formats |= np.where(n_formats > 0, (1 << bit), 0).astype(np.uint16)
            n_formats -= 1
        region = rng.choice(N_REGIONS, size=n, p=region_weights)
        yield ExpertChunk(
            start=start,
            skill_owner=start + np.repeat(np.arange(n), np.diff(ptr)),
            skill=skills,
            level=rng.choice([1, 2, 3, 4], size=len(skills), p=[0.15, 0.35, 0.35, 0.15]).astype(np.int8),
            years=np.round(rng.gamma(2.0, 3.0, size=len(skills))).astype(np.int64),
            languages=languages,
            formats=formats,
            work_mode=rng.choice([1, 2, 3], size=n, p=[0.35, 0.1, 0.55]).astype(np.uint8),
            region=region,
            province=region * PROVINCES_PER_REGION + rng.integers(0, PROVINCES_PER_REGION, n),
            hours=(rng.choice([0.25, 0.5, 0.75, 1.0], size=n) * 20).astype(np.int64),
            eligible=rng.random(n) < 0.85,
        )


def streamed_needs(n_needs: int, seed: int = 2026, taxonomy: Taxonomy | None = None) -> DataSet:
    """The needs of a streamed data set (a few thousand: plain arrays), over the same popularity
    as `expert_chunks` and with the distributions of `generate`; the expert fields are empty."""
    taxonomy = taxonomy or esco_taxonomy()
    population, popularity = _popularity(np.random.default_rng([seed, 1]), taxonomy)
    rng = np.random.default_rng([seed, 2])
    need_ptr, need_skills, lang_ptr, need_lang, need_region = _need_draws(rng, n_needs, popularity, population)
    empty = np.zeros(0, np.int64)
    return DataSet(
        taxonomy=taxonomy,
        expert_skill_ptr=np.zeros(1, np.int64),
        expert_skill=empty,
        expert_level=empty,
        expert_years=empty,
        expert_languages=np.zeros((0, len(LANGUAGES)), np.int8),
        expert_formats=np.zeros(0, np.uint16),
        expert_work_mode=empty,
        expert_region=empty,
        expert_province=empty,
        expert_availability=empty,
        expert_eligible=np.zeros(0, bool),
        **_need_columns(rng, n_needs, need_ptr, need_skills, lang_ptr, need_lang, need_region),
    )


def binary_copy(rows: np.ndarray) -> bytes:
    """PostgreSQL's binary COPY stream of an (n × k) integer array as k int4 columns: built by
    NumPy in one pass (a text COPY formats every value through Python)."""
    n, k = rows.shape
    dtype = np.dtype([("fields", ">i2")] + [(f"{p}{i}", ">i4") for i in range(k) for p in ("len", "val")])
    out = np.empty(n, dtype)
    out["fields"] = k
    for i in range(k):
        out[f"len{i}"] = 4
        out[f"val{i}"] = rows[:, i]
    return b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8 + out.tobytes() + b"\xff\xff"
