"""Every write of the investment app: opportunities, projects, the pipeline, partners, deadlines.

Refused calls raise PermissionDenied, bad input raises ValidationError; both before anything
is written, inside one transaction, so a refused or invalid call leaves the data unchanged.

One module per aggregate; the public names are re-exported here, so callers write
`from projects import services`."""

from .base import INVESTOR_EDITABLE, NOTE_MAX, OPEN_STATUSES
from .deadlines import project_deadlines_check
from .opportunities import (
    OpportunityInput,
    opportunity_close,
    opportunity_create,
    opportunity_document_add,
    opportunity_interest_express,
    opportunity_interest_withdraw,
    opportunity_publish,
    opportunity_update,
)
from .partners import project_partner_attach, project_partner_consent, project_partner_end
from .projects import (
    ProjectInput,
    project_assign,
    project_document_add,
    project_document_delete,
    project_note_add,
    project_submit,
    project_transition,
    project_update,
)

__all__ = [
    "INVESTOR_EDITABLE",
    "NOTE_MAX",
    "OPEN_STATUSES",
    "OpportunityInput",
    "ProjectInput",
    "opportunity_close",
    "opportunity_create",
    "opportunity_document_add",
    "opportunity_interest_express",
    "opportunity_interest_withdraw",
    "opportunity_publish",
    "opportunity_update",
    "project_assign",
    "project_deadlines_check",
    "project_document_add",
    "project_document_delete",
    "project_note_add",
    "project_partner_attach",
    "project_partner_consent",
    "project_partner_end",
    "project_submit",
    "project_transition",
    "project_update",
]
