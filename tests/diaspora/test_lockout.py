"""Sign-in lockout (issue 14, item 7): an account and an address are locked independently, the
lock grows with further failures but is capped, a password reset lifts it, and the address is
the one our trusted proxies saw, never one the client wrote."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django.utils import timezone

from portal.security import login_cool_off
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
RIGHT = "correct horse battery"  # tests.factories.UserFactory's password
LOGIN = "/fr/diaspora/login/"


def _sign_in(client: Client, email: str, password: str = RIGHT):
    return client.post(LOGIN, {"username": email, "password": password})


def test_one_password_sprayed_over_many_accounts_locks_the_address():
    users = [UserFactory(email=f"member{n}@example.org") for n in range(6)]
    sprayer = Client(REMOTE_ADDR="203.0.113.9")
    for user in users[:5]:
        _sign_in(sprayer, user.email, "Summer2026!")

    from_sprayer = _sign_in(sprayer, users[5].email)
    from_elsewhere = _sign_in(Client(REMOTE_ADDR="198.51.100.7"), users[5].email)

    assert from_sprayer.status_code == 429
    assert from_elsewhere.status_code == 302  # that account is not locked: only the address


def test_one_account_guessed_from_many_addresses_locks_the_account():
    target, bystander = UserFactory(email="target@example.org"), UserFactory(email="bystander@example.org")
    for n in range(5):
        _sign_in(Client(REMOTE_ADDR=f"203.0.113.{n + 1}"), target.email, f"guess-{n}")

    assert _sign_in(Client(REMOTE_ADDR="192.0.2.200"), target.email).status_code == 429
    assert _sign_in(Client(REMOTE_ADDR="203.0.113.1"), bystander.email).status_code == 302


def test_the_account_lock_ignores_case_and_spaces():
    UserFactory(email="target@example.org")
    for n, spelling in enumerate(
        ["Target@Example.org", " target@example.org", "TARGET@EXAMPLE.ORG ", "target@example.org"]
    ):
        _sign_in(Client(REMOTE_ADDR=f"203.0.113.{n + 1}"), spelling, "wrong")
    _sign_in(Client(REMOTE_ADDR="203.0.113.50"), "tArGeT@example.org", "wrong")

    assert _sign_in(Client(REMOTE_ADDR="192.0.2.200"), "target@example.org").status_code == 429
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"target@example.org"}


@pytest.mark.parametrize(
    ("failures", "minutes"),
    [(1, 15), (4, 15), (5, 15), (9, 15), (10, 30), (15, 60), (20, 120), (25, 120), (10_000, 120)],
)
def test_the_lock_doubles_with_further_failures_up_to_two_hours(rf, failures, minutes):
    AccessAttempt.objects.create(
        username="target@example.org", ip_address="203.0.113.9", user_agent="", failures_since_start=failures,
        attempt_time=timezone.now(), get_data="", post_data="", http_accept="", path_info="",
    )  # fmt: skip
    request = rf.post(LOGIN, {"username": "Target@example.org"})
    request.axes_ip_address = "192.0.2.1"  # another address: the account's own count decides

    assert login_cool_off(request) == timedelta(minutes=minutes)


def test_the_lock_ends_by_itself_after_its_cool_off():
    user = UserFactory(email="target@example.org")
    for _ in range(5):
        _sign_in(Client(REMOTE_ADDR="203.0.113.9"), user.email, "wrong")
    assert _sign_in(Client(REMOTE_ADDR="192.0.2.7"), user.email).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    assert _sign_in(Client(REMOTE_ADDR="192.0.2.7"), user.email).status_code == 302


def test_a_locked_account_can_still_reset_its_password_which_lifts_the_lock(django_capture_on_commit_callbacks):
    user = UserFactory(email="target@example.org")
    for n in range(12):
        _sign_in(Client(REMOTE_ADDR=f"203.0.113.{n + 1}"), user.email, "wrong")
    owner = Client(REMOTE_ADDR="192.0.2.7")
    assert _sign_in(owner, user.email).status_code == 429

    with django_capture_on_commit_callbacks(execute=True):
        owner.post("/fr/diaspora/password-reset/", {"email": user.email})
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0).replace("http://127.0.0.1:8000", "")
    form = owner.get(link, follow=True)
    new = "Nouveau-mot-de-passe-2026"
    owner.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})

    assert not AccessAttempt.objects.filter(username="target@example.org").exists()
    assert _sign_in(owner, user.email, new).status_code == 302


def test_forged_forwarded_for_does_not_escape_the_address_lock():
    users = [UserFactory(email=f"member{n}@example.org") for n in range(6)]
    for n, user in enumerate(users[:5]):
        Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").post(
            LOGIN, {"username": user.email, "password": "Summer2026!"}
        )

    again = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert _sign_in(again, users[5].email).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}


def test_behind_one_trusted_proxy_the_address_it_appended_is_the_client(settings):
    settings.JUSUR_TRUSTED_PROXIES = 1
    users = [UserFactory(email=f"member{n}@example.org") for n in range(6)]
    for n, user in enumerate(users[:5]):
        # The client wrote the first entry; the proxy (10.0.0.2) appended the real address.
        Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"198.18.0.{n}, 203.0.113.9").post(
            LOGIN, {"username": user.email, "password": "Summer2026!"}
        )

    sprayer = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.18.7.7, 203.0.113.9")
    neighbour = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert _sign_in(sprayer, users[5].email).status_code == 429
    assert _sign_in(neighbour, users[5].email).status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}


def test_failures_older_than_the_longest_lock_do_not_lengthen_a_new_one(rf):
    AccessAttempt.objects.create(
        username="target@example.org", ip_address="203.0.113.9", user_agent="", failures_since_start=50,
        get_data="", post_data="", http_accept="", path_info="",
    )  # fmt: skip
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(hours=2, minutes=1))  # auto_now_add
    request = rf.post(LOGIN, {"username": "target@example.org"})
    request.axes_ip_address = "203.0.113.9"

    assert login_cool_off(request) == timedelta(minutes=15)
