"""`make demo` must keep working: the whole demo data set loads, twice, on PostgreSQL too."""

import pytest
from django.core.management import call_command

from diaspora.models import ExpertProfile
from matching.models import Match
from portal.models import User
from projects.models import Project
from regions.models import Need, Roadmap

pytestmark = pytest.mark.django_db


def _counts():
    return (
        User.objects.count(),
        ExpertProfile.objects.count(),
        Roadmap.objects.filter(status="adopted").count(),
        Need.objects.count(),
        Project.objects.count(),
        Match.objects.exclude(status="suggested").count(),
    )


def test_demo_seed_loads_every_app_and_is_idempotent(territories, taxonomy, capsys):
    call_command("demo_seed")
    first = _counts()
    output = capsys.readouterr().out
    call_command("demo_seed")
    assert _counts() == first
    _users, experts, roadmaps, needs, projects, worked_matches = first
    assert (experts, roadmaps, needs, projects) == (301, 3, 48, 36)
    assert worked_matches > 0
    assert Match.objects.filter(profile__user__email="member@demo.jusur.ma", status="invited").count() == 1
    for app in ("portal", "regions", "diaspora", "projects", "matching", "dashboards"):
        assert f"demo: {app}" in output
