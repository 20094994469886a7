"""Sign-up and password reset answer the same whether or not the address has an account
(OWASP ASVS V6.3.8): the owner is told by e-mail instead. Timings are measured in bench/, never
asserted here; what is asserted is the same answer and the same queries."""

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from diaspora.models import EmailVerification
from diaspora.services import account_register
from portal.models import Notification, OutboxMessage, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Tamazight-Agadir-2026"


def _signup(email: str, language: str = "fr"):
    return Client().post(
        f"/{language}/diaspora/signup/",
        {"full_name": "Yassine Ouali", "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def test_signup_with_a_taken_address_answers_as_for_a_new_one_and_emails_the_owner(
    django_capture_on_commit_callbacks,
):
    owner = UserFactory(email="taken@example.org", preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        new = _signup("new@example.org")
        taken = _signup("Taken@Example.org")

    assert (new.status_code, new["Location"]) == (302, "/fr/diaspora/signup/done/")
    assert (taken.status_code, taken["Location"]) == (302, "/fr/diaspora/signup/done/")
    assert User.objects.filter(email__iexact="taken@example.org").get() == owner
    owner.refresh_from_db()
    assert owner.full_name != "Yassine Ouali"  # nothing of the visitor's input was kept
    to_owner = [m for m in mail.outbox if m.to == ["taken@example.org"]]
    assert [m.subject for m in to_owner] == ["Someone tried to create a Jusur account with your address"]
    assert "http://127.0.0.1:8000/en/accounts/login/" in to_owner[0].body
    assert "http://127.0.0.1:8000/en/diaspora/password-reset/" in to_owner[0].body


def test_signup_with_an_unverified_address_sends_its_owner_a_new_link(django_capture_on_commit_callbacks):
    account_register(email="pending@example.org", password=PASSWORD, full_name="Pending", language="fr")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = _signup("pending@example.org")

    assert response["Location"] == "/fr/diaspora/signup/done/"
    assert [(m.to, "/fr/diaspora/verify/" in m.body) for m in mail.outbox] == [(["pending@example.org"], True)]
    assert EmailVerification.objects.filter(verified_at__isnull=True).count() == 1
    assert User.objects.count() == 1


def test_signup_page_never_says_an_address_is_taken():
    UserFactory(email="taken@example.org")
    # A mistake elsewhere in the form redisplays it: still no word about the address.
    response = Client().post(
        "/en/diaspora/signup/",
        {"full_name": "Y", "email": "taken@example.org", "password1": PASSWORD, "password2": "other-2026-xx"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["password2"]


def _reset(email: str):
    with CaptureQueriesContext(connection) as queries:
        response = Client().post("/fr/diaspora/password-reset/", {"email": email})
    # Savepoints are the test's transaction at work, not the view's.
    return response, [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]


def test_password_reset_does_the_same_work_for_a_known_and_an_unknown_address(django_capture_on_commit_callbacks):
    UserFactory(email="known@example.org", preferred_language="ar")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        known, known_queries = _reset("known@example.org")
        unknown, unknown_queries = _reset("nobody@example.org")

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known["Location"] == "/fr/diaspora/password-reset/sent/"
    # The same statements: the look-up of the accounts' ids, then one outbox row.
    assert len(known_queries) == len(unknown_queries) == 2
    for statements in (known_queries, unknown_queries):
        assert statements[0].startswith('SELECT "portal_user"')
        assert statements[1].startswith('INSERT INTO "portal_outboxmessage"')
    assert len(callbacks) == 2
    assert Notification.objects.count() == 0
    # The queue holds ids, never the address typed (decision 0008).
    queued = list(
        OutboxMessage.objects.filter(task_name="diaspora.password_reset_send").values_list("kwargs", flat=True)
    )
    assert queued == [
        {"user_ids": [User.objects.get(email="known@example.org").pk]},
        {"user_ids": []},
    ]


def test_password_reset_link_reaches_only_a_real_account(django_capture_on_commit_callbacks):
    UserFactory(email="known@example.org", preferred_language="ar")

    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/fr/diaspora/password-reset/", {"email": "KNOWN@example.org"})
        Client().post("/fr/diaspora/password-reset/", {"email": "nobody@example.org"})

    assert [m.to for m in mail.outbox] == [["known@example.org"]]
    assert "/ar/diaspora/password-reset/" in mail.outbox[0].body
    assert OutboxMessage.objects.filter(task_name="diaspora.password_reset_send", done_at__isnull=False).count() == 2
