"""Signing test users in: `force_login` plus, for those who owe a second factor, a verified one.

The middleware refuses every page to a session whose second step is pending; tests that are not
about sign-in start from a session that completed it, through the same state transition the
second-step form makes (portal.twofactor.session_mark_verified's keys), with a real device.
"""

from django.conf import settings
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice

from portal import twofactor


def force_login_verified(client: Client, user) -> Client:
    client.force_login(user)
    session = client.session
    if session.get(twofactor.PENDING):
        device, _ = StaticDevice.objects.get_or_create(user=user, name="tests", defaults={"confirmed": True})
        session[twofactor.VERIFIED_DEVICE] = device.persistent_id
        del session[twofactor.PENDING]
        session.save()
    return client


def session_cookie(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value
