"""The officials' list of experts and the skill search behind its filter."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from taxonomy.selectors import skill_search

from ..access_log import profile_reads_record
from ..enums import ReadCategory, ReadPurpose
from ..selectors import can_browse_experts, expert_list


@login_required
def expert_list_view(request):
    if not can_browse_experts(request.user):
        raise PermissionDenied
    per_page = 50 if request.GET.get("per_page") == "50" else 25
    filters = request.GET.copy()
    skill_query = filters.get("skill_query", "")[:200]
    if skill_query and not filters.get("skill_id"):
        # Typed without picking a suggestion (or without JavaScript): take the best match.
        found = skill_search(query=skill_query, limit=1)
        filters["skill_id"] = str(found[0].pk) if found else "0"
    page, filterset = expert_list(
        user=request.user, filters=filters, page=request.GET.get("page", 1), per_page=per_page
    )
    profile_reads_record(
        reader=request.user,
        reads=[(card.id, ReadCategory.PROFILE) for card in page.object_list],
        purpose=ReadPurpose.EXPERT_SEARCH,
    )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("skill_query", None)
    return render(
        request,
        "diaspora/expert_list.html",
        {
            "page_obj": page,
            "filter": filterset,
            "query_string": query.urlencode(),
            "skill_query": skill_query,
        },
    )
