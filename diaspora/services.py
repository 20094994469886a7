"""Every write of the diaspora app: accounts, profiles, consent, associations, privacy.

Each service runs in one transaction. Whatever changes what matching sees (the profile, its
skills, languages, formats, availability, consent, freshness) emits `expert.changed` in that same
transaction (portal.events): the matching app re-scores the expert after commit, through the outbox.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from portal.enums import Role
from portal.events import ExpertChanged, emit
from portal.inputs import UNSET, ServiceInput
from portal.notifications import notification_send
from portal.privacy import personal_data_erase

from .disclosure import forget_published_places
from .enums import CONSENT_COLUMNS, CONSENT_TEXT_VERSION, ConsentPurpose
from .erasure_log import erasure_log_append
from .models import (
    AnonymousExpertTrace,
    Association,
    AssociationMembership,
    ConsentRecord,
    Education,
    EmailVerification,
    ErasureLog,
    ExpertFormat,
    ExpertLanguage,
    ExpertProfile,
    ExpertSkill,
    WorkExperience,
    cv_pdf,
)
from .querysets import REMIND_BEFORE, stale_cutoff

if TYPE_CHECKING:
    from regions.models import Commune, Province, Region

User = get_user_model()

VERIFICATION_SALT = "diaspora.email-verification"
VERIFICATION_MAX_AGE = 3 * 24 * 3600  # seconds: the link in the e-mail expires after 3 days
VERIFY_TEMPLATE = "diaspora/emails/verify_email"
PASSWORD_RESET_TEMPLATE = "diaspora/emails/password_reset"  # noqa: S105 - a template name, not a secret


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


def _matching_changed(profile: ExpertProfile) -> None:
    emit(ExpertChanged(profile_id=profile.pk))


# --- Accounts --------------------------------------------------------------------------


def account_register(*, email: str, password: str, full_name: str, language: str) -> User | None:
    """Create a member account (active but unverified: it cannot sign in until the link in the
    verification e-mail is followed) and send that e-mail.

    If the address already has an account, nothing is created (None) and its owner is told by
    e-mail instead (an unverified owner gets a new link): the visitor sees the same "check your
    e-mail" answer either way, so sign-up does not reveal who has an account. The password is
    hashed all the same, so that both cases take the same time."""
    with transaction.atomic():
        existing = User.objects.filter(email__iexact=email).first()
        if existing is not None:
            make_password(password)
            _signup_attempt_tell(existing)
            return None
        user = User.objects.create_user(
            email, password, full_name=full_name, role=Role.MEMBER, preferred_language=language
        )
        EmailVerification.objects.create(user=user)
        account_verification_send(user=user)
    return user


def _email_fingerprint(email: str) -> str:
    """A keyed digest of the address: the token is signed, not encrypted, so it must not
    carry the address itself (it ends up in e-mails, browser histories and proxy logs)."""
    return salted_hmac(VERIFICATION_SALT, email.lower()).hexdigest()[:20]


def _signup_attempt_tell(user: User) -> None:
    if not account_is_verified(user):
        account_verification_send(user=user)
        return
    with translation.override(user.preferred_language):
        paths = {"login_path": reverse("login"), "reset_path": reverse("diaspora:password_reset")}
    notification_send(
        user=user, kind="diaspora.signup_attempt", template="diaspora/emails/signup_attempt", params=paths
    )


def verification_token_make(user) -> str:
    return signing.dumps({"u": user.pk, "e": _email_fingerprint(user.email)}, salt=VERIFICATION_SALT, compress=True)


def verification_path(user) -> dict:
    """The secret link of the verification e-mail, built by the worker at send time."""
    return {"path": reverse("diaspora:verify_email", kwargs={"token": verification_token_make(user)})}


def password_reset_path(user) -> dict:
    """The secret link of the password-reset e-mail, built by the worker at send time (Django's
    token is stateless: made now, it is valid until the password or the last login changes)."""
    kwargs = {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)}
    return {"path": reverse("diaspora:password_reset_confirm", kwargs=kwargs)}


def password_reset_send(*, user) -> None:
    notification_send(user=user, kind="diaspora.password_reset", template=PASSWORD_RESET_TEMPLATE)


def account_verification_send(*, user) -> None:
    notification_send(
        user=user,
        kind="diaspora.verify_email",
        template=VERIFY_TEMPLATE,
        params={"days": VERIFICATION_MAX_AGE // 86400},
        url="",
    )


def account_verify(*, token: str) -> User | None:
    """Mark the account of a valid, unexpired token verified; None for a bad or expired token."""
    try:
        payload = signing.loads(token, salt=VERIFICATION_SALT, max_age=VERIFICATION_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    user = User.objects.filter(pk=payload.get("u"), is_active=True).first()
    # A token sent to an address the account no longer has proves nothing.
    if user is None or not constant_time_compare(str(payload.get("e")), _email_fingerprint(user.email)):
        return None
    EmailVerification.objects.filter(user=user, verified_at__isnull=True).update(verified_at=timezone.now())
    return user


def account_is_verified(user) -> bool:
    return not EmailVerification.objects.filter(user=user, verified_at__isnull=True).exists()


def account_mark_verified(*, user) -> None:
    """A completed password reset also proves the address."""
    EmailVerification.objects.filter(user=user, verified_at__isnull=True).update(verified_at=timezone.now())


# --- Profile ---------------------------------------------------------------------------


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
            _matching_changed(profile)
    return profile


def profile_sectors_set(*, profile: ExpertProfile, sectors: Iterable) -> None:
    with transaction.atomic():
        profile.sectors.set(sectors)
        _matching_changed(profile)


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
        _matching_changed(profile)


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
        _matching_changed(profile)


def profile_formats_set(*, profile: ExpertProfile, formats: Iterable[str]) -> None:
    wanted = set(formats)
    with transaction.atomic():
        profile.formats.exclude(format__in=wanted).delete()
        have = set(profile.formats.values_list("format", flat=True))
        ExpertFormat.objects.bulk_create([ExpertFormat(profile=profile, format=f) for f in sorted(wanted - have)])
        _matching_changed(profile)


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
        _matching_changed(profile)


# --- Consent ---------------------------------------------------------------------------


def consent_set(*, profile: ExpertProfile, choices: dict[str, bool], text_version: str = CONSENT_TEXT_VERSION) -> int:
    """Record each purpose whose state changes (a ConsentRecord) and update the profile's
    current-state column. Withdrawing MATCHING removes the profile from matching at once: the
    queryset filters on the column, and the matching task drops its pending suggestions.
    Returns the number of records written."""
    now = timezone.now()
    written = 0
    with transaction.atomic():
        profile = ExpertProfile.objects.select_for_update().get(pk=profile.pk)
        updates = {}
        for purpose in ConsentPurpose:
            if purpose.value not in choices:
                continue
            granted = bool(choices[purpose.value])
            column = CONSENT_COLUMNS[purpose]
            if getattr(profile, column) == granted:
                continue
            ConsentRecord.objects.create(
                user_id=profile.user_id, purpose=purpose, granted=granted, text_version=text_version, recorded_at=now
            )
            updates[column] = granted
            written += 1
        if updates:
            ExpertProfile.objects.filter(pk=profile.pk).update(**updates, updated_at=now)
            _matching_changed(profile)
            if CONSENT_COLUMNS[ConsentPurpose.PARTNER_SHARING] in updates:
                # The places partners may see are counted over those who share: recount now.
                transaction.on_commit(forget_published_places)
    return written


# --- Freshness -------------------------------------------------------------------------


def staleness_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Send the reminder once to profiles that turn stale within a month, and mark stale those
    not re-confirmed for twelve months. Idempotent: each UPDATE claims only rows not yet done,
    so running it twice sends nothing twice."""
    now = now or timezone.now()
    cutoff = stale_cutoff(now)
    reminded = 0
    due = ExpertProfile.objects.filter(
        is_active=True,
        is_stale=False,
        stale_reminder_sent_at__isnull=True,
        confirmed_at__lt=cutoff + REMIND_BEFORE,
        confirmed_at__gte=cutoff,
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            # The conditional UPDATE is the claim: a concurrent sweep gets 0 rows and skips.
            if not ExpertProfile.objects.filter(pk=pk, stale_reminder_sent_at__isnull=True).update(
                stale_reminder_sent_at=now
            ):
                continue
            profile = ExpertProfile.objects.select_related("user").get(pk=pk)
            stale_on = (profile.confirmed_at - cutoff + now).date()
            with translation.override(profile.user.preferred_language):
                path = reverse("diaspora:profile_detail")
            notification_send(
                user=profile.user,
                kind="diaspora.profile_reconfirm",
                template="diaspora/emails/reconfirm",
                refs={"profile": profile},
                params={"stale_on": stale_on.isoformat(), "path": path},
                url=path,
            )
            reminded += 1
    stale_ids = list(ExpertProfile.objects.filter(is_stale=False, confirmed_at__lt=cutoff).values_list("pk", flat=True))
    marked = 0
    for pk in stale_ids:
        with transaction.atomic():
            if ExpertProfile.objects.filter(pk=pk, is_stale=False).update(is_stale=True):
                _matching_changed(ExpertProfile(pk=pk))
                marked += 1
    return {"reminded": reminded, "marked_stale": marked}


# --- Associations ----------------------------------------------------------------------


def association_join(*, association: Association, user) -> bool:
    """True if `user` joined now, False if already a member."""
    with transaction.atomic():
        _, created = AssociationMembership.objects.get_or_create(association=association, user=user)
    return created


def association_leave(*, association: Association, user) -> bool:
    with transaction.atomic():
        deleted, _ = AssociationMembership.objects.filter(association=association, user=user).delete()
    return bool(deleted)


# --- Privacy ---------------------------------------------------------------------------


def _month(value: date | datetime) -> date:
    return date(value.year, value.month, 1)


def account_erase(*, user) -> ErasureLog:
    """Erase `user` and every registered piece of personal data (portal/privacy.py), the CV
    file included; keep an anonymous trace if they consented to statistics; log the ids so
    that a restored backup can be erased again (`manage.py replay_erasures`)."""
    with transaction.atomic():
        profile = ExpertProfile.objects.filter(user=user).prefetch_related("sectors").first()
        if profile is not None:
            if profile.consent_statistics:
                AnonymousExpertTrace.objects.create(
                    country_of_residence=profile.country_of_residence,
                    origin_region_id=profile.origin_region_id,
                    registered_month=_month(profile.created_at),
                    erased_month=_month(timezone.now()),
                    sector_codes=",".join(sorted(s.code for s in profile.sectors.all())),
                )
            # Matching must forget the profile too; its task finds the profile gone.
            _matching_changed(profile)
        log = ErasureLog.objects.create(
            user_id=user.pk, profile_id=profile.pk if profile else None, user_joined_at=user.date_joined
        )
        # Outside the database too, once committed: a restored backup must not forget it.
        entry = {
            "user_id": log.user_id,
            "profile_id": log.profile_id,
            "user_joined_at": log.user_joined_at,
            "erased_at": log.erased_at,
        }
        # robust: a failed append must not turn a done erasure into an error page; the replay
        # appends what is missing (diaspora/erasure_log.py).
        transaction.on_commit(lambda: erasure_log_append(entries=[entry]), robust=True)
        personal_data_erase(user)
    return log
