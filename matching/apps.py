from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching")

    def ready(self):
        # Imported here, not at the top: models load only once the app registry is ready.
        from portal import events
        from portal.extensions import register_contribution

        # Register the task names other apps enqueue through the outbox in every process
        # (web, tests), not only in workers where Celery's autodiscovery imports them.
        from . import metrics, privacy, selectors, services, tasks  # noqa: F401

        privacy.register()
        register_contribution("matching.run_metrics", metrics.run_metrics)  # portal's /metrics
        # The investment pages (projects) show our suggestions without importing this app.
        for name in ("investment_suggestions_for_opportunity", "investment_suggestions_for_project"):
            register_contribution(f"matching.{name}", getattr(selectors, name))
        # Incremental matching: the other apps say what changed; we re-score after their commit,
        # debounced (changes made while a message waits are covered by it).
        events.subscribe_task(
            events.NeedChanged, task_name="matching.need_changed", dedup_key="matching:need:{need_id}", delay_seconds=5
        )
        events.subscribe_task(
            events.ExpertChanged,
            task_name="matching.expert_changed",
            dedup_key="matching:expert:{profile_id}",
            delay_seconds=5,
        )
        events.subscribe_task(
            events.InvestmentChanged,
            task_name=services.INVESTMENT_TASK,
            dedup_key=services.INVESTMENT_TASK,
            delay_seconds=10,
        )
