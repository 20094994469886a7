"""Cache invalidation only (never domain flow): any change to a row a dashboard counts makes
the cached aggregates stale. Bulk writes send no signal: the short TTL and the
`dashboards.cache_refresh` beat task cover them."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from .selectors import cache_invalidate


def _invalidate(sender, **kwargs):
    try:
        cache_invalidate()
    except Exception:  # a cache outage must never fail a write; the TTL bounds staleness
        import logging

        logging.getLogger(__name__).warning("dashboard cache not invalidated", exc_info=True)


WATCHED = [
    "diaspora.ExpertProfile",
    "diaspora.ExpertSkill",
    "diaspora.ExpertLanguage",
    "diaspora.ExpertFormat",
    "regions.Need",
    "regions.RoadmapAxis",
    "regions.ConsultationMeeting",
    "regions.Decision",
    "regions.Indicator",
    "matching.Match",
    "matching.Engagement",
    "projects.Project",
    "projects.Opportunity",
]


def connect() -> None:
    from django.apps import apps

    for label in WATCHED:
        model = apps.get_model(label)
        post_save.connect(_invalidate, sender=model, dispatch_uid=f"dashboards-save-{label}")
        post_delete.connect(_invalidate, sender=model, dispatch_uid=f"dashboards-delete-{label}")
    sectors = apps.get_model("diaspora.ExpertProfile").sectors.through
    m2m_changed.connect(_invalidate, sender=sectors, dispatch_uid="dashboards-expert-sectors")
