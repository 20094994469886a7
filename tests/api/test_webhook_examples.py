"""The verification examples of docs/api/webhooks.md, run for real against signed deliveries:
the Python one with the `standardwebhooks` package, the JavaScript ones with Node (the npm
`standardwebhooks` package is installed into a temporary folder; that test is skipped only
when the npm registry cannot be reached)."""

import base64
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from partners.enums import Scope, WebhookEvent
from partners.models import WebhookDelivery
from partners.webhooks import webhook_deliver, webhook_emit, webhook_subscription_create
from regions.models import Need
from tests.api.receiver import Receiver
from tests.regions.factories import NeedFactory, NeedSkillFactory

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[2] / "docs" / "api" / "webhooks.md"
NPM_PACKAGE = "standardwebhooks@1.3.0"


def example(name: str) -> str:
    """The fenced code block that follows `<!-- example: name … -->` in the doc."""
    match = re.search(rf"<!-- example: {re.escape(name)}\b.*?-->\n```\w+\n(.*?)\n```", DOC.read_text(), re.S)
    assert match, name
    return match.group(1)


@pytest.fixture
def delivery(make_token, official_a, settings):
    """A real signed delivery (an Arabic title: the body is UTF-8, not ASCII) → (secret, request)."""
    settings.JUSUR_WEBHOOKS_ALLOW_PRIVATE = True
    receiver = Receiver()
    need = NeedFactory(owner=official_a)
    NeedSkillFactory(need=need)
    Need.objects.filter(pk=need.pk).update(title="تثمين الأركان")
    token, _ = make_token([Scope.READ_PUBLIC, Scope.WEBHOOKS])
    subscription = webhook_subscription_create(token=token, url=receiver.url, events=[WebhookEvent.NEED_PUBLISHED])
    webhook_emit(event=WebhookEvent.NEED_PUBLISHED, object_id=need.pk)
    webhook_deliver(delivery_id=WebhookDelivery.objects.get().pk)
    receiver.close()
    [request] = receiver.requests
    return subscription.secret, request


def _tampered(body: bytes) -> bytes:
    return body.replace("تثمين".encode(), "تزوير".encode())


def test_python_example_verifies_a_delivery(delivery):
    secret, request = delivery
    namespace = {"SECRET": secret}
    exec(example("verify-python"), namespace)  # noqa: S102 - the documentation's own example
    receive = namespace["receive"]

    event = receive(request["body"], request["headers"])

    assert event["type"] == "need.published"
    assert event["data"]["title"] == "تثمين الأركان"
    assert receive(_tampered(request["body"]), request["headers"]) is None
    assert receive(request["body"], {**request["headers"], "webhook-timestamp": "1700000000"}) is None


def _node(script: Path, payload: dict, cwd: Path) -> list:
    env = {**os.environ, "JUSUR_WEBHOOK_SECRET": payload["secret"]}  # the library example reads it
    result = subprocess.run(
        ["node", str(script)], input=json.dumps(payload), capture_output=True, text=True, cwd=cwd, timeout=60, env=env
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


RUNNER = """
const { receive } = require("./example.js");
const input = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
const results = input.cases.map(([body, headers]) => {
  const raw = Buffer.from(body, "base64");
  return %s;
});
console.log(JSON.stringify(results));
"""


def _cases(request) -> list:
    def encoded(body: bytes) -> str:
        return base64.b64encode(body).decode()

    headers = {name.lower(): value for name, value in request["headers"].items()}
    return [
        [encoded(request["body"]), headers],
        [encoded(_tampered(request["body"])), headers],
        [encoded(request["body"]), {**headers, "webhook-timestamp": "1700000000"}],
    ]


def _check(results: list) -> None:
    event, tampered, old = results
    assert event["type"] == "need.published"
    assert event["data"]["title"] == "تثمين الأركان"
    assert tampered is None
    assert old is None


@pytest.mark.skipif(shutil.which("node") is None, reason="Node is not installed")
def test_js_crypto_example_verifies_a_delivery(delivery, tmp_path):
    secret, request = delivery
    (tmp_path / "example.js").write_text(example("verify-js-crypto"))
    (tmp_path / "run.js").write_text(RUNNER % "receive(input.secret, raw, headers)")

    _check(_node(tmp_path / "run.js", {"secret": secret, "cases": _cases(request)}, tmp_path))


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed")
def test_js_library_example_verifies_a_delivery(delivery, tmp_path):
    secret, request = delivery
    installed = subprocess.run(
        ["npm", "install", "--no-save", "--no-audit", "--no-fund", NPM_PACKAGE],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
    )
    if installed.returncode != 0:
        pytest.skip(f"npm registry unreachable: {installed.stderr[-200:]}")
    (tmp_path / "example.js").write_text(example("verify-js"))
    (tmp_path / "run.js").write_text(RUNNER % "receive(raw, headers)")

    _check(_node(tmp_path / "run.js", {"secret": secret, "cases": _cases(request)}, tmp_path))
