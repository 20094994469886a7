"""Password reset that does not reveal who has an account.

Django's reset form looks the address up and sends the e-mail inside the request, so an
address with an account answered about 4 times slower than one without (bench/README.md).
Here the request does the same two statements whatever the address — one look-up of the
matching accounts' ids, one outbox insert (with an empty list when nobody matched) — and the
worker sends the e-mails. The queued message carries ids, never the address, and the reset
link itself is built only when the e-mail is sent (decision 0008).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction

from portal.outbox import outbox_enqueue

from .services import password_reset_send as _notify


def password_reset_request(*, email: str) -> None:
    """Queue the reset e-mails for the accounts of `email` (a message is queued either way)."""
    user_ids = sorted(user.pk for user in PasswordResetForm().get_users(email))
    with transaction.atomic():
        outbox_enqueue(task_name="diaspora.password_reset_send", kwargs={"user_ids": user_ids})


def password_reset_send(*, user_ids: list[int]) -> int:
    """Notify each account that can still reset its password (in its language); return how many.
    Runs in the worker; an account deactivated since the request is skipped."""
    users = get_user_model()._default_manager.filter(pk__in=user_ids, is_active=True)
    sent = 0
    for user in users:
        if user.has_usable_password():
            _notify(user=user)
            sent += 1
    return sent
