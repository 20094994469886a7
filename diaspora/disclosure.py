"""What the partner API discloses of an expert's quasi-identifiers, coarsened.

Country of residence, region of origin and skills with exact years made every one of the 126
experts visible to partners in the demo data unique: with a stable pseudonym, a partner could
match them against a CV or a professional profile elsewhere. The rules, and the measurements
behind them, are in docs/decisions/0007-partner-pseudonyms-and-quasi-identifiers.md:

- years of experience are published in bands (YEAR_BANDS), never exactly;
- the place is generalised along one ladder, over the whole population partners can reach:
  (country, region of origin) when at least K experts share that pair, else the country alone
  when at least K share the country, else nothing. The region is never published without the
  country, so a partner cannot combine two separately safe values into a rare pair;
- the API's place filters select on the published values only (filter_by_country /
  filter_by_origin_region): a filter must not reveal what the output hides.

The counts behind the ladder take one grouped query, cached for CACHE_SECONDS and dropped when
an expert grants or withdraws partner sharing; other changes (a move, a deactivation) reach the
rule within CACHE_SECONDS. The rows themselves are always read live.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, QuerySet

from .models import ExpertProfile

K = 5
CACHE_KEY = "diaspora.partner-places.v1"
CACHE_SECONDS = 300
# (lowest, highest or None, label): contiguous, from 0.
YEAR_BANDS = ((0, 2, "0-2"), (3, 5, "3-5"), (6, 10, "6-10"), (11, 20, "11-20"), (21, None, "21+"))
YEAR_BAND_LABELS = tuple(label for _low, _high, label in YEAR_BANDS)


def years_band(years: int) -> str:
    for low, high, label in YEAR_BANDS:
        if years >= low and (high is None or years <= high):
            return label
    return YEAR_BANDS[0][2]  # negative years cannot be stored (PositiveSmallIntegerField)


@dataclass(frozen=True)
class PublishedPlaces:
    countries: frozenset[str]  # shared by at least K experts
    pairs: frozenset[tuple[str, str]]  # (country, region code) shared by at least K experts

    def place(self, country: str, region_code: str | None) -> tuple[str | None, str | None]:
        """(country, region code) as published: each None when withheld."""
        if region_code and (country, region_code) in self.pairs:
            return country, region_code
        if country in self.countries:
            return country, None
        return None, None


def places_from_counts(counts: dict[tuple[str, str | None], int], *, k: int = K) -> PublishedPlaces:
    """The ladder's thresholds applied to head counts per (country, region code)."""
    by_country: Counter[str] = Counter()
    for (country, _region), number in counts.items():
        by_country[country] += number
    return PublishedPlaces(
        countries=frozenset(c for c, n in by_country.items() if n >= k),
        pairs=frozenset((c, r) for (c, r), n in counts.items() if r and n >= k),
    )


def published_places() -> PublishedPlaces:
    """The places partners may see, computed over every expert they can reach (cached)."""
    cached = cache.get(CACHE_KEY)
    if cached is not None:
        return PublishedPlaces(frozenset(cached[0]), frozenset(tuple(p) for p in cached[1]))
    rows = (
        ExpertProfile.objects.for_partners()
        .order_by()
        .values_list("country_of_residence", "origin_region__code")
        .annotate(n=Count("pk"))
    )
    places = places_from_counts({(str(country), region): n for country, region, n in rows})
    cache.set(CACHE_KEY, (sorted(places.countries), sorted(places.pairs)), CACHE_SECONDS)
    return places


def forget_published_places() -> None:
    """Drop the cached counts (diaspora.services.consent_set, when partner sharing changes)."""
    cache.delete(CACHE_KEY)


def generalise_rows(rows: list[dict], places: PublishedPlaces | None = None) -> list[dict]:
    """Coarsen partner rows in place: the published place, and years as bands."""
    places = places or published_places()
    for row in rows:
        country, region = places.place(str(row["country_of_residence"]), row["origin_region__code"])
        row["country_of_residence"], row["origin_region__code"] = country, region
        for skill in row.get("skills", ()):
            skill["years_band"] = years_band(skill.pop("years"))
    return rows


def filter_by_country(queryset: QuerySet, country: str) -> QuerySet:
    """Experts whose *published* country is `country`."""
    if country not in published_places().countries:
        return queryset.none()
    return queryset.filter(country_of_residence=country)


def filter_by_origin_region(queryset: QuerySet, region) -> QuerySet:
    """Experts whose *published* region of origin is `region` (published only with the country)."""
    countries = sorted(c for c, r in published_places().pairs if r == region.code)
    return queryset.filter(origin_region=region, country_of_residence__in=countries)
