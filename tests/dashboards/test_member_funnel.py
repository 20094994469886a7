"""The funnel's member-side steps (issue 18): suggested → viewed → "I can help" / "not for me"."""

import pytest
from django.utils import timezone

from dashboards import figures, selectors
from dashboards.selectors import Filters
from matching import member_services
from matching.models import Match
from tests.dashboards.conftest import build_region

pytestmark = pytest.mark.django_db


def test_funnel_counts_the_members_answers(region_a):
    build_region(region_a, experts=4, needs=1)
    suggested = list(Match.objects.filter(need__region=region_a, status="suggested").select_related("profile__user"))
    Match.objects.filter(pk__in=[m.pk for m in suggested]).update(seen_at=timezone.now())
    helper, refuser = suggested[0], suggested[1]
    member_services.suggestion_help(user=helper.profile.user, need_id=helper.need_id)
    member_services.suggestion_set_aside(user=refuser.profile.user, need_id=refuser.need_id, reason="dates")

    data = selectors.region_dashboard(region=region_a, filters=Filters())
    funnel = data["funnel"]
    chart = figures.chart_by_slug(figures.region_charts(data), "funnel")

    assert (funnel["viewed"], funnel["helped"], funnel["set_aside"]) == (len(suggested), 1, 1)
    assert [row[1] for row in chart.rows[:4]] == [funnel["suggested"], len(suggested), 1, 1]
    assert chart.rows[3][2] == 1 / len(suggested)  # "not for me" converts from "viewed"
