from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from portal import permissions

from .models import APIToken


def api_token_list(*, user) -> QuerySet[APIToken]:
    """The tokens `user` may manage: their own organisation's (partner users); none otherwise.
    Staff manage every token in the admin."""
    if not permissions.is_partner(user):
        return APIToken.objects.none()
    return APIToken.objects.filter(partner_id=user.partner_id).select_related("region", "created_by")


def api_token_get(*, user, pk: int) -> APIToken:
    return get_object_or_404(api_token_list(user=user), pk=pk)


def engagements_run_by(*, partner_id: int | None):
    """Engagements a partner runs: those of needs that came from its accepted proposals."""
    from matching.models import Engagement

    from .models import NeedProposal

    if partner_id is None:
        return Engagement.objects.none()
    needs = NeedProposal.objects.filter(partner_id=partner_id, need__isnull=False).values("need_id")
    return Engagement.objects.filter(match__need_id__in=needs)


def need_proposal_list(*, user) -> QuerySet:
    """Proposals waiting for a decision in the regions `user` acts for (officials, coordinators)."""
    from .enums import ProposalStatus
    from .models import NeedProposal

    if not (permissions.is_official(user) or permissions.is_national(user)):
        return NeedProposal.objects.none()
    proposals = NeedProposal.objects.filter(status=ProposalStatus.SUBMITTED)
    region_ids = permissions.region_ids_for(user)
    if region_ids is not None:
        proposals = proposals.filter(region_id__in=region_ids)
    return proposals.select_related("partner", "region", "sector").order_by("-created_at", "-pk")


def need_proposal_get(*, user, pk: int):
    return get_object_or_404(need_proposal_list(user=user), pk=pk)
