"""The shared pipeline as data: allowed moves, response time per stage, the investor's next step."""

from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .enums import ProjectStatus

S = ProjectStatus

TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.SUBMITTED: (S.UNDER_REVIEW, S.DROPPED),
    S.UNDER_REVIEW: (S.ACCOMPANIED, S.DROPPED),
    S.ACCOMPANIED: (S.FINANCED, S.DROPPED),
    S.FINANCED: (S.LAUNCHED, S.DROPPED),
    S.LAUNCHED: (),
    S.DROPPED: (),
}

# Days the officer has to answer at each open stage (overridable in settings).
RESPONSE_DAYS: dict[str, int] = {
    S.SUBMITTED: 10,
    S.UNDER_REVIEW: 30,
    S.ACCOMPANIED: 60,
    S.FINANCED: 90,
    **getattr(settings, "JUSUR_PROJECT_RESPONSE_DAYS", {}),
}
# A reminder goes to the officer this long before the deadline; after it, an escalation.
REMINDER_BEFORE = timedelta(days=3)

NEXT_STEPS = {
    S.SUBMITTED: _("An officer of the region reads your project and opens its review."),
    S.UNDER_REVIEW: _("The region studies your project and decides how to accompany it."),
    S.ACCOMPANIED: _("The region accompanies you towards financing: banks, programmes, permits."),
    S.FINANCED: _("Your financing is in place: the next step is setting up and launching."),
    S.LAUNCHED: _("Your project is launched. Congratulations!"),
    S.DROPPED: _("This project was dropped. You may submit a new one at any time."),
}


def allowed_targets(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def due_for(status: str, *, start):
    days = RESPONSE_DAYS.get(status)
    return start + timedelta(days=days) if days else None
