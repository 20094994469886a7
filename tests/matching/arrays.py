"""Turn the plain dict records the reference reads into the engine's arrays."""

import numpy as np
from scipy import sparse

from matching.engine import Experts, Needs, pair_key


def experts_arrays(experts, n_skills, n_languages):
    rows, cols, levels, years = [], [], [], []
    for i, expert in enumerate(experts):
        for skill, (level, yrs) in sorted(expert["skills"].items()):
            rows.append(i)
            cols.append(skill)
            levels.append(level)
            years.append(yrs)
    shape = (len(experts), n_skills)
    skills = sparse.csr_matrix((np.array(levels, np.int8), (rows, cols)), shape=shape)
    skills.sort_indices()
    years_m = sparse.csr_matrix((np.array(years, np.float64), skills.indices.copy(), skills.indptr.copy()), shape=shape)
    # rows/cols were sorted per row already, so the data order matches the structure
    years_m.data[:] = np.array(years, np.float64)
    languages = np.zeros((len(experts), n_languages), np.int8)
    for i, expert in enumerate(experts):
        for lang, level in expert["languages"].items():
            languages[i, lang] = level
    return Experts(
        ids=np.array([x["id"] for x in experts], np.int64),
        skills=skills,
        years=years_m,
        languages=languages,
        formats=np.array([x["formats"] for x in experts], np.uint16),
        work_mode=np.array([x["work_mode"] for x in experts], np.uint8),
        region=np.array([x["region"] for x in experts], np.int32),
        province=np.array([x["province"] for x in experts], np.int32),
        availability=np.array([x["availability"] for x in experts], np.float64),
        eligible=np.array([x["eligible"] for x in experts], bool),
    )


def needs_arrays(needs):
    skill_counts = [len(n["skills"]) for n in needs]
    lang_counts = [len(n["languages"]) for n in needs]
    flat = [s for n in needs for s in n["skills"]]
    langs = [lang for n in needs for lang in n["languages"]]
    declined = [pair_key(need_id, expert_id) for n in needs for need_id, expert_id in n["declined"]]
    return Needs(
        ids=np.array([n["id"] for n in needs], np.int64),
        skill_ptr=np.concatenate(([0], np.cumsum(skill_counts))).astype(np.int64),
        skill_idx=np.array([s[0] for s in flat], np.int64),
        skill_weight=np.array([s[1] for s in flat], np.float64),
        skill_essential=np.array([s[2] for s in flat], bool),
        skill_min_level=np.array([s[3] for s in flat], np.int8),
        lang_ptr=np.concatenate(([0], np.cumsum(lang_counts))).astype(np.int64),
        lang_idx=np.array([lang[0] for lang in langs], np.int64),
        lang_min=np.array([lang[1] for lang in langs], np.int8),
        format_bits=np.array([n["format_bits"] for n in needs], np.uint16),
        work_mode=np.array([n["work_mode"] for n in needs], np.uint8),
        region=np.array([n["region"] for n in needs], np.int32),
        province=np.array([n["province"] for n in needs], np.int32),
        declined=np.array(sorted(int(k) for k in declined), np.int64),
    )
