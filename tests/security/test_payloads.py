"""The audit's classic payloads, kept as a regression set: script in every free-text field of the
main forms comes back escaped on every page that shows it; SQL-looking values in every search and
filter parameter of the site and the API answer 200 or 400, never 500."""

import re
from pathlib import Path

import pytest
import yaml
from django.db import models
from django.urls import reverse

from diaspora.forms import ProfileAboutForm
from projects.forms import OpportunityForm, ProjectForm
from regions.forms import (
    AxisForm,
    DecisionForm,
    MeetingForm,
    NeedForm,
    PartnershipForm,
    RoadmapForm,
    StakeholderForm,
    StudyForm,
)
from tests.security.conftest import HTML_ROUTES
from tests.security.routes import body_of, forms_of

pytestmark = pytest.mark.django_db

RAW = re.compile(r"<svg onload=jx\(|<script>jx\(|javascript:jx\(")
ESCAPED = "&lt;svg onload=jx("


def payload(n: int, room: int) -> str:
    full = f"\"'><svg onload=jx({n})><script>jx({n})</script>"
    return full if room >= len(full) else f"<svg onload=jx({n})>"


def _code(w):
    return w.region_a.code


# (world object, the fields to poison (a form's, or named), the pages that show them: (url, persona))
XSS = [
    ("need", NeedForm, lambda w: [
        (reverse("regions:need_detail", kwargs={"code": _code(w), "pk": w.objects["need"].pk}), "anonymous"),
        (reverse("regions:need_detail", kwargs={"code": _code(w), "pk": w.objects["need"].pk}), "official_a"),
        (reverse("regions:region_page", kwargs={"code": _code(w)}), "anonymous"),
        (reverse("regions:need_list"), "anonymous"),
        (reverse("matching:candidate_list", kwargs={"need_id": w.objects["need"].pk}), "official_a"),
    ]),
    ("roadmap", RoadmapForm, lambda w: [
        (reverse("regions:roadmap_detail", kwargs={"code": _code(w), "version": 1}), "anonymous"),
        (reverse("regions:region_page", kwargs={"code": _code(w)}), "anonymous"),
    ]),
    ("axis", AxisForm, lambda w: [
        (reverse("regions:roadmap_detail", kwargs={"code": _code(w), "version": 1}), "anonymous"),
    ]),
    ("stakeholder", StakeholderForm, lambda w: [
        (reverse("regions:region_page", kwargs={"code": _code(w)}), "anonymous"),
        (reverse("regions:manage", kwargs={"code": _code(w)}), "official_a"),
    ]),
    ("meeting", MeetingForm, lambda w: [
        (reverse("regions:meeting_detail", kwargs={"code": _code(w), "pk": w.objects["meeting"].pk}), "official_a"),
        (reverse("regions:region_page", kwargs={"code": _code(w)}), "anonymous"),
    ]),
    ("decision", DecisionForm, lambda w: [
        (reverse("regions:meeting_detail", kwargs={"code": _code(w), "pk": w.objects["meeting"].pk}), "official_a"),
    ]),
    ("partnership", PartnershipForm, lambda w: [
        (reverse("regions:region_page", kwargs={"code": _code(w)}), "anonymous"),
        (reverse("regions:manage", kwargs={"code": _code(w)}), "official_a"),
    ]),
    ("study", StudyForm, lambda w: [
        (reverse("regions:study_detail", kwargs={"pk": w.objects["study"].pk}), "anonymous"),
        (reverse("regions:study_list"), "anonymous"),
    ]),
    ("opportunity", OpportunityForm, lambda w: [
        (reverse("projects:opportunity_detail", kwargs={"pk": w.objects["opportunity"].pk}), "anonymous"),
        (reverse("projects:opportunity_detail", kwargs={"pk": w.objects["opportunity"].pk}), "official_a"),
        (reverse("projects:opportunity_list"), "anonymous"),
    ]),
    ("project", ProjectForm, lambda w: [
        (reverse("projects:project_detail", kwargs={"pk": w.objects["project"].pk}), "official_a"),
        (reverse("projects:project_detail", kwargs={"pk": w.objects["project"].pk}), "member_a"),
        (reverse("projects:project_list"), "official_a"),
    ]),
    ("profile_a", ProfileAboutForm, lambda w: [
        (reverse("diaspora:profile_detail"), "member_a"),
        (reverse("diaspora:expert_list"), "official_a"),
        (reverse("matching:candidate_list", kwargs={"need_id": w.objects["need"].pk}), "official_a"),
    ]),
    ("experience", ["title", "organisation", "description"], lambda w: [
        (reverse("diaspora:profile_detail"), "member_a"),
    ]),
    ("education", ["degree", "institution", "field"], lambda w: [(reverse("diaspora:profile_detail"), "member_a")]),
    ("interest", ["message"], lambda w: [
        (reverse("regions:need_detail", kwargs={"code": _code(w), "pk": w.objects["need"].pk}), "official_a"),
    ]),
    ("opportunity_interest", ["message"], lambda w: [
        (reverse("projects:opportunity_detail", kwargs={"pk": w.objects["opportunity"].pk}), "official_a"),
    ]),
    ("match", ["invitation_message"], lambda w: [
        (reverse("matching:invitation_detail", kwargs={"pk": w.objects["match"].pk}), "member_a"),
    ]),
    ("proposal", ["title", "description"], lambda w: [(reverse("partners:needproposal_list"), "official_a")]),
    ("token", ["name"], lambda w: [(reverse("partners:apitoken_list"), "partner_a")]),
    ("association", ["name", "city", "description"], lambda w: [
        (reverse("diaspora:association_detail", kwargs={"pk": w.objects["association"].pk}), "anonymous"),
        (reverse("diaspora:association_list"), "anonymous"),
    ]),
]  # fmt: skip


