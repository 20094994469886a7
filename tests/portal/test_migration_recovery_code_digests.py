"""Migration portal.0006: recovery codes stored as typed become keyed digests, and still work."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from portal import twofactor

BEFORE = [("portal", "0005_outbox_message_lease"), ("otp_static", "0003_add_timestamps")]
AFTER = [("portal", "0006_recovery_codes_digested"), ("otp_static", "0003_add_timestamps")]


pytestmark = pytest.mark.usefixtures("latest_schema_after")  # not left at AFTER for later tests


@pytest.mark.django_db(transaction=True)
def test_codes_handed_out_before_the_migration_are_digested_and_still_sign_in():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("portal", "User").objects.create(email="rachid@example.org", full_name="Rachid")
    devices = old.get_model("otp_static", "StaticDevice").objects
    device = devices.create(user=user, name="Recovery codes", confirmed=True)
    for code in ("k3m9p2xq", "a7b4c2d9"):
        old.get_model("otp_static", "StaticToken").objects.create(device=device, token=code)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_static.models import StaticToken

    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert stored == {twofactor.recovery_code_digest("k3m9p2xq"), twofactor.recovery_code_digest("a7b4c2d9")}
    user = get_user_model().objects.get(email="rachid@example.org")
    verification = twofactor.second_factor_verify(user=user, code="K3M9 P2XQ")
    assert verification is not None and verification.recovery_codes_left == 1
