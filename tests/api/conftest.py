"""Fixtures of the API contract tests: partner tokens per scope, and an API client."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from partners.enums import Scope
from partners.services import api_token_create, api_token_revoke
from tests.api.receiver import Receiver


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """Throttle counters live in Redis, which does not roll back with the test's transaction."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    """An anonymous API client."""
    return APIClient()


@pytest.fixture
def make_token(partner_user):
    """`make_token(scopes, region=None, expired=False, revoked=False)` -> (token, plaintext)."""

    def make(scopes=(Scope.READ_PUBLIC,), *, region=None, expired=False, revoked=False, partner=None):
        token, plaintext = api_token_create(
            partner=partner or partner_user.partner,
            created_by=partner_user,
            name="test",
            scopes=list(scopes),
            region=region,
        )
        if expired:
            type(token).objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        if revoked:
            api_token_revoke(token=token, by=partner_user)
        return token, plaintext

    return make


@pytest.fixture
def token_client(make_token):
    """`token_client(scopes, **kwargs)`: an API client sending a fresh token of those scopes."""

    def make(scopes=(Scope.READ_PUBLIC,), **kwargs):
        _token, plaintext = make_token(scopes, **kwargs)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
        return client

    return make


@pytest.fixture
def receiver(settings):
    """A local HTTP server that records webhook deliveries (loopback allowed for it)."""
    settings.JUSUR_WEBHOOKS_ALLOW_PRIVATE = True
    server = Receiver()
    yield server
    server.close()
