import time
from pathlib import Path

import pytest
from django.core.management import call_command

from taxonomy.enums import ConceptType
from taxonomy.esco import esco_read
from taxonomy.models import Skill, SkillLabel, SkillRelation
from taxonomy.services import taxonomy_sync

pytestmark = pytest.mark.django_db

ESCO_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "esco" / "v1.0"

HEADER = "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,description\n"


def _write_pack(directory: Path, files: dict[str, str]) -> Path:
    directory.mkdir(exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


@pytest.fixture
def small_pack(tmp_path):
    return _write_pack(
        tmp_path / "pack",
        {
            "skills_en-us.csv": HEADER
            + "KnowledgeSkillCompetence,urn:t:1,skill/competence,cross-sector,bookkeeping,"
            + '"book keeping\nledgers",Keep books.\n'
            + "KnowledgeSkillCompetence,urn:t:2,knowledge,sector-specific,hydrology,,Water science.\n",
            "skills_fr.csv": HEADER
            + "KnowledgeSkillCompetence,urn:t:1,skill/competence,cross-sector,tenue de livres,,Tenir les livres.\n"
            + "KnowledgeSkillCompetence,urn:t:2,knowledge,sector-specific,hydrologie,,Science de l'eau.\n",
            "skillGroups_en.csv": "conceptType,conceptUri,preferredLabel,altLabels,description\n"
            + "SkillGroup,urn:t:g,finance skills,,\n",
            "broaderRelationsSkillPillar.csv": "conceptType,conceptUri,broaderType,broaderUri\n"
            + "KnowledgeSkillCompetence,urn:t:1,SkillGroup,urn:t:g\n",
        },
    )


def test_esco_read_maps_en_us_to_en(small_pack):
    concepts, relations, languages = esco_read(small_pack)
    assert languages == {"en", "fr"}
    by_uri = {concept.uri: concept for concept in concepts}
    assert by_uri["urn:t:1"].labels == {"en": "bookkeeping", "fr": "tenue de livres"}
    assert by_uri["urn:t:1"].alt_labels["en"] == ["book keeping", "ledgers"]
    assert by_uri["urn:t:g"].concept_type == ConceptType.GROUP
    assert relations == {("urn:t:1", "urn:t:g")}


def test_import_small_pack_twice_changes_nothing(small_pack):
    call_command("import_esco", str(small_pack), "--no-progress")
    snapshot = list(SkillLabel.objects.filter(skill__uri__startswith="urn:t:").values_list("pk", "text"))
    concepts, relations, languages = esco_read(small_pack)
    result = taxonomy_sync(concepts=concepts, relations=relations, languages=languages)
    assert not result.changed
    assert result.unchanged == 3
    assert list(SkillLabel.objects.filter(skill__uri__startswith="urn:t:").values_list("pk", "text")) == snapshot
    assert Skill.objects.get(uri="urn:t:1").broader.get().uri == "urn:t:g"


def test_a_new_language_pack_keeps_the_other_languages(small_pack, tmp_path):
    call_command("import_esco", str(small_pack), "--no-progress")
    arabic = _write_pack(
        tmp_path / "ar",
        {"skills_ar.csv": HEADER + "KnowledgeSkillCompetence,urn:t:1,skill/competence,cross-sector,مسك الدفاتر,,\n"},
    )
    call_command("import_esco", str(arabic), "--no-progress")
    skill = Skill.objects.get(uri="urn:t:1")
    assert skill.labels == {"ar": "مسك الدفاتر", "en": "bookkeeping", "fr": "tenue de livres"}
    assert skill.skill_type == "skill/competence"


def test_import_rejects_a_folder_without_a_pack(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Not an ESCO CSV pack"):
        call_command("import_esco", str(tmp_path), "--no-progress")
    assert not Skill.objects.filter(uri__startswith="urn:t:").exists()


@pytest.mark.skipif(not ESCO_DIR.exists(), reason="the shared ESCO v1.0 pack is not beside this checkout")
def test_import_full_esco_v1(taxonomy, capsys):
    started = time.monotonic()
    call_command("import_esco", str(ESCO_DIR), "--no-progress")
    first_run_seconds = time.monotonic() - started
    esco = Skill.objects.filter(uri__startswith="http://data.europa.eu/esco/skill/", concept_type=ConceptType.SKILL)
    assert esco.count() == 13485
    assert SkillRelation.objects.filter(narrower__uri__startswith="http://data.europa.eu/esco/").count() >= 7161
    assert set(SkillLabel.objects.values_list("language", flat=True).distinct()) == {"ar", "en", "es", "fr"}
    labels_before = SkillLabel.objects.count()

    call_command("import_esco", str(ESCO_DIR), "--no-progress")
    second = capsys.readouterr().out.strip().splitlines()[-1]
    assert "0 created, 0 updated" in second
    assert "labels +0 -0; relations +0" in second
    assert SkillLabel.objects.count() == labels_before
    print(f"ESCO v1.0 first import: {first_run_seconds:.1f} s")  # shown with -s; not asserted (see bench/)
