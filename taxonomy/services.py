"""Writes to the taxonomy: one sync routine shared by the ESCO importer and the starter set."""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from tqdm import tqdm

from portal.pagecache import GLOBAL, public_pages_changed

from .enums import ConceptType, LabelKind
from .models import Sector, Skill, SkillLabel, SkillRelation
from .text import fold

DATA_DIR = Path(__file__).resolve().parent / "data"
BATCH = 2000

# PostgreSQL text-search configuration per label language; others use 'simple'.
TS_CONFIGS = {
    "ar": "arabic",
    "fr": "french",
    "en": "english",
    "es": "spanish",
    "it": "italian",
    "nl": "dutch",
    "de": "german",
    "pt": "portuguese",
}


@dataclass
class Concept:
    uri: str
    concept_type: str
    skill_type: str = ""
    reuse_level: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    alt_labels: dict[str, list[str]] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    sector_code: str = ""


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    labels_added: int = 0
    labels_removed: int = 0
    relations_added: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.labels_added or self.labels_removed or self.relations_added)


def _merge(old: dict, new: dict, languages: set[str]) -> dict:
    """Languages this source covers are replaced; the others (e.g. Arabic labels) are kept."""
    merged = {lang: text for lang, text in old.items() if lang not in languages}
    merged.update({lang: text for lang, text in new.items() if text})
    return dict(sorted(merged.items()))


@transaction.atomic
def taxonomy_sync(
    *, concepts: list[Concept], relations: set[tuple[str, str]], languages: set[str], progress: bool = False
) -> SyncResult:
    """Create or update concepts, their labels in `languages`, and broader relations.

    Idempotent: what is already as given is not written, so a second run reports no change.
    Relations are only added (a concept may have broader links from several sources).
    """
    result = SyncResult()
    sector_ids = dict(Sector.objects.values_list("code", "pk"))
    existing = {
        skill.uri: skill
        for skill in Skill.objects.only(
            "pk", "uri", "concept_type", "skill_type", "reuse_level", "labels", "descriptions", "sector_id"
        )
    }
    to_create, to_update = [], []
    for concept in tqdm(concepts, desc="concepts", disable=not progress):
        skill = existing.get(concept.uri)
        new_skill = skill is None
        if new_skill:
            skill = Skill(uri=concept.uri)
        wanted = {
            "concept_type": concept.concept_type,
            "skill_type": concept.skill_type or skill.skill_type,
            "reuse_level": concept.reuse_level or skill.reuse_level,
            "labels": _merge(skill.labels or {}, concept.labels, languages),
            "descriptions": _merge(skill.descriptions or {}, concept.descriptions, languages),
            "sector_id": sector_ids.get(concept.sector_code, skill.sector_id),
        }
        if not new_skill and all(getattr(skill, name) == value for name, value in wanted.items()):
            result.unchanged += 1
            continue
        for name, value in wanted.items():
            setattr(skill, name, value)
        (to_create if new_skill else to_update).append(skill)
    Skill.objects.bulk_create(to_create, batch_size=BATCH)
    Skill.objects.bulk_update(
        to_update,
        ["concept_type", "skill_type", "reuse_level", "labels", "descriptions", "sector_id"],
        batch_size=BATCH,
    )
    result.created, result.updated = len(to_create), len(to_update)

    skill_ids = dict(Skill.objects.values_list("uri", "pk"))
    _sync_labels(concepts, skill_ids, languages, result, progress)
    wanted_links = {(skill_ids[n], skill_ids[b]) for n, b in relations if n in skill_ids and b in skill_ids}
    present = set(SkillRelation.objects.values_list("narrower_id", "broader_id"))
    new_links = [SkillRelation(narrower_id=n, broader_id=b) for n, b in sorted(wanted_links - present)]
    SkillRelation.objects.bulk_create(new_links, batch_size=BATCH)
    result.relations_added = len(new_links)
    skill_labels_index()
    public_pages_changed(GLOBAL)  # bulk writes send no signal; the public pages show these labels
    return result


