"""The weekly e-mail of new needs that match a subscriber."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from portal.notifications import notification_send
from regions.models import Need

from .. import engine, loaders
from ..conf import matching_conf
from ..models import DigestSubscription, NeedSetAside
from .contact import _url

# --- weekly digest -----------------------------------------------------------------------

DIGEST_SIZE = 10


def digest_subscribe(*, user, subscribed: bool) -> bool:
    """Opt in to (or out of) the weekly e-mail of new matching needs."""

    if subscribed:
        DigestSubscription.objects.get_or_create(user=user)
    else:
        DigestSubscription.objects.filter(user=user).delete()
    return subscribed


def weekly_digest_send(*, now=None) -> int:
    """E-mail each subscriber the open needs published this past week that match them, best
    first, naming the region, the place and the skills; nothing when nothing matches.
    A subscriber already served in the last six days is skipped (safe to re-run)."""

    now = now or timezone.now()
    conf = matching_conf()
    hierarchy = loaders.hierarchy_load(conf)
    recent = list(Need.objects.open().filter(published_at__gte=now - timedelta(days=7)).values_list("pk", flat=True))
    needs = loaders.needs_load(recent)
    sent = 0
    subscribers = DigestSubscription.objects.filter(
        Q(last_sent_at__isnull=True) | Q(last_sent_at__lt=now - timedelta(days=6))
    ).select_related("user__expert_profile")
    for subscription in subscribers:
        profile = getattr(subscription.user, "expert_profile", None)
        if profile is None or not len(needs):
            continue
        experts = loaders.experts_load(profile_ids=[profile.pk], n_skills=hierarchy.n_skills)
        if not len(experts):
            continue  # no longer matchable: no digest
        rows, scores, _parts = engine.match_expert(experts, 0, needs, hierarchy, conf)
        if not len(rows):
            continue
        order = engine.rank_order(int(profile.pk), needs.ids[rows], scores)
        # A need the member said "not for me" to is not announced again.
        set_aside = set(NeedSetAside.objects.filter(profile=profile).values_list("need_id", flat=True))
        chosen = [pk for pk in needs.ids[rows[order]].tolist() if pk not in set_aside][:DIGEST_SIZE]
        if not chosen:
            continue
        if DigestSubscription.objects.filter(pk=subscription.pk, last_sent_at=subscription.last_sent_at).update(
            last_sent_at=now
        ):
            notification_send(
                user=subscription.user,
                kind="matching.weekly_digest",
                template="matching/emails/weekly_digest",
                refs={"needs": [Need(pk=pk) for pk in chosen]},  # rendered by the worker, in rank order
                url=_url("regions:need_list", subscription.user),
            )
            sent += 1
    return sent
