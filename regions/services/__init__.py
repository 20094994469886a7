"""Every write of the regions app, one module per aggregate.

`from regions import services` and `from regions.services import need_create` keep working:
the public names are re-exported here. Each service checks the actor's region scope through
portal.permissions (`base.require_scope`) and runs in a transaction; a refused call raises
before anything is written.
"""

from .consultation import (
    DecisionInput,
    MeetingInput,
    ParticipantInput,
    PartnershipInput,
    StakeholderInput,
    decision_save,
    meeting_save,
    participant_add,
    partnership_save,
    stakeholder_save,
)
from .indicators import INDICATOR_COLUMNS, migration_figures_load
from .need_jobs import REMINDER_DAYS_BEFORE, deadline_reminders, needs_expire, region_coordinators
from .needs import (
    NEED_STATUS_EVENTS,
    LanguageRequirement,
    NeedInput,
    SkillRequirement,
    need_allowed_transitions,
    need_create,
    need_interest_express,
    need_interest_withdraw,
    need_transition,
    need_update,
)
from .roadmaps import (
    DEFAULT_AXES,
    AxisInput,
    RoadmapInput,
    axis_save,
    roadmap_adopt,
    roadmap_close,
    roadmap_create,
    roadmap_document_add,
    roadmap_new_version,
    roadmap_update,
)
from .studies import StudyInput, study_save
from .territories import REGION_NAMES_EN, territories_load

__all__ = [
    "DEFAULT_AXES",
    "INDICATOR_COLUMNS",
    "NEED_STATUS_EVENTS",
    "REGION_NAMES_EN",
    "REMINDER_DAYS_BEFORE",
    "AxisInput",
    "DecisionInput",
    "LanguageRequirement",
    "MeetingInput",
    "NeedInput",
    "ParticipantInput",
    "PartnershipInput",
    "RoadmapInput",
    "SkillRequirement",
    "StakeholderInput",
    "StudyInput",
    "axis_save",
    "deadline_reminders",
    "decision_save",
    "meeting_save",
    "migration_figures_load",
    "need_allowed_transitions",
    "need_create",
    "need_interest_express",
    "need_interest_withdraw",
    "need_transition",
    "need_update",
    "needs_expire",
    "participant_add",
    "partnership_save",
    "region_coordinators",
    "roadmap_adopt",
    "roadmap_close",
    "roadmap_create",
    "roadmap_document_add",
    "roadmap_new_version",
    "roadmap_update",
    "stakeholder_save",
    "study_save",
    "territories_load",
]