def _sync_labels(concepts, skill_ids, languages, result: SyncResult, progress: bool) -> None:
    wanted = set()
    for concept in concepts:
        pk = skill_ids[concept.uri]
        for lang, text in concept.labels.items():
            if text and lang in languages:
                wanted.add((pk, lang, LabelKind.PREFERRED.value, text[:500]))
        for lang, alts in concept.alt_labels.items():
            if lang in languages:
                wanted.update((pk, lang, LabelKind.ALTERNATIVE.value, alt[:500]) for alt in alts if alt)
    source_pks = {skill_ids[c.uri] for c in concepts}
    present = {}
    for row in SkillLabel.objects.filter(language__in=languages).values_list(
        "pk", "skill_id", "language", "kind", "text"
    ):
        if row[1] in source_pks:
            present[row[1:]] = row[0]
    stale = [pk for key, pk in present.items() if key not in wanted]
    for start in range(0, len(stale), BATCH):
        SkillLabel.objects.filter(pk__in=stale[start : start + BATCH]).delete()
    new = sorted(wanted - present.keys())
    for start in tqdm(range(0, len(new), BATCH), desc="labels", disable=not progress):
        SkillLabel.objects.bulk_create(
            [
                SkillLabel(skill_id=pk, language=lang, kind=kind, text=text, folded=fold(text)[:500])
                for pk, lang, kind, text in new[start : start + BATCH]
            ]
        )
    result.labels_added, result.labels_removed = len(new), len(stale)


def skill_labels_index() -> None:
    """Fill the full-text vectors of labels that have none (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return
    cases = " ".join(f"WHEN '{lang}' THEN '{config}'::regconfig" for lang, config in TS_CONFIGS.items())
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE taxonomy_skilllabel SET search_vector = to_tsvector("  # noqa: S608 - constants only
            f"CASE language {cases} ELSE 'simple'::regconfig END, folded) WHERE search_vector IS NULL"
        )


# --- the starter taxonomy and the sectors, written by the team -----------------------------


def sectors_load(path: Path = DATA_DIR / "sectors.csv") -> int:
    """Upsert the ISIC Rev.4 / NACE Rev.2 sections A–U with their ar/fr/en names."""
    with path.open(encoding="utf-8") as handle:
        rows = [
            Sector(code=row["code"], name_en=row["label_en"], name_fr=row["label_fr"], name_ar=row["label_ar"])
            for row in csv.DictReader(handle)
        ]
    Sector.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["code"], update_fields=["name_en", "name_fr", "name_ar"]
    )
    public_pages_changed(GLOBAL)  # a bulk write sends no signal; the need pages show sector names
    return len(rows)


def starter_uri(key: str, is_group: bool) -> str:
    return f"urn:jusur:{'group' if is_group else 'skill'}:{key}"


def starter_taxonomy_load(path: Path = DATA_DIR / "starter_skills.csv") -> SyncResult:
    """Load the team's starter taxonomy (about 300 skills in ar/fr/en, ESCO URIs where they exist)."""
    sectors_load()
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    uris = {}
    concepts = []
    for row in rows:
        is_group = row["skill_type"] == "group"
        uri = row["esco_uri"] or starter_uri(row["key"], is_group)
        uris[row["key"]] = uri
        concepts.append(
            Concept(
                uri=uri,
                concept_type=ConceptType.GROUP if is_group else ConceptType.SKILL,
                skill_type=row["skill_type"],
                labels={lang: row[f"label_{lang}"] for lang in ("ar", "fr", "en")},
                alt_labels={
                    lang: [alt.strip() for alt in row[f"alt_{lang}"].split("|") if alt.strip()]
                    for lang in ("ar", "fr", "en")
                },
                sector_code=row["sector"],
            )
        )
    relations = {(uris[row["key"]], uris[row["parent_key"]]) for row in rows if row["parent_key"]}
    return taxonomy_sync(concepts=concepts, relations=relations, languages={"ar", "fr", "en"})
