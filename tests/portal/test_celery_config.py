from django.conf import settings

from portal.celery import app as celery_app


def test_every_scheduled_task_exists():
    celery_app.loader.import_default_modules()
    scheduled = sorted(entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values())
    assert [name for name in scheduled if name not in celery_app.tasks] == []
    assert len(scheduled) == 13  # + diaspora.profile_reads_purge (24-month retention of the read log)


def test_tasks_enqueued_through_the_outbox_exist():
    celery_app.loader.import_default_modules()
    for name in ("matching.expert_changed", "matching.need_changed", "portal.send_notification_email"):
        assert name in celery_app.tasks


def test_reliability_settings_are_on():
    conf = celery_app.conf
    assert (conf.task_acks_late, conf.task_reject_on_worker_lost, conf.worker_prefetch_multiplier) == (True, True, 1)
    assert conf.task_time_limit < conf.broker_transport_options["visibility_timeout"]
    assert conf.broker_transport_options["socket_timeout"] == 5
