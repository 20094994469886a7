"""Consent: a member's choices per purpose, recorded with the text version they agreed to."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ..disclosure import forget_published_places
from ..enums import CONSENT_COLUMNS, CONSENT_TEXT_VERSION, ConsentPurpose
from ..models import ConsentRecord, ExpertProfile
from .profiles import matching_changed


def consent_set(*, profile: ExpertProfile, choices: dict[str, bool], text_version: str = CONSENT_TEXT_VERSION) -> int:
    """Record each purpose whose state changes (a ConsentRecord) and update the profile's
    current-state column. Withdrawing MATCHING removes the profile from matching at once: the
    queryset filters on the column, and the matching task drops its pending suggestions.
    Returns the number of records written."""
    now = timezone.now()
    written = 0
    with transaction.atomic():
        profile = ExpertProfile.objects.select_for_update().get(pk=profile.pk)
        updates = {}
        for purpose in ConsentPurpose:
            if purpose.value not in choices:
                continue
            granted = bool(choices[purpose.value])
            column = CONSENT_COLUMNS[purpose]
            if getattr(profile, column) == granted:
                continue
            ConsentRecord.objects.create(
                user_id=profile.user_id, purpose=purpose, granted=granted, text_version=text_version, recorded_at=now
            )
            updates[column] = granted
            written += 1
        if updates:
            ExpertProfile.objects.filter(pk=profile.pk).update(**updates, updated_at=now)
            matching_changed(profile)
            if CONSENT_COLUMNS[ConsentPurpose.PARTNER_SHARING] in updates:
                # The places partners may see are counted over those who share: recount now.
                transaction.on_commit(forget_published_places)
    return written
