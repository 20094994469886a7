"""`make demo` must keep working: the whole demo data set loads from its data files, through the
services, twice, on PostgreSQL too; the files give every translated text in ar, fr and en; a
malformed file stops the demo with a clear message before anything is written."""

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.utils import timezone

from diaspora.models import ConsentRecord, ExpertProfile
from matching.models import Match
from portal.demo.files import TEXT, DemoDataError, check, load
from portal.management.commands.demo_seed import check_files, demo_modules
from portal.models import OutboxMessage, User
from projects.models import Opportunity, OpportunityInterest, Project, ProjectTransition
from regions.models import ConsultationMeeting, Need, Roadmap, Study

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
DATA_FILES = sorted(ROOT.glob("*/demo/*.yaml"))
LANGUAGES = {"ar", "fr", "en"}


def _counts():
    return (
        User.objects.count(),
        ExpertProfile.objects.count(),
        Roadmap.objects.filter(status="adopted").count(),
        Need.objects.count(),
        Project.objects.count(),
        Match.objects.exclude(status="suggested").count(),
        OpportunityInterest.objects.count(),
        ConsentRecord.objects.count(),
    )


def _queued(task_name: str) -> list[dict]:
    return list(OutboxMessage.objects.filter(task_name=task_name).values_list("kwargs", flat=True))


def test_demo_seed_loads_every_app_through_the_services_and_is_idempotent(territories, taxonomy, capsys):
    call_command("demo_seed")
    first = _counts()
    output = capsys.readouterr().out
    call_command("demo_seed")
    assert _counts() == first
    _users, experts, roadmaps, needs, projects, worked_matches, _interests, _consents = first
    assert (experts, roadmaps, needs, projects) == (301, 3, 48, 36)
    assert worked_matches > 0
    assert Match.objects.filter(profile__user__email="member@demo.jusur.ma", status="invited").count() == 1
    for app in ("portal", "regions", "diaspora", "projects", "matching", "dashboards"):
        assert f"demo: {app}" in output

    # The profile services queued matching's re-scoring of every demo expert, and the need
    # services that of every published need (the tests' transaction never commits, so they wait).
    profile_ids = set(ExpertProfile.objects.values_list("pk", flat=True))
    assert {kwargs["profile_id"] for kwargs in _queued("matching.expert_changed")} == profile_ids
    published = set(Need.objects.exclude(status="draft").values_list("pk", flat=True))
    assert {kwargs["need_id"] for kwargs in _queued("matching.need_changed")} == published
    assert len(_queued("matching.investment_rematch")) == 1  # projects and opportunities (debounced)
    # Every project's history went through project_submit / project_transition, back in time.
    assert ProjectTransition.objects.filter(from_status="").count() == 36
    assert ProjectTransition.objects.exclude(from_status="").count() > 36
    assert ProjectTransition.objects.filter(at__lt=timezone.now() - timedelta(days=19)).count() >= 36

    # What readers see is there in every portal language (the data files' translations).

    for model in (Need, ConsultationMeeting, Study, Opportunity):
        rows = list(model.objects.all())
        assert rows, model
        for row in rows:
            own = row.text_language if hasattr(row, "text_language") else row.language
            assert set(row.translations) == LANGUAGES - {own}, (model.__name__, row.pk)
            for entry in row.translations.values():
                assert set(entry) == set(model.TRANSLATED_FIELDS), (model.__name__, row.pk)
    need = Need.objects.get(title="Expert en irrigation goutte-à-goutte pour les coopératives du Tadla")
    assert need.translations["en"]["title"] == "Drip irrigation expert for the Tadla cooperatives"


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_every_text_of_a_data_file_is_given_in_ar_fr_and_en(path):
    """Whatever the schema says: a mapping that gives a text in one portal language gives it in all three."""

    def walk(value, where):
        if isinstance(value, dict):
            languages = set(value) & LANGUAGES
            if languages and all(isinstance(value[code], str) for code in languages):
                assert set(value) == LANGUAGES, f"{where}: has {sorted(value)}"
                assert all(value[code].strip() for code in LANGUAGES), f"{where}: an empty text"
            for key, item in value.items():
                walk(item, f"{where}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{where}[{index}]")

    walk(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)


def test_every_data_file_is_read_by_its_loader_and_fits_its_schema():
    declared = {
        module.loader.DATA / name
        for _app, module in demo_modules()
        if hasattr(module, "loader")
        for name in module.loader.FILES
    }
    assert declared == set(DATA_FILES)  # no file left unread, none missing
    assert check_files() == len(DATA_FILES)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: {ar: عنوان, fr: Titre}\n", "demo.yaml.title: expected a text in ar, fr, en (got ar, fr)"),
        ("title: {ar: عنوان, fr: Titre, en: '  '}\n", "demo.yaml.title.en: the en text is empty"),
        ("title: {ar: عنوان, fr: Titre, en: Title}\nyear: '2021'\n", "demo.yaml.year: expected int (got str '2021')"),
        ("title: {ar: عنوان, fr: Titre, en: Title}\nyear: 2021\nauthor: X\n", "demo.yaml: unknown field 'author'"),
        ("year: 2021\n", "demo.yaml: missing field 'title'"),
        ("title: [unclosed\n", "demo.yaml: not valid YAML"),
        ("- a list\n", "demo.yaml: expected a mapping (got list)"),
    ],
)
def test_a_malformed_file_is_refused_with_where_and_what(tmp_path, text, message):
    path = tmp_path / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DemoDataError) as error:
        load(path, {"title": TEXT, "year": int})
    assert str(error.value).startswith(message)


def test_a_text_schema_refuses_extra_languages():
    with pytest.raises(DemoDataError, match="got ar, de, en, fr"):
        check({"ar": "ا", "fr": "a", "en": "a", "de": "a"}, TEXT, "x")


def test_demo_seed_with_a_malformed_file_writes_nothing(territories, taxonomy, tmp_path, monkeypatch):
    from regions.demo import loader

    for path in loader.DATA.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    pilots = tmp_path / "pilots.yaml"
    text = pilots.read_text(encoding="utf-8")
    english = "      en: Drip irrigation expert for the Tadla cooperatives\n"
    assert english in text
    pilots.write_text(text.replace(english, "", 1), encoding="utf-8")
    monkeypatch.setattr(loader, "DATA", tmp_path)

    with pytest.raises(CommandError) as error:
        call_command("demo_seed")

    assert str(error.value) == (
        "demo data: pilots.yaml.regions[0].needs[0].title: expected a text in ar, fr, en (got ar, fr)"
    )
    assert not User.objects.exists()
    with pytest.raises(CommandError):
        call_command("demo_seed", "--check")
