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
