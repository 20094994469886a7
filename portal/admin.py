from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice

# PartnerOrganisation's admin is in partners/admin.py (its actions call partners.services).
from .models import OutboxMessage, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "is_active", "is_staff", "date_joined"]
    list_filter = ["role", "is_active", "is_staff", "regions"]
    search_fields = ["email", "full_name"]
    filter_horizontal = ["regions", "groups", "user_permissions"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["full_name", "preferred_language"]}),
        (_("Role and scope"), {"fields": ["role", "regions", "partner"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "role", "password1", "password2"]})]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["id", "task_name", "dedup_key", "created_at", "published_at", "done_at", "attempts", "failed"]
    list_filter = ["failed", "task_name"]
    # Never the kwargs (ids only, yet no admin page needs them) nor anything rendered from them.
    fields = ["task_name", "dedup_key", "created_at", "available_at", "published_at", "started_at", "lease_until"]
    fields += ["done_at"]
    fields += ["attempts", "failed", "last_error"]
    readonly_fields = fields


# django-otp's admin for recovery codes lists each code's stored value (its TOTP admin hides the
# key: OTP_ADMIN_HIDE_SENSITIVE_DATA). Nothing secret belongs on an admin page: this one shows
# whose codes they are, how many are left and when one was last used, and lets staff delete the
# set of a person who lost it (docs/security.md 6.4.4), nothing more.
admin.site.unregister(StaticDevice)


@admin.register(StaticDevice)
class RecoveryCodesAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "codes_left", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__email"]
    fields = list_display
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(tokens=Count("token_set"))

    @admin.display(description=_("codes left"), ordering="tokens")
    def codes_left(self, device) -> int:
        return device.tokens
