"""The official's work queue (dashboards.work_queue): what waits in their regions, scoped per
persona, with a constant number of queries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from matching.enums import MatchStatus
from matching.models import Match
from partners.models import NeedProposal
from portal.enums import Role
from regions.models import Region
from tests.diaspora.factories import ConsentingExpertFactory
from tests.factories import PartnerOrganisationFactory, UserFactory
from tests.regions.factories import MeetingFactory, NeedFactory, RoadmapAxisFactory, RoadmapFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_after():
    """These tests open pages in several languages; a request leaves its language active in the
    thread, and later tests reverse() URLs in the default language."""
    yield
    translation.deactivate()


URL = "/fr/dashboards/queue/"


def _fill(region: Region, *, rows: int = 1, tag: str = "") -> None:
    """`rows` items of each block in `region`, titled with `tag` so a page can be searched."""
    axis = RoadmapAxisFactory(roadmap=RoadmapFactory(region=region))
    today = timezone.localdate()
    partner = PartnerOrganisationFactory()
    month_start = timezone.localtime().replace(day=1, hour=9, minute=0, second=0, microsecond=0)
    for k in range(rows):
        late = NeedFactory(axis=axis, title=f"{tag} late {k}", response_deadline=today - dt.timedelta(days=2))
        Match.objects.create(need=late, profile=ConsentingExpertFactory(), rank=1, status=MatchStatus.INVITED)
        helped = NeedFactory(axis=axis, title=f"{tag} helped {k}")
        Match.objects.create(need=helped, profile=ConsentingExpertFactory(), rank=None, interested=True)
        NeedProposal.objects.create(
            partner=partner, region=region, title=f"{tag} proposal {k}", description="…", format="training",
            work_mode="remote",
        )  # fmt: skip
        NeedFactory(axis=axis, title=f"{tag} expiring {k}", start_date=today - dt.timedelta(days=10), duration_days=15)
        MeetingFactory(
            region=region,
            title=f"{tag} meeting {k}",
            status="planned",
            starts_at=month_start + dt.timedelta(days=1, minutes=k),
        )


def test_the_official_sees_each_block_with_a_link_to_act(region_a, official_a, client_for):
    _fill(region_a, tag="A")

    response = client_for(official_a).get(URL)
    page = response.content.decode()
    queue = response.context["queue"]

    assert response.status_code == 200
    assert [n.title for n in queue.late_invitations] == ["A late 0"]
    assert queue.late_invitations[0].waiting == 1
    assert [n.title for n in queue.helpers] == ["A helped 0"]
    assert [p.title for p in queue.proposals] == ["A proposal 0"]
    assert [n.title for n in queue.expiring] == ["A expiring 0"]
    assert [m.title for m in queue.meetings] == ["A meeting 0"]
    late, helped = queue.late_invitations[0], queue.helpers[0]
    assert reverse("matching:candidate_list", kwargs={"need_id": late.pk}) in page
    assert reverse("matching:candidate_list", kwargs={"need_id": helped.pk}) in page
    assert reverse("partners:needproposal_list") in page
    assert reverse("regions:need_edit", kwargs={"code": "05", "pk": queue.expiring[0].pk}) in page
    assert queue.meetings[0].get_absolute_url() in page
    assert reverse("dashboards:region", kwargs={"code": "05"}) in page
    assert "Nothing waits for you today." not in page


def test_an_official_of_another_region_sees_nothing_of_this_one(region_a, region_b, official_b, client_for):
    _fill(region_a, tag="A")

    response = client_for(official_b).get(URL)
    queue = response.context["queue"]

    assert response.status_code == 200
    assert (queue.late_invitations, queue.helpers, queue.proposals, queue.expiring, queue.meetings) == (
        [],
        [],
        [],
        [],
        [],
    )
    assert [r.code for r in queue.regions] == ["02"]
    assert "A late" not in response.content.decode()


def test_an_empty_queue_says_so_in_every_block(region_a, official_a, client_for):
    page = client_for(official_a).get(URL).content.decode()

    assert 'id="queue-clear"' in page
    assert page.count('class="empty"') == 6


def test_an_answered_invitation_or_a_withdrawn_consent_leaves_the_queue(region_a, official_a, client_for):
    _fill(region_a, tag="A")
    late = Match.objects.get(need__title="A late 0")
    helper = Match.objects.get(need__title="A helped 0")
    Match.objects.filter(pk=late.pk).update(status=MatchStatus.ACCEPTED)
    type(helper.profile).objects.filter(pk=helper.profile_id).update(consent_matching=False)

    queue = client_for(official_a).get(URL).context["queue"]

    assert queue.late_invitations == []
    assert queue.helpers == []


@pytest.mark.parametrize("persona", ["member", "coordinator", "partner_user"])
def test_the_work_queue_is_refused_to_others(request, region_a, client_for, persona):
    assert client_for(request.getfixturevalue(persona)).get(URL).status_code == 403


def test_the_work_queue_asks_the_anonymous_visitor_to_sign_in(client):
    assert client.get(URL).status_code == 302


def test_an_official_without_region_is_refused(client_for, region_a):
    assert client_for(UserFactory(role=Role.OFFICIAL)).get(URL).status_code == 403


@pytest.mark.parametrize("rows", [1, 8])
def test_work_queue_constant_queries(region_a, region_b, official_a, client_for, django_assert_num_queries, rows):
    _fill(region_a, rows=rows, tag="A")
    _fill(region_b, rows=1, tag="B")
    client = client_for(official_a)

    # session, user, the user's region ids, their regions, late invitations, helpers,
    # partner proposals, expiring needs, this month's meetings
    with django_assert_num_queries(9):
        response = client.get(URL)

    queue = response.context["queue"]
    assert len(queue.late_invitations) == len(queue.helpers) == len(queue.proposals) == rows
    assert len(queue.expiring) == len(queue.meetings) == rows


@pytest.mark.parametrize(
    ("language", "title", "empty"),
    [
        ("ar", "قائمة المهام", "لا اجتماع هذا الشهر."),
        ("fr", "File de travail", "Aucune réunion ce mois-ci."),
        ("en", "Work queue", "No meeting this month."),
    ],
)
def test_the_work_queue_speaks_each_language(region_a, official_a, client_for, language, title, empty):
    page = client_for(official_a).get(f"/{language}/dashboards/queue/").content.decode()

    assert f"<h1>{title}</h1>" in page
    assert empty in page
