"""The member's profile, edited in steps (about, skills, offer, background), and its CV."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.body_limits import accepts_upload
from regions.models import Commune
from taxonomy.enums import ConceptType
from taxonomy.selectors import skill_search

from .. import services
from ..forms import (
    ConsentForm,
    EducationRows,
    ExperienceRows,
    LanguageRows,
    ProfileAboutForm,
    ProfileOfferForm,
    ProfileSectorsForm,
    SkillRowForm,
    SkillRows,
)
from ..models import CV_MAX_MB
from ..selectors import own_profile_get

STEPS = ["about", "skills", "offer", "background"]


@login_required
def profile_detail(request):
    profile = own_profile_get(user=request.user)
    if profile is None:
        return redirect("diaspora:profile_edit", step="about")
    return render(request, "diaspora/profile_detail.html", {"profile": profile, "steps": STEPS})


def _step_context(step: str, **extra) -> dict:
    index = STEPS.index(step)
    return {
        "step": step,
        "steps": STEPS,
        "step_number": index + 1,
        "step_count": len(STEPS),
        "previous_step": STEPS[index - 1] if index else None,
        **extra,
    }


def _next(request, step: str):
    messages.success(request, _("Saved."))
    if "save_and_stay" in request.POST:
        return redirect("diaspora:profile_edit", step=step)
    index = STEPS.index(step)
    if index + 1 < len(STEPS):
        return redirect("diaspora:profile_edit", step=STEPS[index + 1])
    return redirect("diaspora:consent")


@login_required
@accepts_upload(max_mb=CV_MAX_MB)  # the offer step carries the CV
def profile_edit(request, step):
    if step not in STEPS:
        raise Http404
    profile = own_profile_get(user=request.user)
    if profile is None and step != "about":
        return redirect("diaspora:profile_edit", step="about")
    handler = {"about": _step_about, "skills": _step_skills, "offer": _step_offer, "background": _step_background}[step]
    return handler(request, profile)


def _render_step(request, step, status=200, **context):
    context = _step_context(step, has_errors=status == 400, **context)
    return render(request, f"diaspora/profile_step_{step}.html", context, status=status)


def _step_about(request, profile):
    form = ProfileAboutForm(request.POST or None, instance=profile)
    if request.method == "POST":
        if form.is_valid():
            services.profile_save(user=request.user, data=form.to_input())
            return _next(request, "about")
        return _render_step(request, "about", status=400, form=form)
    if profile is None:
        form.initial.setdefault("display_name", request.user.full_name)
    return _render_step(request, "about", form=form)


def _step_skills(request, profile):
    if request.method == "POST":
        sectors = ProfileSectorsForm(request.POST)
        skills = SkillRows(request.POST, prefix="skills")
        languages = LanguageRows(request.POST, prefix="languages")
        if sectors.is_valid() and skills.is_valid() and languages.is_valid():
            kept = [f.cleaned_data for f in skills.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            kept_langs = [
                f.cleaned_data for f in languages.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            with transaction.atomic():
                services.profile_sectors_set(profile=profile, sectors=sectors.cleaned_data["sectors"])
                services.profile_skills_set(
                    profile=profile,
                    skills=[(r["skill_obj"].pk, r["level"], r["years"]) for r in kept if r.get("skill_obj")],
                )
                services.profile_languages_set(
                    profile=profile, languages=[(r["language"], r["level"]) for r in kept_langs if r.get("language")]
                )
            return _next(request, "skills")
        status = 400
    else:
        status = 200
        sectors = ProfileSectorsForm(initial={"sectors": list(profile.sectors.all())})
        skills = SkillRows(
            prefix="skills",
            initial=[
                SkillRowForm.initial_for(s.skill) | {"level": s.level, "years": s.years} for s in profile.skills.all()
            ],
        )
        languages = LanguageRows(
            prefix="languages",
            initial=[{"language": lang.language, "level": lang.level} for lang in profile.languages.all()],
        )
    return _render_step(
        request,
        "skills",
        status=status,
        sectors_form=sectors,
        skill_rows=skills,
        language_rows=languages,
        profile=profile,
    )


def _step_offer(request, profile):
    initial = {"formats": [f.format for f in profile.formats.all()]}
    form = ProfileOfferForm(request.POST or None, request.FILES or None, instance=profile, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                profile = services.profile_offer_save(
                    profile=profile, data=form.to_input(), formats=form.cleaned_data["formats"]
                )
                if form.cleaned_data.get("cv_upload"):
                    services.profile_cv_set(profile=profile, upload=form.cleaned_data["cv_upload"])
                elif form.cleaned_data.get("remove_cv"):
                    services.profile_cv_remove(profile=profile)
            return _next(request, "offer")
        return _render_step(request, "offer", status=400, form=form, profile=profile)
    return _render_step(request, "offer", form=form, profile=profile)


def _step_background(request, profile):
    if request.method == "POST":
        experiences = ExperienceRows(request.POST, prefix="experience")
        education = EducationRows(request.POST, prefix="education")
        if experiences.is_valid() and education.is_valid():

            def rows(formset, required):
                return [
                    {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
                    for f in formset.forms
                    if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get(required)
                ]

            services.profile_background_set(
                profile=profile, experiences=rows(experiences, "title"), education=rows(education, "degree")
            )
            return _next(request, "background")
        status = 400
    else:
        status = 200
        experiences = ExperienceRows(
            prefix="experience",
            initial=[
                {
                    "title": e.title,
                    "organisation": e.organisation,
                    "start_year": e.start_year,
                    "end_year": e.end_year,
                    "description": e.description,
                }
                for e in profile.experiences.all()
            ],
        )
        education = EducationRows(
            prefix="education",
            initial=[
                {"degree": e.degree, "institution": e.institution, "field": e.field, "year": e.year}
                for e in profile.education.all()
            ],
        )
    return _render_step(request, "background", status=status, experience_rows=experiences, education_rows=education)


@login_required
@require_POST
def profile_confirm(request):
    profile = own_profile_get(user=request.user)
    if profile is None:
        raise Http404
    services.profile_confirm(profile=profile)
    messages.success(request, _("Thank you: your profile is confirmed for twelve more months."))
    return redirect("diaspora:profile_detail")


@login_required
def consent(request):
    profile = own_profile_get(user=request.user)
    if profile is None:
        messages.info(request, _("Create your profile first."))
        return redirect("diaspora:profile_edit", step="about")
    form = ConsentForm(request.POST or None, profile=profile)
    if request.method == "POST" and form.is_valid():
        services.consent_set(profile=profile, choices=form.cleaned_data)
        messages.success(request, _("Your choices are recorded."))
        return redirect("diaspora:profile_detail")
    records = request.user.consent_records.all()[:20]
    return render(request, "diaspora/consent_form.html", {"form": form, "records": records})


@require_GET
def commune_options(request):
    """Communes of one province, for the origin step's commune list (public reference data)."""
    try:
        province_id = int(request.GET.get("province", ""))
    except ValueError:
        return JsonResponse({"results": []})
    communes = Commune.objects.filter(province_id=province_id).order_by("code")
    return JsonResponse({"results": [{"id": c.pk, "label": c.name} for c in communes]})


@require_GET
def skill_autocomplete(request):
    """Skills for the autocomplete: [{"id", "label"}] in the page's language (public data);
    `kind=skill` leaves out skill groups (a need asks for concrete skills)."""
    query = request.GET.get("q", "")[:200]
    kind = request.GET.get("kind")
    skills = skill_search(query=query, limit=12, concept_type=kind if kind in ConceptType.values else None)
    return JsonResponse({"results": [{"id": s.pk, "label": s.label} for s in skills]})
