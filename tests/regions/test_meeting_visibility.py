"""Issue 14, item 5: one rule for what is public about a consultation meeting, used by its page,
its calendar file and the API. Minutes, the online link and participants are for the region's
officials (and national staff) only."""

import pytest

from regions.api.serializers import MeetingSerializer
from regions.models import MeetingParticipant
from regions.selectors import MEETING_PUBLIC_FIELDS, MEETING_RESTRICTED_FIELDS

from .factories import MeetingFactory

pytestmark = pytest.mark.django_db

LINK = "https://visio.example.org/comite-05-secret"
MINUTES = "Procès-verbal : M. Alaoui s'est opposé au projet de la commune."


@pytest.fixture
def meeting(region_a):
    meeting = MeetingFactory(region=region_a, online_url=LINK, minutes=MINUTES)
    MeetingParticipant.objects.create(meeting=meeting, name="Salma Amrani", organisation="Association Atlas")
    return meeting


def _page(client, meeting):
    return client.get(f"/fr/regions/05/meetings/{meeting.pk}/").content.decode()


@pytest.mark.parametrize("persona", [None, "member", "official_b", "partner_user"])
def test_public_page_hides_minutes_link_and_participants(client, client_for, request, meeting, persona):
    browser = client_for(request.getfixturevalue(persona)) if persona else client

    html = _page(browser, meeting)

    assert meeting.title in html and meeting.agenda in html  # the public part is there
    assert LINK not in html
    assert "Procès-verbal" not in html
    assert "Salma Amrani" not in html


@pytest.mark.parametrize("persona", ["official_a", "coordinator"])
def test_officials_of_the_region_see_everything_on_their_page(client_for, request, meeting, persona):
    html = _page(client_for(request.getfixturevalue(persona)), meeting)

    assert LINK in html
    assert "Procès-verbal" in html
    assert "Salma Amrani" in html


def test_calendar_file_follows_the_same_rule(client, client_for, official_a, meeting):
    meeting.place = ""
    meeting.save(update_fields=["place"])
    url = f"/fr/regions/05/meetings/{meeting.pk}/meeting.ics"

    public = client.get(url)
    official = client_for(official_a).get(url)

    assert LINK not in public.content.decode()
    assert "LOCATION:" not in public.content.decode()
    assert f"LOCATION:{LINK}" in official.content.decode().replace("\r\n ", "")
    assert "no-store" in official["Cache-Control"]


def test_api_serializes_exactly_the_public_fields(meeting):
    data = MeetingSerializer(meeting).data

    assert list(MeetingSerializer.Meta.fields) == list(MEETING_PUBLIC_FIELDS)
    assert set(data) == set(MEETING_PUBLIC_FIELDS)
    assert not set(data) & set(MEETING_RESTRICTED_FIELDS)
    assert LINK not in str(data) and "Procès-verbal" not in str(data)
