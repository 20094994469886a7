"""The committed OpenAPI schema is current, and documents errors and scopes everywhere."""

from pathlib import Path

import yaml
from django.core.management import call_command

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml"
REGENERATE = (
    "DJANGO_DEBUG=1 .venv/bin/python manage.py spectacular --api-version v1 --lang en --file docs/api/openapi.yaml"
)


def _generate(tmp_path) -> str:
    out = tmp_path / "openapi.yaml"
    call_command("spectacular", "--api-version", "v1", "--lang", "en", "--file", str(out))
    return out.read_text()


def test_schema_committed_is_current(tmp_path):
    assert _generate(tmp_path) == SCHEMA.read_text(), f"docs/api/openapi.yaml is stale: run `{REGENERATE}`"


def test_schema_generation_is_deterministic(tmp_path):
    first = _generate(tmp_path)

    assert _generate(tmp_path) == first


def _operations():
    schema = yaml.safe_load(SCHEMA.read_text())
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_schema_every_operation_documents_its_errors_and_scopes():
    operations = list(_operations())

    assert len(operations) >= 10
    for path, method, operation in operations:
        responses = operation["responses"]
        for code in ("401", "403", "429"):
            assert responses[code]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}, (
                path,
                method,
                code,
            )
        assert "Retry-After" in responses["429"]["headers"]
        assert operation["x-scopes"], (path, method)
        assert "**Scopes:**" in operation["description"]
        if "{" in path:
            assert "404" in responses, (path, method)
        if method in ("post", "put", "patch"):
            assert {"400", "415"} <= set(responses), (path, method)


def test_schema_served_and_docs_pages_use_no_cdn(client):
    assert client.get("/api/schema/").status_code == 200
    for url in ("/api/docs/", "/api/redoc/"):
        page = client.get(url).content.decode()
        assert "cdn." not in page and "unpkg" not in page, url