def _text_fields(model, names) -> list[models.Field]:
    out = []
    for name in names:
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: BLE001, S112 - a form-only field (a picker, a file) is not stored text
            continue
        is_text = isinstance(field, models.CharField | models.TextField)
        if is_text and not field.choices and not isinstance(field, models.EmailField | models.URLField):
            out.append(field)
    return out


def _poison(obj, fields) -> None:
    values = {f.name: payload(i, f.max_length or 10_000) for i, f in enumerate(fields)}
    type(obj).objects.filter(pk=obj.pk).update(**{k: v for k, v in values.items() if len(v) <= (
        next(f for f in fields if f.name == k).max_length or 10_000)})  # fmt: skip


@pytest.mark.parametrize(
    ("key", "source", "pages"), XSS, ids=[f"{k}-{getattr(s, '__name__', 'fields')}" for k, s, _ in XSS]
)
def test_script_in_every_text_field_comes_back_escaped(key, source, pages, world, clients):
    obj = world.objects[key]
    names = list(source.base_fields) if hasattr(source, "base_fields") else source
    fields = _text_fields(type(obj), names)
    assert fields, f"{key}: no free-text field to poison"
    _poison(obj, fields)
    shown = 0
    for url, persona in pages(world):
        response = clients[persona].get(url)
        assert response.status_code == 200, (url, persona)
        body = body_of(response)
        assert not RAW.search(body), (url, persona, RAW.search(body).group(0))
        shown += body.count(ESCAPED)
    assert shown > 0, f"{key}: no page showed the poisoned fields (escaped): the test would prove nothing"


SQLISH = ["' OR '1'='1", "1; DROP TABLE regions_region;--", "' UNION SELECT NULL,NULL--", "%%%_\\'--"]
COMMON_PARAMETERS = ("q", "search", "status", "region", "sector", "page", "ordering", "per_page", "skill", "province")


def _get_parameters(html: str) -> set[str]:
    names = set()
    for form in forms_of(html):
        if form["method"] == "get":
            names |= {name for name, *_ in form["data"]}
    return names


def test_sql_in_search_and_filters_never_fails(world, clients):
    """Every page that captures nothing, with its own GET forms' parameters and the common ones,
    as the persona who may see it: each SQL-looking value answers 200 or 400."""
    failures = []
    pages = 0
    for route in HTML_ROUTES:
        if route.kwargs or route.is_admin or route.name in ("logout", "set_language", "healthz"):
            continue
        url = reverse(route.name)
        for persona in ("official_a", "member_a", "anonymous"):
            first = clients[persona].get(url)
            if first.status_code != 200 or "html" not in first.get("Content-Type", ""):
                continue  # the next persona may see it
            pages += 1
            names = _get_parameters(first.content.decode()) | set(COMMON_PARAMETERS)
            for value in SQLISH:
                response = clients[persona].get(url, dict.fromkeys(names, value))
                if response.status_code not in (200, 400):
                    failures.append((persona, url, value, response.status_code))
            break  # one persona per page
    assert failures == [], "\n".join(map(str, failures))
    assert pages >= 20


SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml"


def test_sql_in_api_filters_never_fails(world, clients):
    """Every list operation of the API, with every query parameter its schema documents."""
    schema = yaml.safe_load(SCHEMA.read_text())
    failures = []
    operations = 0
    for path, item in schema["paths"].items():
        get = item.get("get")
        if not get or "{" in path:
            continue
        names = [p["name"] for p in get.get("parameters", []) if p.get("in") == "query"]
        operations += 1
        for value in SQLISH:
            response = clients["official_a"].get(path, dict.fromkeys(names, value))
            # 404: DRF's answer to a page number or cursor that does not exist
            if response.status_code not in (200, 400, 401, 403, 404):
                failures.append((path, value, response.status_code))
    assert failures == [], "\n".join(map(str, failures))
    assert operations >= 15
