"""Steps the browser tests share."""

import re
import time
from base64 import b32decode

from django_otp.oath import TOTP

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's


def totp_now(base32_key: str) -> str:
    totp = TOTP(b32decode(base32_key))
    totp.time = time.time()
    return f"{totp.token():06d}"


def sign_in(page, base: str, email: str, next_url: str) -> None:
    """Sign in through the login page of `next_url`'s language and wait to land on it.

    Officials, coordinators and staff owe a second step: a test user has no authenticator yet,
    so this enrols one as a person would (reads the key on the page, types the app's code)."""
    language = next_url.strip("/").split("/")[0]
    page.goto(f"{base}/{language}/accounts/login/?next={next_url}")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].button")
    page.wait_for_url(re.compile(f"^{re.escape(base + next_url)}$|/accounts/two-factor/setup/"))
    if "/accounts/two-factor/setup/" in page.url:
        page.fill("#id_code", totp_now(page.inner_text("#totp-secret")))
        page.click("button[type=submit].button")
        page.wait_for_url(re.compile("/accounts/two-factor/recovery-codes/"))
        assert page.locator(".recovery-codes li").count() == 10
        page.click("a.button")
    page.wait_for_url(f"{base}{next_url}")
