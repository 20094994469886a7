"""The scoring model's knobs, in one place (docs/matching.md explains each).

Projects override any of them with `JUSUR_MATCHING = {...}` in settings; this module is
read by the Django side, which hands a plain `MatchingConf` to the pure engine.
"""

from dataclasses import dataclass, field, replace

DEFAULTS: dict = {
    # Weight of each part of the score (normalised by their sum, so the score stays in [0, 1]).
    "weights": {"skills": 0.55, "languages": 0.10, "availability": 0.10, "experience": 0.10, "region": 0.15},
    # An essential required skill weighs this many times its own weight.
    "essential_multiplier": 2.0,
    # Credit kept when the expert's level is below the need's minimum level.
    "below_level_factor": 0.5,
    # Partial credit when the expert holds a narrower concept (more specific) than the one
    # required, 1 and 2 steps down the ESCO hierarchy; and a broader (more general) one.
    "narrower_credit": (0.75, 0.5),
    "broader_credit": (0.5, 0.25),
    # Regional tie: born in the need's province, or in its region.
    "province_tie": 1.0,
    "region_tie": 0.6,
    # Years on an exactly matched skill that count as full experience.
    "years_full": 10.0,
    # Suggestions kept per need.
    "top_k": 20,
    # --- investor ↔ opportunity matching (matching/investment.py, docs/matching.md §7) ---
    "investment_weights": {"sector": 0.35, "place": 0.30, "amount": 0.20, "stage": 0.15},
    # Same ISIC section; same two-digit division on top of it.
    "sector_section_credit": 0.8,
    "sector_division_credit": 1.0,
    # Place: the project's own target, then the investor's origin ties.
    "place_province": 1.0,
    "place_region": 0.7,
    "origin_province": 0.6,
    "origin_region": 0.4,
    # Amount outside the opportunity's range: credit falls linearly with the distance in
    # orders of magnitude (log10) to the nearest bound, to 0 at this many decades.
    "amount_decades": 1.0,
    # How ready a project at each stage is to take up an opportunity.
    "stage_fit": {"idea": 0.4, "business_plan": 0.8, "financing": 1.0, "setting_up": 1.0, "operating": 0.6},
    # Suggestions kept per opportunity and per project.
    "investment_top_k": 10,
}


@dataclass(frozen=True)
class MatchingConf:
    weights: dict = field(default_factory=lambda: dict(DEFAULTS["weights"]))
    essential_multiplier: float = DEFAULTS["essential_multiplier"]
    below_level_factor: float = DEFAULTS["below_level_factor"]
    narrower_credit: tuple = DEFAULTS["narrower_credit"]
    broader_credit: tuple = DEFAULTS["broader_credit"]
    province_tie: float = DEFAULTS["province_tie"]
    region_tie: float = DEFAULTS["region_tie"]
    years_full: float = DEFAULTS["years_full"]
    top_k: int = DEFAULTS["top_k"]
    investment_weights: dict = field(default_factory=lambda: dict(DEFAULTS["investment_weights"]))
    sector_section_credit: float = DEFAULTS["sector_section_credit"]
    sector_division_credit: float = DEFAULTS["sector_division_credit"]
    place_province: float = DEFAULTS["place_province"]
    place_region: float = DEFAULTS["place_region"]
    origin_province: float = DEFAULTS["origin_province"]
    origin_region: float = DEFAULTS["origin_region"]
    amount_decades: float = DEFAULTS["amount_decades"]
    stage_fit: dict = field(default_factory=lambda: dict(DEFAULTS["stage_fit"]))
    investment_top_k: int = DEFAULTS["investment_top_k"]

    def with_overrides(self, overrides: dict) -> "MatchingConf":
        overrides = dict(overrides)
        for name in ("weights", "investment_weights", "stage_fit"):
            if name in overrides:
                overrides[name] = {**getattr(self, name), **overrides[name]}
        return replace(self, **overrides)


def matching_conf() -> MatchingConf:
    """The model as configured in Django settings (`JUSUR_MATCHING`), defaults otherwise."""
    from django.conf import settings

    return MatchingConf().with_overrides(getattr(settings, "JUSUR_MATCHING", {}))
