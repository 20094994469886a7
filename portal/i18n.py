"""Reference labels (regions, skills, sectors) are stored in ar, fr and en; pick the right one."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
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


# The API is read by programs and documented in English: it answers in the language its caller
# asks for in Accept-Language and in English otherwise. The session's language and the language
# cookie belong to the pages (a partner's script sharing a browser's cookies must not get French
# error messages because someone last browsed /fr/).
API_PREFIX = "/api/"
API_DEFAULT_LANGUAGE = "en"


def accept_language(request) -> str | None:
    """The first language of the request's Accept-Language the portal speaks, or None."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in translation.trans_real.parse_accept_lang_header(header):
        if code == "*":
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


def request_language(request) -> str:
    """The language a response to `request` is written in: the API's rule under /api/, Django's
    (address prefix, cookie, Accept-Language, LANGUAGE_CODE) everywhere else."""
    if request.path_info.startswith(API_PREFIX):
        return accept_language(request) or API_DEFAULT_LANGUAGE
    return translation.get_language_from_path(request.path_info) or translation.get_language_from_request(request)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, plus the API's language rule (`request_language`)."""

    def process_request(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return super().process_request(request)
        translation.activate(request_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        return None


def active_language() -> str:
    """The active language as one of the portal's codes: the default of the language recorded
    with a text a person writes (they write in the language they are reading the site in)."""
    language = current_language()
    return language if language in {code for code, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE
