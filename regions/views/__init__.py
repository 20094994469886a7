"""Thin views: parse input with a form, call a selector or a service, render.

One module per part of the site: `public` (home, regions, a region's page, indicators),
`needs`, `roadmaps`, `manage`, `consultation`, `studies`; `base` holds what they share.
The views are re-exported here, so the URLconfs keep saying `views.need_detail_view`.
"""

from .consultation import (
    decision_edit_view,
    meeting_detail_view,
    meeting_edit_view,
    meeting_ics_view,
    participant_add_view,
    partnership_edit_view,
    stakeholder_edit_view,
)
from .manage import manage_home_view, manage_view
from .needs import (
    need_create_view,
    need_detail_view,
    need_edit_view,
    need_interest_view,
    need_interest_withdraw_view,
    need_list_view,
    need_transition_view,
    region_need_list_view,
)
from .public import home, indicator_list_view, region_detail_view, region_list_view, region_page_view
from .roadmaps import (
    axis_edit_view,
    roadmap_action_view,
    roadmap_create_view,
    roadmap_detail_view,
    roadmap_document_file_view,
    roadmap_document_view,
    roadmap_edit_view,
)
from .studies import study_detail_view, study_edit_view, study_file_view, study_list_view

__all__ = [
    "axis_edit_view",
    "decision_edit_view",
    "home",
    "indicator_list_view",
    "manage_home_view",
    "manage_view",
    "meeting_detail_view",
    "meeting_edit_view",
    "meeting_ics_view",
    "need_create_view",
    "need_detail_view",
    "need_edit_view",
    "need_interest_view",
    "need_interest_withdraw_view",
    "need_list_view",
    "need_transition_view",
    "participant_add_view",
    "partnership_edit_view",
    "region_detail_view",
    "region_list_view",
    "region_need_list_view",
    "region_page_view",
    "roadmap_action_view",
    "roadmap_create_view",
    "roadmap_detail_view",
    "roadmap_document_file_view",
    "roadmap_document_view",
    "roadmap_edit_view",
    "stakeholder_edit_view",
    "study_detail_view",
    "study_edit_view",
    "study_file_view",
    "study_list_view",
]
