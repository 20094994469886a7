"""Every figure the national view shares with a regional dashboard, computed both ways on
generated data for each of the 12 regions (territories from ../shared/data via the loaders):
the two views must agree, in the page, the CSV and the XLSX alike."""

import csv
import io
import random

import pytest
from django.core.cache import cache
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from dashboards import selectors
from dashboards.selectors import Filters
from diaspora.models import ExpertProfile
from matching.enums import EngagementStatus, MatchStatus
from matching.models import Engagement, Match
from regions.enums import MeetingStatus, NeedStatus
from regions.models import Region
from tests.diaspora.factories import ConsentingExpertFactory, ExpertProfileFactory
from tests.projects.factories import ProjectFactory
from tests.regions.factories import MeetingFactory, NeedFactory, RoadmapAxisFactory

pytestmark = pytest.mark.django_db

# national_overview() key → how the regional dashboard computes the same figure.
SHARED = {
    "experts": lambda d: d["diaspora"]["total"],
    "open_needs": lambda d: d["roadmap"]["open"],
    "coverage": lambda d: d["roadmap"]["coverage"],
    "invited": lambda d: d["funnel"]["invited"],
    "accepted": lambda d: d["funnel"]["accepted"],
    "completed": lambda d: d["funnel"]["completed"],
    "projects": lambda d: d["investment"]["projects"],
    "amount": lambda d: d["investment"]["amount"],
    "meetings_held": lambda d: d["consultation"]["held"],
}
NEED_STATUSES = [NeedStatus.OPEN, NeedStatus.OPEN, NeedStatus.OPEN, NeedStatus.DRAFT, NeedStatus.CLOSED]
MATCH_STATUSES = [MatchStatus.SUGGESTED, MatchStatus.ACCEPTED, MatchStatus.DECLINED, MatchStatus.WITHDRAWN]


def generate(rng: random.Random) -> None:
    """Random rows in every region: consenting and withdrawn experts, needs in every status,
    0–5 candidates per need with scores around the threshold and every match status, projects
    and meetings. Several open needs per region, so a region's candidates together reach the
    coverage threshold even when no single need does (the bug the national view had)."""
    regions = list(Region.objects.order_by("code"))
    pool = [ConsentingExpertFactory(origin_region=rng.choice(regions)) for _k in range(14)]
    pool += [ExpertProfileFactory(origin_region=rng.choice(regions), consent_matching=False) for _k in range(2)]
    for region in regions:
        for _k in range(rng.randint(0, 3)):
            ConsentingExpertFactory(origin_region=region)
        if rng.random() < 0.5:
            ExpertProfileFactory(origin_region=region, consent_statistics=False)
        axis = RoadmapAxisFactory(roadmap__region=region)
        for _k in range(rng.randint(0, 5)):
            need = NeedFactory(axis=axis, status=rng.choice(NEED_STATUSES))
            for rank, profile in enumerate(rng.sample(pool, rng.randint(0, 5)), start=1):
                status = rng.choice(MATCH_STATUSES)
                match = Match.objects.create(need=need, profile=profile, score=rng.choice([0.3, 0.55, 0.8]), rank=rank)
                if status != MatchStatus.SUGGESTED:
                    Match.objects.filter(pk=match.pk).update(status=status, invited_at=need.created_at)
                if status == MatchStatus.ACCEPTED and rng.random() < 0.5:
                    Engagement.objects.create(match=match, status=EngagementStatus.COMPLETED)
        for _k in range(rng.randint(0, 2)):
            ProjectFactory(region=region, amount_mad=rng.randrange(400_000, 9_000_000, 1000))
        for _k in range(rng.randint(0, 2)):
            MeetingFactory(region=region, status=rng.choice([MeetingStatus.HELD, MeetingStatus.PLANNED]))
    assert ExpertProfile.objects.exists()


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rng=st.randoms(use_true_random=False))
def test_national_view_agrees_with_every_regional_dashboard(territories, taxonomy, rng):
    # Each example in its own savepoint, rolled back, with a cold cache: examples never mix.
    with transaction.atomic():
        cache.clear()
        generate(rng)

        national = {row["code"]: row for row in selectors.national_overview()["regions"]}

        assert len(national) == 12
        for region in Region.objects.order_by("code"):
            regional = selectors.region_dashboard(region=region, filters=Filters())
            for key, figure in SHARED.items():
                assert national[region.code][key] == figure(regional), (region.code, key)
        transaction.set_rollback(True)


def test_national_coverage_counts_each_need_not_the_region(territories, taxonomy):
    """Three open needs with one good candidate each: none is covered (3 are needed per need),
    although the region has three good candidates in all."""
    region = Region.objects.get(code="05")
    axis = RoadmapAxisFactory(roadmap__region=region)
    for _k in range(3):
        need = NeedFactory(axis=axis)
        Match.objects.create(need=need, profile=ConsentingExpertFactory(), score=0.9, rank=1)
    need = NeedFactory(axis=axis)
    for rank in range(1, 4):
        Match.objects.create(need=need, profile=ConsentingExpertFactory(), score=0.9, rank=rank)

    row = next(r for r in selectors.national_overview()["regions"] if r["code"] == "05")
    regional = selectors.region_dashboard(region=region, filters=Filters())

    assert (row["open_needs"], row["coverage"]) == (4, 0.25)
    assert regional["roadmap"]["coverage"] == 0.25


def test_national_downloads_carry_the_regional_coverage(client_for, coordinator, territories, taxonomy):
    generate(random.Random(7))
    client = client_for(coordinator)
    expected = {}
    for region in Region.objects.order_by("code"):
        coverage = selectors.region_dashboard(region=region, filters=Filters())["roadmap"]["coverage"]
        expected[region.code] = coverage

    rows = list(csv.reader(io.StringIO(client.get("/en/dashboards/national/export.csv").content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(client.get("/en/dashboards/national/export.xlsx").content)).active

    for line, (code, coverage) in enumerate(expected.items(), start=1):
        csv_cell, xlsx_cell = rows[line][3], sheet.cell(row=line + 1, column=4).value
        if coverage is None:
            assert csv_cell == "" and xlsx_cell is None
        else:
            assert csv_cell == f"{coverage * 100:.1f}", code  # at most 5 open needs: no tie to round
            assert xlsx_cell == pytest.approx(coverage, abs=0.0005), code
    assert rows[0][3] == "Coverage (%)"


def test_funnel_counts_ignore_matches_of_draft_needs_in_both_views(territories, taxonomy):
    region = Region.objects.get(code="09")
    draft = NeedFactory(axis=RoadmapAxisFactory(roadmap__region=region), status=NeedStatus.DRAFT)
    match = Match.objects.create(need=draft, profile=ConsentingExpertFactory(), score=0.9, rank=1)
    Match.objects.filter(pk=match.pk).update(status=MatchStatus.ACCEPTED, invited_at=draft.created_at)

    row = next(r for r in selectors.national_overview()["regions"] if r["code"] == "09")
    regional = selectors.region_dashboard(region=region, filters=Filters())

    assert row["invited"] == regional["funnel"]["invited"] == 0
    assert row["accepted"] == regional["funnel"]["accepted"] == 0
