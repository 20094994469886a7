"""Reference labels (regions, skills, sectors) are stored in ar, fr and en; pick the right one."""

from django.utils.translation import get_language

# Arabic falls back to French, then English: ESCO publishes no Arabic in the packs we have.
FALLBACKS = {"ar": ["ar", "fr", "en"], "fr": ["fr", "en", "ar"], "en": ["en", "fr", "ar"]}


def current_language() -> str:
    return (get_language() or "fr").split("-")[0]


def pick(values: dict[str, str], language: str | None = None) -> str:
    """The best label in `values` ({lang: text}) for `language` (default: the active one)."""
    language = language or current_language()
    for candidate in FALLBACKS.get(language, [language, "fr", "en", "ar"]):
        if values.get(candidate):
            return values[candidate]
    return next((text for text in values.values() if text), "")


class LocalizedNameMixin:
    """For models with name_ar / name_fr / name_en columns: `obj.name` in the active language."""

    @property
    def name(self) -> str:
        return pick({"ar": self.name_ar, "fr": self.name_fr, "en": getattr(self, "name_en", "")})
