"""The open-data data dictionary and licence: what each column means (translated)."""

from django.utils.translation import gettext_lazy as _

LICENCE_NAME = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"

COLUMNS = {
    "origin_region": _("HCP code of the region of origin the expert declared (01–12)."),
    "region": _("HCP code of the region (01–12)."),
    "sector": _("ISIC Rev.4 section (A–U) the expert works in; an expert may name several; _none: no sector given."),
    "country_of_residence": _("ISO 3166-1 alpha-2 code of the country the expert lives in."),
    "axis_kind": _("Kind of roadmap axis the need belongs to."),
    "status": _("Status of the need (open, in_progress, fulfilled, closed, expired)."),
    "stage": _("Stage of the matching funnel: suggested, invited, accepted, completed."),
    "pipeline_stage": _("Stage of the diaspora investment project in the shared pipeline."),
    "count": _(
        "Number, rounded to the nearest 5; 0 or at least 10. Empty: hidden, because it is below 10 or "
        "would let a hidden number be worked out from the totals."
    ),
}
TOTAL_NOTE = _("The value _total in a dimension column marks a total over that dimension.")
POPULATION_NOTE = _(
    "Experts are counted only if they consent to anonymous statistics and their profile is active; "
    "people who withdrew that consent are not counted."
)
