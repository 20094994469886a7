"""Password reset that does not reveal who has an account.

Django's reset form looks the address up and sends the e-mail inside the request, so an
address with an account answered about 4 times slower than one without (bench/README.md).
Here the request only queues one outbox message, whatever the address; the worker looks the
account up and sends the link. Same answer, same queries, same time.
"""

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from portal.notifications import notification_send
from portal.outbox import outbox_enqueue


def password_reset_request(*, email: str) -> None:
    """Queue the reset e-mail for `email` (whether or not an account has it)."""
    with transaction.atomic():
        outbox_enqueue(task_name="diaspora.password_reset_send", kwargs={"email": email})


def password_reset_send(*, email: str) -> int:
    """E-mail a reset link to each active account of `email` that has a usable password (in
    the account's language); return how many were sent. Runs in the worker."""
    sent = 0
    for user in PasswordResetForm().get_users(email):
        kwargs = {
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        }
        with translation.override(user.preferred_language):
            path = reverse("diaspora:password_reset_confirm", kwargs=kwargs)
        notification_send(
            user=user, kind="diaspora.password_reset", template="diaspora/emails/password_reset", context={"path": path}
        )
        sent += 1
    return sent
