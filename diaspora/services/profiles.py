"""Expert profiles: what a member edits (declared once, as inputs), skills, languages, formats,
background, CV. Whatever changes what matching sees emits `expert.changed` in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from portal.events import ExpertChanged, emit
from portal.inputs import UNSET, ServiceInput

from ..models import Education, ExpertFormat, ExpertLanguage, ExpertProfile, ExpertSkill, WorkExperience, cv_pdf

if TYPE_CHECKING:
    from regions.models import Commune, Province, Region


# The fields of ExpertProfile a member edits (the rest is system state), declared once, in the
# two steps of the profile form that show them: forms.ProfileAboutForm and ProfileOfferForm take
# their fields from these inputs, and profile_save accepts either, or ProfileInput (both).
@dataclass(frozen=True)
class ProfileAboutInput(ServiceInput):
    """The "about me" step."""

    display_name: str = UNSET
    birth_year: int | None = UNSET
    phone: str = UNSET
    country_of_residence: str = UNSET
    city: str = UNSET
    origin_region: Region | None = UNSET
    origin_province: Province | None = UNSET
    origin_commune: Commune | None = UNSET
    bio: str = UNSET


@dataclass(frozen=True)
class ProfileOfferInput(ServiceInput):
    """The "what I offer" step's profile fields (its formats are rows of their own)."""

    work_mode: str = UNSET
    hours_per_month: int | None = UNSET
    available_from: date | None = UNSET
    available_until: date | None = UNSET


@dataclass(frozen=True)
class ProfileInput(ProfileOfferInput, ProfileAboutInput):
    """Every editable field of a profile (the about step's, then the offer step's)."""


def matching_changed(profile: ExpertProfile) -> None:
    emit(ExpertChanged(profile_id=profile.pk))


def profile_save(*, user, data: ProfileInput | ProfileAboutInput | ProfileOfferInput | Mapping) -> ExpertProfile:
    """Create or update `user`'s profile with the fields `data` gives (the others are kept)."""
    values = ProfileInput.coerce(data).changes()
    with transaction.atomic():
        profile = ExpertProfile.objects.select_for_update().filter(user=user).first()
        created = profile is None
        if created:
            profile = ExpertProfile(user=user)
        changed = created
        for name, value in values.items():
            if getattr(profile, name) != value:
                setattr(profile, name, value)
                changed = True
        if changed:
            profile.full_clean(exclude=["user", "cv"])
            profile.save()
            matching_changed(profile)
    return profile


def profile_sectors_set(*, profile: ExpertProfile, sectors: Iterable) -> None:
    with transaction.atomic():
        profile.sectors.set(sectors)
        matching_changed(profile)


def profile_skills_set(*, profile: ExpertProfile, skills: list[tuple[int, int, int]]) -> None:
    """Replace the profile's skills with `skills`: (skill_id, level, years), one per skill."""
    wanted = {skill_id: (level, years) for skill_id, level, years in skills}
    with transaction.atomic():
        profile.skills.exclude(skill_id__in=wanted).delete()
        existing = {s.skill_id: s for s in profile.skills.all()}
        for skill_id, (level, years) in wanted.items():
            row = existing.get(skill_id)
            if row is None:
                ExpertSkill.objects.create(profile=profile, skill_id=skill_id, level=level, years=years)
            elif (row.level, row.years) != (level, years):
                row.level, row.years = level, years
                row.save(update_fields=["level", "years"])
        matching_changed(profile)


def profile_languages_set(*, profile: ExpertProfile, languages: list[tuple[str, int]]) -> None:
    wanted = dict(languages)
    with transaction.atomic():
        profile.languages.exclude(language__in=wanted).delete()
        existing = {row.language: row for row in profile.languages.all()}
        for code, level in wanted.items():
            row = existing.get(code)
            if row is None:
                ExpertLanguage.objects.create(profile=profile, language=code, level=level)
            elif row.level != level:
                row.level = level
                row.save(update_fields=["level"])
        matching_changed(profile)


def profile_formats_set(*, profile: ExpertProfile, formats: Iterable[str]) -> None:
    wanted = set(formats)
    with transaction.atomic():
        profile.formats.exclude(format__in=wanted).delete()
        have = set(profile.formats.values_list("format", flat=True))
        ExpertFormat.objects.bulk_create([ExpertFormat(profile=profile, format=f) for f in sorted(wanted - have)])
        matching_changed(profile)


def profile_offer_save(
    *, profile: ExpertProfile, data: ProfileOfferInput | Mapping, formats: Iterable[str]
) -> ExpertProfile:
    """The "what I offer" step: availability, work mode, hours and formats, together."""
    with transaction.atomic():
        profile = profile_save(user=profile.user, data=ProfileOfferInput.coerce(data))
        profile_formats_set(profile=profile, formats=formats)
    return profile


def profile_background_set(*, profile: ExpertProfile, experiences: list[dict], education: list[dict]) -> None:
    """Replace the work-experience and education entries (not used by matching)."""
    with transaction.atomic():
        profile.experiences.all().delete()
        WorkExperience.objects.bulk_create([WorkExperience(profile=profile, **row) for row in experiences])
        profile.education.all().delete()
        Education.objects.bulk_create([Education(profile=profile, **row) for row in education])


def profile_cv_set(*, profile: ExpertProfile, upload) -> None:
    """Store a PDF privately, replacing the previous one (checked again here: a service never
    trusts its caller to have validated)."""
    cv_pdf(upload)
    old = profile.cv.name if profile.cv else ""
    with transaction.atomic():
        profile.cv.save("cv.pdf", upload, save=False)
        profile.save(update_fields=["cv", "updated_at"])
        if old:
            storage = profile.cv.storage
            transaction.on_commit(lambda: storage.delete(old))


def profile_cv_remove(*, profile: ExpertProfile) -> None:
    if not profile.cv:
        return
    name, storage = profile.cv.name, profile.cv.storage
    with transaction.atomic():
        profile.cv = ""
        profile.save(update_fields=["cv", "updated_at"])
        transaction.on_commit(lambda: storage.delete(name))


def profile_confirm(*, profile: ExpertProfile, now: datetime | None = None) -> None:
    """The member says the profile is still true: fresh for twelve more months."""
    now = now or timezone.now()
    with transaction.atomic():
        ExpertProfile.objects.filter(pk=profile.pk).update(
            confirmed_at=now, is_stale=False, stale_reminder_sent_at=None, updated_at=now
        )
        profile.confirmed_at, profile.is_stale, profile.stale_reminder_sent_at = now, False, None
        matching_changed(profile)
