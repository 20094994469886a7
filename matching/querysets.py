from django.db import models

from diaspora.models import ExpertProfile
from projects.enums import OpportunityStatus, ProjectStatus

from .enums import MatchStatus


class MatchQuerySet(models.QuerySet):
    def ranked(self):
        return self.filter(rank__isnull=False)

    def with_current_consent(self):
        """Only experts who consent to matching *now*: a withdrawal hides their rows at once,
        before the task that deletes them has run."""

        return self.filter(profile__in=ExpertProfile.objects.matchable())

    def invited(self):
        return self.filter(status=MatchStatus.INVITED)


class InvestmentMatchQuerySet(models.QuerySet):
    def with_current_consent(self):
        """Only projects whose investor consents to matching *now* (read-time check: a withdrawal
        hides the suggestions before the task that deletes them has run); open projects and
        published opportunities only."""

        return self.filter(
            project__investor__expert_profile__in=ExpertProfile.objects.matchable(),
            opportunity__status=OpportunityStatus.PUBLISHED,
        ).exclude(project__status__in=[ProjectStatus.LAUNCHED, ProjectStatus.DROPPED])
