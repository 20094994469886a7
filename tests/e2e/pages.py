"""Steps the browser tests share."""

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's


def sign_in(page, base: str, email: str, next_url: str) -> None:
    """Sign in through the login page of `next_url`'s language and wait to land on it."""
    language = next_url.strip("/").split("/")[0]
    page.goto(f"{base}/{language}/accounts/login/?next={next_url}")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].button")
    page.wait_for_url(f"{base}{next_url}")
