"""A partner's API reads of experts are logged, attributed to the partner organisation."""

import pytest

from diaspora.enums import ReadCategory, ReadPurpose
from diaspora.models import ProfileRead
from partners.enums import Scope
from partners.pseudonyms import expert_public_id
from portal.enums import Role
from tests.diaspora.factories import ConsentingExpertFactory, ExpertProfileFactory

URL = "/api/v1/experts/"


@pytest.fixture
def reader(token_client):
    return token_client([Scope.READ_EXPERTS])


def _rows():
    return list(
        ProfileRead.objects.order_by("profile_id", "pk").values_list(
            "profile_id", "reader_id", "reader_role", "partner_id", "category", "purpose", "need_id"
        )
    )


def test_list_logs_each_expert_read_by_the_partner_organisation(reader, partner_user, region_a):
    first, second = ConsentingExpertFactory(origin_region=region_a), ConsentingExpertFactory(origin_region=region_a)
    ExpertProfileFactory(origin_region=region_a)  # not shared with partners: neither shown nor logged

    response = reader.get(URL)

    assert response.status_code == 200
    assert len(response.json()["results"]) == 2
    org = partner_user.partner_id
    assert _rows() == [
        (first.pk, None, Role.PARTNER, org, ReadCategory.PSEUDONYMISED, ReadPurpose.PARTNER_API, None),
        (second.pk, None, Role.PARTNER, org, ReadCategory.PSEUDONYMISED, ReadPurpose.PARTNER_API, None),
    ]


def test_detail_logs_one_read(reader, partner_user, region_a):
    profile = ConsentingExpertFactory(origin_region=region_a)

    assert reader.get(f"{URL}{expert_public_id(profile.pk)}/").status_code == 200

    assert _rows() == [
        (profile.pk, None, Role.PARTNER, partner_user.partner_id, ReadCategory.PSEUDONYMISED, "partner_api", None)
    ]


def test_refused_reads_log_nothing(token_client, reader, region_a):
    private = ExpertProfileFactory(origin_region=region_a)
    shared = ConsentingExpertFactory(origin_region=region_a)

    assert reader.get(f"{URL}{expert_public_id(private.pk)}/").status_code == 404
    assert reader.get(f"{URL}0123456789abcdef/").status_code == 404
    assert token_client([Scope.READ_PUBLIC]).get(URL).status_code == 403
    assert token_client([Scope.READ_PUBLIC]).get(f"{URL}{expert_public_id(shared.pk)}/").status_code == 403
    assert ProfileRead.objects.count() == 0
