import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.enums import Role
from projects.services import project_submit
from regions.models import Province, Region
from taxonomy.models import Sector
from tests.factories import UserFactory
from tests.files import PDF

PDF_BYTES = PDF


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Each test writes its documents into its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf(name: str = "plan.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def sector_a(taxonomy):
    return Sector.objects.get(code="A")


@pytest.fixture
def province_a(region_a):
    return Province.objects.get(code="05.091")  # Béni Mellal


@pytest.fixture
def project_data(region_a, province_a, sector_a):
    """Valid data for a project in Béni Mellal (region 05)."""
    return {
        "title": "Huilerie moderne à Béni Mellal",
        "description": "Trituration d'olives en deux phases, 12 tonnes par jour.",
        "language": "fr",
        "sector": sector_a,
        "region": region_a,
        "province": province_a,
        "commune": province_a.communes.order_by("code").first(),
        "amount_mad": 2_400_000,
        "share_from_abroad_pct": 70,
        "own_contribution_mad": 800_000,
        "expected_jobs": 12,
        "stage": "business_plan",
        "support_needed": ["land", "financing"],
    }


@pytest.fixture
def project(member, official_a, project_data):
    """A submitted project of `member` in region A, assigned to `official_a`."""
    return project_submit(investor=member, data=project_data)


@pytest.fixture
def partner_user_b(db):
    from tests.factories import PartnerOrganisationFactory

    return UserFactory(role=Role.PARTNER, partner=PartnerOrganisationFactory())


@pytest.fixture
def other_member(db):
    return UserFactory(role=Role.MEMBER)


@pytest.fixture
def region_souss(territories):
    return Region.objects.get(code="09")
