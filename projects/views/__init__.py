"""Pages of the investment area. Thin: read through selectors, write through services.

One module per aggregate; the public names are re-exported here, so callers write
`from projects import services`."""

from .base import PAGE_SIZE
from .opportunities import (
    opportunity_close_view,
    opportunity_create_view,
    opportunity_detail_view,
    opportunity_document_upload_view,
    opportunity_document_view,
    opportunity_edit_view,
    opportunity_interest_view,
    opportunity_interest_withdraw_view,
    opportunity_list_view,
    opportunity_publish_view,
)
from .projects import (
    project_assign_view,
    project_create_view,
    project_detail_view,
    project_document_delete_view,
    project_document_upload_view,
    project_document_view,
    project_drop_view,
    project_edit_view,
    project_list_view,
    project_note_view,
    project_partner_attach_view,
    project_partner_consent_view,
    project_partner_end_view,
    project_transition_view,
)

__all__ = [
    "PAGE_SIZE",
    "opportunity_close_view",
    "opportunity_create_view",
    "opportunity_detail_view",
    "opportunity_document_upload_view",
    "opportunity_document_view",
    "opportunity_edit_view",
    "opportunity_interest_view",
    "opportunity_interest_withdraw_view",
    "opportunity_list_view",
    "opportunity_publish_view",
    "project_assign_view",
    "project_create_view",
    "project_detail_view",
    "project_document_delete_view",
    "project_document_upload_view",
    "project_document_view",
    "project_drop_view",
    "project_edit_view",
    "project_list_view",
    "project_note_view",
    "project_partner_attach_view",
    "project_partner_consent_view",
    "project_partner_end_view",
    "project_transition_view",
]
