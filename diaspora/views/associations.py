"""Associations: list, detail, joining and leaving."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..models import Association
from ..selectors import association_get, association_list


def association_list_view(request):
    associations = list(association_list())
    mine = set()
    if request.user.is_authenticated:
        mine = set(request.user.association_memberships.values_list("association_id", flat=True))
    return render(request, "diaspora/association_list.html", {"associations": associations, "mine": mine})


def association_detail(request, pk):
    try:
        association = association_get(pk=pk)
    except Association.DoesNotExist as exc:
        raise Http404 from exc
    is_member = request.user.is_authenticated and association.memberships.filter(user=request.user).exists()
    return render(request, "diaspora/association_detail.html", {"association": association, "is_member": is_member})


@login_required
@require_POST
def association_membership(request, pk, action):
    try:
        association = Association.objects.listed().get(pk=pk)
    except Association.DoesNotExist as exc:
        raise Http404 from exc
    if action == "join":
        services.association_join(association=association, user=request.user)
        messages.success(request, _("You joined this association."))
    else:
        services.association_leave(association=association, user=request.user)
        messages.success(request, _("You left this association."))
    return redirect(association.get_absolute_url())
