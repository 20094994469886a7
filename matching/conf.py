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

    def with_overrides(self, overrides: dict) -> "MatchingConf":
        overrides = dict(overrides)
        if "weights" in overrides:
            overrides["weights"] = {**self.weights, **overrides["weights"]}
        return replace(self, **overrides)


def matching_conf() -> MatchingConf:
    """The model as configured in Django settings (`JUSUR_MATCHING`), defaults otherwise."""
    from django.conf import settings

    return MatchingConf().with_overrides(getattr(settings, "JUSUR_MATCHING", {}))
