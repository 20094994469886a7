import factory
from django.utils import timezone

from diaspora.models import Association, ExpertFormat, ExpertLanguage, ExpertProfile, ExpertSkill
from portal.enums import EngagementFormat, Language, LanguageLevel, SkillLevel, WorkMode
from tests.factories import UserFactory


class ExpertProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertProfile

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Expert {n}")
    country_of_residence = "FR"
    city = "Lyon"
    phone = "+33 6 12 34 56 78"
    work_mode = WorkMode.BOTH
    hours_per_month = 8
    confirmed_at = factory.LazyFunction(timezone.now)


class ConsentingExpertFactory(ExpertProfileFactory):
    consent_matching = True
    consent_contact = True
    consent_partner_sharing = True
    consent_statistics = True


class ExpertSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertSkill

    profile = factory.SubFactory(ExpertProfileFactory)
    level = SkillLevel.ADVANCED
    years = 5


class ExpertLanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertLanguage

    profile = factory.SubFactory(ExpertProfileFactory)
    language = Language.FR
    level = LanguageLevel.C2


class ExpertFormatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertFormat

    profile = factory.SubFactory(ExpertProfileFactory)
    format = EngagementFormat.REMOTE_ADVICE


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association

    name = factory.Sequence(lambda n: f"Association {n}")
    country = "BE"
    city = "Bruxelles"
