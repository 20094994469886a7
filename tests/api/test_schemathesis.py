"""Property-based tests of the whole API against its committed schema, in-process (WSGI).

Every operation gets EXAMPLES generated cases (valid and invalid input), sent with a partner
token holding every scope; checks: no 5xx, only documented status codes and content types,
bodies and headers that match the schema, and authentication enforced where declared
(schemathesis re-sends without and with a wrong token).
"""

import logging
from pathlib import Path

import pytest
import schemathesis
import yaml
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from partners.enums import Scope

EXAMPLES = 100
CASES: dict[str, int] = {}  # operation -> cases sent
SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    ignored_auth,
]

schema = schemathesis.openapi.from_dict(yaml.safe_load(SCHEMA_FILE.read_text()))
schema.app = get_wsgi_application()
# PostgreSQL refuses NUL in text; portal.middleware answers such requests with an HTML 400
# page before the API sees them, so they are kept out of the generated data.
schema.config.generation.update(allow_x00=False)
# The fuzzing phase (valid and invalid input) makes the EXAMPLES cases of each operation; the
# deterministic coverage phase would add ~70 % more and take the run past 3 minutes on the
# 2-core machine.
schema.config.phases.coverage.enabled = False


@pytest.fixture
def keep_test_connection():
    """Like Django's test client: the WSGI handler must not close the test's connection
    (and with it the transaction) at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def quiet_request_log():
    """Thousands of expected 4xx: Django's per-request warning lines only cost time here."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture
def auth_headers(make_token, territories, taxonomy, settings, keep_test_connection, quiet_request_log):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "100000/min"}}
    settings.JUSUR_WEBHOOKS_ALLOW_PRIVATE = True  # no DNS look-ups for generated host names
    _token, plaintext = make_token(list(Scope.values))
    return {"Authorization": f"Bearer {plaintext}"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    # Health checks judge the generator (speed, filtering, example size), not the API: on a
    # loaded shared machine they fail runs at random.
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)
def test_api_conforms_to_its_schema(case, auth_headers):
    response = case.call(headers=auth_headers)
    CASES[case.operation.label] = CASES.get(case.operation.label, 0) + 1
    case.validate_response(response, checks=CHECKS, headers=auth_headers)


def test_api_every_operation_got_enough_cases():
    """Runs after the parametrized test above (pytest keeps file order)."""
    if not CASES:
        pytest.skip("the schemathesis test was deselected")
    operations = {f"{method.upper()} {path}" for path, item in schema.raw_schema["paths"].items() for method in item}
    assert set(CASES) == operations
    assert min(CASES.values()) >= EXAMPLES, CASES
