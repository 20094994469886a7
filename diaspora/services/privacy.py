"""Privacy: erasing an account, leaving only anonymous traces."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from portal.privacy import personal_data_erase

from ..erasure_log import erasure_log_append
from ..models import AnonymousExpertTrace, ErasureLog, ExpertProfile
from .profiles import matching_changed


def _month(value: date | datetime) -> date:
    return date(value.year, value.month, 1)


def account_erase(*, user) -> ErasureLog:
    """Erase `user` and every registered piece of personal data (portal/privacy.py), the CV
    file included; keep an anonymous trace if they consented to statistics; log the ids so
    that a restored backup can be erased again (`manage.py replay_erasures`)."""
    with transaction.atomic():
        profile = ExpertProfile.objects.filter(user=user).prefetch_related("sectors").first()
        if profile is not None:
            if profile.consent_statistics:
                AnonymousExpertTrace.objects.create(
                    country_of_residence=profile.country_of_residence,
                    origin_region_id=profile.origin_region_id,
                    registered_month=_month(profile.created_at),
                    erased_month=_month(timezone.now()),
                    sector_codes=",".join(sorted(s.code for s in profile.sectors.all())),
                )
            # Matching must forget the profile too; its task finds the profile gone.
            matching_changed(profile)
        log = ErasureLog.objects.create(
            user_id=user.pk, profile_id=profile.pk if profile else None, user_joined_at=user.date_joined
        )
        # Outside the database too, once committed: a restored backup must not forget it.
        entry = {
            "user_id": log.user_id,
            "profile_id": log.profile_id,
            "user_joined_at": log.user_joined_at,
            "erased_at": log.erased_at,
        }
        # robust: a failed append must not turn a done erasure into an error page; the replay
        # appends what is missing (diaspora/erasure_log.py).
        transaction.on_commit(lambda: erasure_log_append(entries=[entry]), robust=True)
        personal_data_erase(user)
    return log
