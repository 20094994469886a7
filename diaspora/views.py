import contextlib
import io
import json
import os
import zipfile

from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.body_limits import accepts_upload
from portal.downloads import attachment
from portal.i18n import current_language
from portal.privacy import personal_data_export
from portal.security import login_username
from regions.models import Commune
from taxonomy.enums import ConceptType
from taxonomy.selectors import skill_search

from . import services
from .access_log import profile_read_list, profile_reads_record
from .enums import ReadCategory, ReadPurpose
from .forms import (
    ConsentForm,
    DeleteAccountForm,
    EducationRows,
    EmailAuthenticationForm,
    ExperienceRows,
    LanguageRows,
    NotifyingPasswordResetForm,
    ProfileAboutForm,
    ProfileOfferForm,
    ProfileSectorsForm,
    ResendVerificationForm,
    SignUpForm,
    SkillRowForm,
    SkillRows,
)
from .models import CV_MAX_MB, Association, EmailVerification
from .selectors import association_get, association_list, can_browse_experts, expert_list, own_profile_get

STEPS = ["about", "skills", "offer", "background"]


# --- Accounts --------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    authentication_form = EmailAuthenticationForm
    template_name = "registration/login.html"


def signup(request):
    if request.user.is_authenticated:
        return redirect("diaspora:profile_detail")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The same answer whether the address is new or already has an account (whose owner
        # is e-mailed instead), even when another request registered it a moment ago.
        with contextlib.suppress(IntegrityError):
            services.account_register(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                full_name=form.cleaned_data["full_name"],
                language=current_language(),
            )
        return redirect("diaspora:signup_done")
    return render(request, "registration/signup.html", {"form": form})


def signup_done(request):
    return render(request, "registration/signup_done.html")


def verify_email(request, token):
    user = services.account_verify(token=token)
    if user is None:
        return render(request, "registration/verify_failed.html", {"form": ResendVerificationForm()}, status=400)
    messages.success(request, _("Your e-mail address is confirmed. You can sign in."))
    return redirect("login")


def verification_resend(request):
    form = ResendVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pending = EmailVerification.objects.filter(
            user__email__iexact=form.cleaned_data["email"], user__is_active=True, verified_at__isnull=True
        ).select_related("user")
        for row in pending:
            services.account_verification_send(user=row.user)
        # The same answer whether or not the address exists: no account enumeration.
        return redirect("diaspora:signup_done")
    return render(request, "registration/verify_resend.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    form_class = NotifyingPasswordResetForm
    template_name = "diaspora/password_reset_form.html"
    success_url = reverse_lazy("diaspora:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "diaspora/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "diaspora/password_reset_confirm.html"
    success_url = reverse_lazy("diaspora:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.account_mark_verified(user=form.user)  # following the link proved the address
        # Whoever locked the account by guessing cannot keep its owner out: a reset lifts the lock.
        axes_reset(username=login_username(self.request, {"username": form.user.email}))
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "diaspora/password_reset_complete.html"


# --- Profile ---------------------------------------------------------------------------


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


# --- Privacy centre --------------------------------------------------------------------


@login_required
def privacy_centre(request):
    return render(request, "diaspora/privacy_centre.html", {"profile": own_profile_get(user=request.user)})


@login_required
def privacy_reads(request):
    """Who saw my profile: the member's own read log, never anyone else's (no id in the URL)."""
    page = Paginator(profile_read_list(user=request.user), 50).get_page(request.GET.get("page", 1))
    return render(request, "diaspora/privacy_reads.html", {"page_obj": page, "reads": page.object_list})


@login_required
def privacy_export(request):
    """One ZIP: data.json (every registered model's rows about the user) and the CV."""
    data = personal_data_export(request.user)
    files = data.pop("files")
    payload = {
        "generated_at": timezone.now(),
        "user_id": request.user.pk,
        **data,
        "files": [{"model": f["model"], "field": f["field"], "name": f["name"]} for f in files],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        for index, f in enumerate(files, start=1):
            with f["storage"].open("rb") as handle:
                extension = os.path.splitext(f["name"])[1]
                archive.writestr(f"files/{index}-{f['field']}{extension}", handle.read())
    return attachment(buffer.getvalue(), filename="jusur-my-data.zip", content_type="application/zip", private=True)


@login_required
def account_delete(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        try:
            services.account_erase(user=user)
        except ValidationError as error:  # another app refuses (e.g. an official owning needs)
            form.add_error(None, error)
        else:
            logout(request)
            messages.success(request, _("Your account and your data have been erased."))
            return redirect(f"/{translation.get_language()}/")
    return render(request, "diaspora/account_delete.html", {"form": form}, status=400 if form.errors else 200)


# --- Associations ----------------------------------------------------------------------


def association_list_view(request):
    associations = list(association_list())
    mine = set()
    if request.user.is_authenticated:
        mine = set(request.user.association_memberships.values_list("association_id", flat=True))
    return render(request, "diaspora/association_list.html", {"associations": associations, "mine": mine})


def association_detail(request, pk):
    try:
        association = association_get(pk=pk)
    except Association.DoesNotExist as exc:
        raise Http404 from exc
    is_member = request.user.is_authenticated and association.memberships.filter(user=request.user).exists()
    return render(request, "diaspora/association_detail.html", {"association": association, "is_member": is_member})


@login_required
@require_POST
def association_membership(request, pk, action):
    try:
        association = Association.objects.listed().get(pk=pk)
    except Association.DoesNotExist as exc:
        raise Http404 from exc
    if action == "join":
        services.association_join(association=association, user=request.user)
        messages.success(request, _("You joined this association."))
    else:
        services.association_leave(association=association, user=request.user)
        messages.success(request, _("You left this association."))
    return redirect(association.get_absolute_url())


# --- Officials -------------------------------------------------------------------------


@login_required
def expert_list_view(request):
    if not can_browse_experts(request.user):
        raise PermissionDenied
    per_page = 50 if request.GET.get("per_page") == "50" else 25
    filters = request.GET.copy()
    skill_query = filters.get("skill_query", "")[:200]
    if skill_query and not filters.get("skill_id"):
        # Typed without picking a suggestion (or without JavaScript): take the best match.
        found = skill_search(query=skill_query, limit=1)
        filters["skill_id"] = str(found[0].pk) if found else "0"
    page, filterset = expert_list(
        user=request.user, filters=filters, page=request.GET.get("page", 1), per_page=per_page
    )
    profile_reads_record(
        reader=request.user,
        reads=[(card.id, ReadCategory.PROFILE) for card in page.object_list],
        purpose=ReadPurpose.EXPERT_SEARCH,
    )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("skill_query", None)
    return render(
        request,
        "diaspora/expert_list.html",
        {
            "page_obj": page,
            "filter": filterset,
            "query_string": query.urlencode(),
            "skill_query": skill_query,
        },
    )
