import factory
from django.utils import timezone

from portal.enums import Role
from projects.enums import EligibilityField, EligibilityOperator, OpportunityStatus, ProjectStage, ProjectStatus
from projects.models import EligibilityRule, Opportunity, Project, ProjectTransition, SupportProgramme
from regions.models import Province, Region
from taxonomy.models import Sector
from tests.factories import UserFactory


def _province(region_code: str) -> Province:
    return Province.objects.filter(region__code=region_code).order_by("code").first()


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    region = factory.LazyFunction(lambda: Region.objects.get(code="05"))
    province = factory.LazyAttribute(lambda o: _province(o.region.code))
    sector = factory.LazyFunction(lambda: Sector.objects.get(code="A"))
    title = factory.Sequence(lambda n: f"Unité de valorisation d'olives {n}")
    description = "Une unité de trituration moderne près des oliveraies."
    investment_min_mad = 500_000
    investment_max_mad = 5_000_000
    expected_jobs = 25
    contact_office = "Centre régional d'investissement"
    status = OpportunityStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project row as the pipeline would leave it at `status` (with its first history step)."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    investor = factory.SubFactory(UserFactory, role=Role.MEMBER)
    title = factory.Sequence(lambda n: f"Ferme d'élevage caprin {n}")
    description = "Élevage de chèvres et fromagerie artisanale."
    sector = factory.LazyFunction(lambda: Sector.objects.get(code="A"))
    region = factory.LazyFunction(lambda: Region.objects.get(code="05"))
    province = factory.LazyAttribute(lambda o: _province(o.region.code))
    amount_mad = 1_200_000
    share_from_abroad_pct = 60
    own_contribution_mad = 400_000
    expected_jobs = 8
    stage = ProjectStage.BUSINESS_PLAN
    status = ProjectStatus.SUBMITTED

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        if create:
            ProjectTransition.objects.create(project=self, from_status="", to_status=self.status, by=self.investor)


class SupportProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportProgramme

    name_fr = factory.Sequence(lambda n: f"Programme d'appui {n}")
    name_ar = factory.Sequence(lambda n: f"برنامج الدعم {n}")
    name_en = factory.Sequence(lambda n: f"Support programme {n}")


class EligibilityRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EligibilityRule

    programme = factory.SubFactory(SupportProgrammeFactory)
    field = EligibilityField.AMOUNT
    operator = EligibilityOperator.GTE
    threshold = "500000"
