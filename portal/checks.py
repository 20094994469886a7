"""System checks run by `manage.py check --deploy` (issue 15, Settings)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def site_url_check(app_configs, **kwargs):
    # Every e-mail link (password reset, verification, invitations) starts with JUSUR_SITE_URL;
    # unset, it is the demo's http://127.0.0.1:$PORT, which no recipient can open.
    parts = urlsplit(settings.JUSUR_SITE_URL)
    if parts.scheme != "https" or parts.hostname in {"127.0.0.1", "localhost", "::1"}:
        return [
            Warning(
                f"JUSUR_SITE_URL is {settings.JUSUR_SITE_URL}: links in e-mails would point there.",
                hint="Set JUSUR_SITE_URL to the portal's public https:// address (README, settings table).",
                id="portal.W001",
            )
        ]
    return []
