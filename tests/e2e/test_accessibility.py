"""axe-core on every public page, every form of each role, the dashboards and the map, in Arabic
and French, on a desktop and a phone; the test fails on any critical or serious violation.

The target is WCAG 2.2 AA (axe's wcag2a/aa, wcag21a/aa, wcag22aa rules) plus axe's best
practices. axe-core comes from PyPI (axe-playwright-python bundles axe.min.js): nothing is fetched
from the network. The server is a real gunicorn on PostgreSQL loaded with the demo data set, so
the pages carry real content. Every finding, moderate and minor included, is written to
test-artifacts/axe-<language>-<device>.json for the record.
"""

import json
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.live import live_server, manage

pytestmark = pytest.mark.e2e

RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
FAILING = {"critical", "serious"}
DEVICES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def demo_server():
    import os

    parts = urlsplit(os.environ["DATABASE_URL"])
    with live_server(urlunsplit(parts._replace(path=parts.path + "_a11y")), demo=True) as server:
        output = manage(server, "shell", "-c", "from tests.e2e.a11y_pages import dump; dump()")
        yield server[0], json.loads(output.rsplit("A11Y=", 1)[1])


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("language", ["ar", "fr"])
def test_no_serious_accessibility_violation(demo_server, axe, browser, artifacts, language, device):
    base, catalogue = demo_server
    report, failures, walked = {}, [], 0
    for persona, pages in catalogue["pages"].items():
        context = browser.new_context(viewport=DEVICES[device], locale=language)
        if catalogue["cookies"][persona]:
            context.add_cookies([{"name": "sessionid", "value": catalogue["cookies"][persona], "url": base}])
        page = context.new_page()
        for name, path in pages:
            url = f"{base}/{language}{path}"
            response = page.goto(url)
            assert response.status == 200, f"{persona} could not open {name} ({url}): {response.status}"
            assert page.url == url, f"{persona} was sent from {name} ({url}) to {page.url}"
            walked += 1
            violations = axe.run(page, options={"runOnly": {"type": "tag", "values": RULES}}).response["violations"]
            report[f"{persona}: {name}"] = {
                "url": path,
                "violations": [
                    {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:10]}
                    for v in violations
                ],
            }
            failures += [
                f"{persona}: {name} ({path}): {v['id']} ({v['impact']}) on {[n['target'] for n in v['nodes']][:3]}"
                for v in violations
                if v["impact"] in FAILING
            ]
        context.close()
    (artifacts / f"axe-{language}-{device}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    assert walked >= 25
    assert not failures, "\n".join(failures)
