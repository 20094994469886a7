from django.db import models

from .enums import MatchStatus


class MatchQuerySet(models.QuerySet):
    def ranked(self):
        return self.filter(rank__isnull=False)

    def with_current_consent(self):
        """Only experts who consent to matching *now*: a withdrawal hides their rows at once,
        before the task that deletes them has run."""
        from diaspora.models import ExpertProfile

        return self.filter(profile__in=ExpertProfile.objects.matchable())

    def invited(self):
        return self.filter(status=MatchStatus.INVITED)

    def for_need(self, need):
        return self.filter(need=need)
