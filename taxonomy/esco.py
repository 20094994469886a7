"""Reader for an official ESCO CSV pack (v1.x): any language files present are taken.

Files used: skills_<lang>.csv, skillGroups_<lang>.csv, broaderRelationsSkillPillar.csv.
`en-us` counts as `en`. Labels © European Union, ESCO (Decision 2011/833/EU).
"""

import csv
import re
from pathlib import Path

from .enums import ConceptType
from .services import Concept

_FILE = re.compile(r"^(skills|skillGroups)_([A-Za-z-]+)\.csv$")


def _language(code: str) -> str:
    return code.split("-")[0].lower()


def esco_read(directory: Path) -> tuple[list[Concept], set[tuple[str, str]], set[str]]:
    """Return the concepts, (narrower, broader) relations and languages found in `directory`."""
    concepts: dict[str, Concept] = {}
    languages: set[str] = set()
    files = sorted(p for p in directory.iterdir() if _FILE.match(p.name))
    if not files:
        raise FileNotFoundError(f"No skills_<lang>.csv or skillGroups_<lang>.csv in {directory}")
    for path in files:
        kind, code = _FILE.match(path.name).groups()
        lang = _language(code)
        languages.add(lang)
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                uri = row["conceptUri"]
                concept = concepts.get(uri)
                if concept is None:
                    is_group = kind == "skillGroups" or row.get("conceptType") == "SkillGroup"
                    concept = concepts[uri] = Concept(
                        uri=uri,
                        concept_type=ConceptType.GROUP if is_group else ConceptType.SKILL,
                        skill_type=row.get("skillType", "") or ("group" if is_group else ""),
                        reuse_level=row.get("reuseLevel", ""),
                    )
                concept.labels[lang] = row["preferredLabel"].strip()
                concept.alt_labels[lang] = [alt.strip() for alt in row.get("altLabels", "").split("\n") if alt.strip()]
                if row.get("description"):
                    concept.descriptions[lang] = row["description"].strip()
    relations = set()
    relations_path = directory / "broaderRelationsSkillPillar.csv"
    if relations_path.exists():
        with relations_path.open(encoding="utf-8-sig", newline="") as handle:
            relations = {(row["conceptUri"], row["broaderUri"]) for row in csv.DictReader(handle)}
    return list(concepts.values()), relations, languages
