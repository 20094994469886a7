from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .access_log import profile_reads_record
from .enums import ReadCategory, ReadPurpose
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
    ProfileRead,
    WorkExperience,
)

# Fields that identify or reach a person: only superusers may change them in the admin
# (staff can still help with the rest of a profile). Consent columns are never editable here.
PERSONAL_FIELDS = ("user", "display_name", "birth_year", "phone", "city", "bio", "cv")
SYSTEM_FIELDS = (
    "consent_matching",
    "consent_contact",
    "consent_partner_sharing",
    "consent_statistics",
    "is_stale",
    "stale_reminder_sent_at",
    "created_at",
    "updated_at",
)


class PersonalReadOnlyMixin:
    personal_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += [f for f in self.personal_fields if f not in readonly]
        return readonly


class ReadLoggingAdmin(admin.ModelAdmin):
    """An admin whose pages show experts' personal data: each list page and each object page
    records a read of every expert shown (diaspora.access_log), one INSERT per page."""

    read_category = ReadCategory.PROFILE
    profile_field = "pk"  # the attribute of a row that is the ExpertProfile's id

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:  # not a redirect or an error page
            self._log(request, {getattr(row, self.profile_field) for row in changelist.result_list})
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = getattr(response, "context_data", {}).get("original")
        if original is not None:
            self._log(request, {getattr(original, self.profile_field)})
        return response

    def _log(self, request, profile_ids: set[int]) -> None:
        profile_reads_record(
            reader=request.user,
            reads=[(pk, self.read_category) for pk in sorted(profile_ids)],
            purpose=ReadPurpose.ADMINISTRATION,
        )


class ExpertSkillInline(admin.TabularInline):
    model = ExpertSkill
    extra = 0
    raw_id_fields = ["skill"]


class ExpertLanguageInline(admin.TabularInline):
    model = ExpertLanguage
    extra = 0


class ExpertFormatInline(admin.TabularInline):
    model = ExpertFormat
    extra = 0


class WorkExperienceInline(PersonalReadOnlyMixin, admin.StackedInline):
    model = WorkExperience
    extra = 0
    personal_fields = ("title", "organisation", "country", "start_year", "end_year", "description")


class EducationInline(PersonalReadOnlyMixin, admin.TabularInline):
    model = Education
    extra = 0
    personal_fields = ("degree", "institution", "field", "country", "year")


@admin.register(ExpertProfile)
class ExpertProfileAdmin(PersonalReadOnlyMixin, ReadLoggingAdmin):
    """Staff reading a profile here is a read the expert sees in their privacy centre."""

    list_display = [
        "display_name",
        "country_of_residence",
        "origin_region",
        "consent_matching",
        "consent_contact",
        "is_active",
        "is_stale",
        "confirmed_at",
    ]
    list_filter = ["consent_matching", "consent_contact", "is_active", "is_stale", "origin_region", "work_mode"]
    search_fields = ["display_name", "user__email", "city"]
    list_select_related = ["origin_region"]
    raw_id_fields = ["user", "origin_province", "origin_commune"]
    filter_horizontal = ["sectors"]
    readonly_fields = SYSTEM_FIELDS
    personal_fields = PERSONAL_FIELDS
    inlines = [ExpertSkillInline, ExpertLanguageInline, ExpertFormatInline, WorkExperienceInline, EducationInline]

    def get_search_fields(self, request):
        # Staff who may not see personal fields cannot search by them either.
        return self.search_fields if request.user.is_superuser else ["display_name"]


class AppendOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConsentRecord)
class ConsentRecordAdmin(AppendOnlyAdmin):
    list_display = ["user", "purpose", "granted", "text_version", "recorded_at"]
    list_filter = ["purpose", "granted", "text_version"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(ErasureLog)
class ErasureLogAdmin(AppendOnlyAdmin):
    list_display = ["user_id", "profile_id", "erased_at", "replayed_at"]


@admin.register(ProfileRead)
class ProfileReadAdmin(ReadLoggingAdmin, AppendOnlyAdmin):
    """Read-only; staff reading an expert's log is itself logged, once per expert shown."""

    list_display = ["read_at", "profile", "reader", "reader_role", "partner", "category", "purpose", "need"]
    list_filter = ["category", "purpose", "reader_role"]
    list_select_related = ["profile", "reader", "partner", "need"]
    date_hierarchy = "read_at"
    read_category = ReadCategory.READ_LOG
    profile_field = "profile_id"


@admin.register(AnonymousExpertTrace)
class AnonymousExpertTraceAdmin(AppendOnlyAdmin):
    list_display = ["country_of_residence", "origin_region", "registered_month", "erased_month"]


@admin.register(EmailVerification)
class EmailVerificationAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "verified_at"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at"]


class MembershipInline(admin.TabularInline):
    model = AssociationMembership
    extra = 0
    raw_id_fields = ["user"]
    verbose_name_plural = _("members")


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "city", "is_active"]
    list_filter = ["is_active", "country"]
    search_fields = ["name", "city"]
    filter_horizontal = ["focus_sectors", "origin_regions"]
    inlines = [MembershipInline]
