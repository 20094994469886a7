"""The need form refuses what used to break later: a start date whose computed end overflows
(a 500), and a title with a line break (every notification e-mail about the need failed)."""

import html

import pytest

from regions.models import Need
from tests.regions.test_manage_pages import _need_post
from tests.regions.test_manage_pages import skill as skill

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"start_date": "9999-12-31"}, "start_date", "Enter a date between 1900 and 2200."),
        ({"start_date": "0001-01-01"}, "start_date", "Enter a date between 1900 and 2200."),
        ({"response_deadline": "9999-12-31"}, "response_deadline", "Enter a date between 1900 and 2200."),
        (
            {"title": "Formateur\r\nen œnotourisme"},
            "title",
            "This field must fit on one line: remove line breaks, tabs and other control characters.",
        ),
    ],
)
def test_need_form_refuses_out_of_range_dates_and_line_breaks(
    client_for,
    official_a,
    roadmap_a,
    skill,
    overrides,
    field,
    message,
):
    response = client_for(official_a).post(
        f"/en/regions/05/roadmaps/{roadmap_a.version}/needs/new/", _need_post(roadmap_a, skill, **overrides)
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert message in html.unescape(response.content.decode())
    assert not Need.objects.exists()
