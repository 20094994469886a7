from datetime import timedelta

from django.db import models
from django.utils import timezone

# A profile not re-confirmed for this long is stale: excluded from matching until confirmed.
STALE_AFTER = timedelta(days=365)
# The reminder goes out this long before a profile becomes stale.
REMIND_BEFORE = timedelta(days=30)


def stale_cutoff(now=None):
    return (now or timezone.now()) - STALE_AFTER


class ExpertProfileQuerySet(models.QuerySet):
    """Consent state is read from the profile's `consent_*` columns, which the consent service
    keeps in step with the append-only ConsentRecord log (one UPDATE per grant/withdrawal),
    so that every matching query filters on plain booleans instead of a latest-per-purpose join.
    """

    def active(self):
        return self.filter(is_active=True, user__is_active=True)

    def fresh(self, now=None):
        # Freshness is computed from confirmed_at, not from the `is_stale` flag, so that a
        # profile is excluded the moment it turns twelve months old, even before the sweep runs.
        return self.filter(confirmed_at__gte=stale_cutoff(now))

    def matchable(self):
        return self.active().fresh().filter(consent_matching=True)

    def contactable(self):
        return self.matchable().filter(consent_contact=True)

    def for_partners(self):
        return self.active().filter(consent_partner_sharing=True)

    def counted_in_statistics(self):
        return self.filter(consent_statistics=True)


class AssociationQuerySet(models.QuerySet):
    def listed(self):
        return self.filter(is_active=True)
