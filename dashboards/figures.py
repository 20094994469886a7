"""Cached aggregates (codes and ids) → labelled charts in the active language."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_countries import countries

from portal.enums import EngagementFormat, Language
from portal.i18n import pick
from projects.enums import ProjectStatus
from regions import indicators
from regions.enums import FollowUpStatus, MeetingStatus, NeedStatus

from .charts import Chart
from .selectors import reference_labels


def _label(enum, code) -> str:
    try:
        return str(enum(code).label)
    except ValueError:
        return str(code)


def _sector(labels: dict, pk) -> str:
    if pk is None:
        return _("No sector given")
    entry = labels["sectors"].get(pk)
    return f"{entry['code']} – {pick(entry)}" if entry else str(pk)


def region_charts(data: dict) -> list[Chart]:
    """The charts of a regional dashboard, in display order."""
    diaspora, roadmap, funnel = data["diaspora"], data["roadmap"], data["funnel"]
    labels = reference_labels(
        sectors=[pk for pk, _n in diaspora["by_sector"]] + [row[0] for row in data["investment"]["by_sector"]],
        groups=[pk for pk, _n in diaspora["by_group"]],
    )
    investment, consultation = data["investment"], data["consultation"]
    experts = _("Experts")
    charts = [
        Chart(
            "experts-by-sector",
            _("Experts by sector"),
            [_("Sector"), experts],
            [[_sector(labels, pk), n] for pk, n in diaspora["by_sector"]],
        ),
        Chart(
            "experts-by-skill-group",
            _("Experts by skill group"),
            [_("Skill group"), experts],
            [[pick(labels["groups"].get(pk, {})) if pk else _("Other skills"), n] for pk, n in diaspora["by_group"]],
        ),
        Chart(
            "experts-by-country",
            _("Experts by country of residence"),
            [_("Country of residence"), experts],
            [[str(countries.name(code)) or code, n] for code, n in diaspora["by_country"]],
        ),
        Chart(
            "experts-by-language",
            _("Experts by language"),
            [_("Language"), experts],
            [[_label(Language, code), n] for code, n in diaspora["by_language"]],
        ),
        Chart(
            "experts-by-format",
            _("Experts by engagement format offered"),
            [_("Engagement format"), experts],
            [[_label(EngagementFormat, code), n] for code, n in diaspora["by_format"]],
        ),
        Chart(
            "registrations",
            _("Registrations per month"),
            [_("Month"), _("New experts")],
            [[month, n] for month, n in diaspora["trend"]],
            kind="columns",
        ),
    ]
    statuses = [s for s in NeedStatus.values if s != NeedStatus.DRAFT]
    charts.append(
        Chart(
            "needs-by-axis-status",
            _("Roadmap needs by axis and status"),
            [_("Axis"), *[_label(NeedStatus, s) for s in statuses]],
            [[title, *[counts.get(s, 0) for s in statuses]] for _axis, title, counts in roadmap["by_axis_status"]],
            kind="stacked",
        )
    )
    stages = [
        (_("Suggested"), funnel["suggested"]),
        # The member's side (issue 18); .get: an entry cached before these counts existed.
        (_("Viewed by the expert"), funnel.get("viewed", 0)),
        (_("“I can help”"), funnel.get("helped", 0)),
        (_("“Not for me”"), funnel.get("set_aside", 0)),
        (_("Invited"), funnel["invited"]),
        (_("Accepted"), funnel["accepted"]),
        (_("Completed"), funnel["completed"]),
    ]
    # Both answers of the member convert from "viewed"; invitations from "suggested" (an official
    # invites whomever the ranking shows, seen by the expert or not).
    bases = {3: 1, 4: 0}
    funnel_rows = []
    for i, (label, n) in enumerate(stages):
        base = stages[bases.get(i, i - 1)][1] if i else None
        funnel_rows.append([label, n, (n / base) if base else None])
    charts.append(
        Chart(
            "funnel",
            _("Matching funnel"),
            [_("Stage"), _("Candidates"), _("Conversion from the previous stage")],
            funnel_rows,
            formats=["text", "int", "pct"],
        )
    )
    charts.append(
        Chart(
            "projects-by-stage",
            _("Investment projects by pipeline stage"),
            [_("Stage"), _("Projects"), _("Amount (MAD)")],
            [[_label(ProjectStatus, code), n, amount] for code, n, amount in investment["by_status"]],
            formats=["text", "int", "mad"],
        )
    )
    charts.append(
        Chart(
            "projects-by-sector",
            _("Investment by sector"),
            [_("Sector"), _("Projects"), _("Amount (MAD)")],
            [[_sector(labels, pk), n, amount] for pk, n, amount in investment["by_sector"]],
            value_index=2,
            formats=["text", "int", "mad"],
        )
    )
    charts.append(
        Chart(
            "meetings",
            _("Consultation meetings by status"),
            [_("Status"), _("Meetings")],
            [[_label(MeetingStatus, code), n] for code, n in consultation["meetings"]],
        )
    )
    charts.append(
        Chart(
            "decisions",
            _("Decisions by follow-up status"),
            [_("Follow-up"), _("Decisions")],
            [[_label(FollowUpStatus, code), n] for code, n in consultation["decisions"]],
        )
    )
    return charts


def chart_by_slug(charts: list[Chart], slug: str) -> Chart | None:
    return next((c for c in charts if c.slug == slug), None)


def national_chart(overview: dict) -> Chart:
    rows = [
        [
            pick({"ar": r["name_ar"], "fr": r["name_fr"], "en": r["name_en"]}),
            r["experts"],
            r["open_needs"],
            r["coverage"],
            r["invited"],
            r["accepted"],
            r["completed"],
            r["projects"],
            r["amount"],
            r["meetings_held"],
        ]
        for r in overview["regions"]
    ]
    return Chart(
        "regions",
        _("The 12 regions side by side"),
        [
            _("Region"),
            _("Experts"),
            _("Open needs"),
            _("Coverage"),
            _("Invited"),
            _("Accepted"),
            _("Completed"),
            _("Projects"),
            _("Amount (MAD)"),
            _("Meetings held"),
        ],
        rows,
        formats=["text", "int", "int", "pct", "int", "int", "int", "int", "mad", "int"],
    )


def _indicator_cell(figure: dict | None) -> dict | None:
    if figure is None:
        return None
    return {
        "value": indicators.value_with_unit(figure["value"], figure["unit"]),
        "year": figure["year"],
        "source": indicators.source_label(figure["source"]),
        "status": indicators.status_label(figure["status"]),
    }


def indicator_rows(data: dict) -> list[dict]:
    """The migration indicators of a dashboard, labelled in the active language (the cache
    holds their keys, codes and raw values only)."""
    return [
        {
            "label": indicators.indicator_label(row["key"]),
            "regional": _indicator_cell(row["regional"]),
            "national": _indicator_cell(row["national"]),
        }
        for row in data["indicators"]
    ]


# The map's colour scale: regions without experts, then four equal steps up to the largest.
MAP_STEPS = 4
MAP_OPACITY = [0.06, 0.3, 0.5, 0.7, 0.92]


def _map_steps(peak: int) -> list[tuple[int, int]]:
    """[(low, high)] of each step above zero, in whole experts: 1–25, 26–50, … for a peak of 100."""
    if peak <= 0:
        return []
    bounds = [round(peak * k / MAP_STEPS) for k in range(MAP_STEPS + 1)]
    steps, low = [], 1
    for high in bounds[1:]:
        if high >= low:
            steps.append((low, high))
            low = high + 1
    return steps


def national_map(overview: dict, shapes: list[dict]) -> dict:
    """The map of the national view: each region's outline, localised name and colour step,
    and the legend of the colour scale (the same steps)."""
    by_id = {r["pk"]: r for r in overview["regions"]}
    peak = max((r["experts"] for r in overview["regions"]), default=0)
    steps = _map_steps(peak)

    def step_of(n: int) -> int:
        return next((k + 1 for k, (low, high) in enumerate(steps) if low <= n <= high), 0)

    regions = []
    for shape in sorted(shapes, key=lambda s: s["region__code"]):
        row = by_id.get(shape["region_id"])
        if row is None:
            continue
        step = step_of(row["experts"])
        regions.append(
            {
                **shape,
                "region": row,
                "name": pick({"ar": row["name_ar"], "fr": row["name_fr"], "en": row["name_en"]}),
                "step": step,
                "opacity": MAP_OPACITY[step],
            }
        )
    legend = [{"step": 0, "opacity": MAP_OPACITY[0], "low": 0, "high": 0}] + [
        {"step": k + 1, "opacity": MAP_OPACITY[k + 1], "low": low, "high": high} for k, (low, high) in enumerate(steps)
    ]
    return {"regions": regions, "legend": legend, "view_box": shapes[0]["view_box"] if shapes else ""}
