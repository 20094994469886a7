from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

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
