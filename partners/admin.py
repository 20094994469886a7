from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.models import PartnerOrganisation

from . import services
from .enums import Scope
from .forms import LIFETIME_CHOICES
from .models import APIToken, NeedProposal, WebhookAttempt, WebhookDelivery, WebhookSubscription


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "created_at", "pseudonym_key_rotated_at"]
    list_filter = ["kind"]
    search_fields = ["name"]
    readonly_fields = ["pseudonym_key_rotated_at"]  # the key itself is never shown
    actions = ["rotate_pseudonym_key"]

    @admin.action(description=_("Give the selected organisations new expert ids"))
    def rotate_pseudonym_key(self, request, queryset):
        for partner in queryset:
            services.partner_pseudonym_key_rotate(partner=partner, by=request.user)
        self.message_user(request, _("The selected organisations now see every expert under a new id."))


class APITokenAdminForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(label=_("Scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple)
    lifetime_days = forms.TypedChoiceField(
        label=_("Expires after"), choices=LIFETIME_CHOICES, coerce=int, initial=90, required=False
    )

    class Meta:
        model = APIToken
        fields = ["partner", "name", "scopes", "region"]


@admin.register(APIToken)
class APITokenAdmin(admin.ModelAdmin):
    form = APITokenAdminForm
    list_display = ["name", "partner", "prefix", "region", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["partner", "region"]
    search_fields = ["name", "prefix", "partner__name"]
    list_select_related = ["partner", "region"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["partner", "name", "scopes", "region", "lifetime_days"]
        return ["partner", "name", "scopes", "region", "prefix", "created_by", "created_at", "expires_at",
                "last_used_at", "revoked_at", "revoked_by"]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # Rights of an existing token never change: make a new one instead.
        return self.get_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the row is the audit trail

    def save_model(self, request, obj, form, change):
        if change:
            return
        lifetime = form.cleaned_data.get("lifetime_days") or 90
        token, plaintext = services.api_token_create(
            partner=form.cleaned_data["partner"],
            created_by=request.user,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            region=form.cleaned_data["region"],
            expires_at=timezone.now() + timedelta(days=lifetime),
        )
        obj.pk = token.pk
        request._jusur_token_plaintext = plaintext

    def response_add(self, request, obj, post_url_continue=None):
        plaintext = getattr(request, "_jusur_token_plaintext", None)
        if plaintext is None:
            return super().response_add(request, obj, post_url_continue)
        token = APIToken.objects.get(pk=obj.pk)
        # Shown in this one response only; never put into a message (stored in the session).
        return render(request, "partners/apitoken_created.html", {"token": token, "plaintext": plaintext})

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        count = sum(services.api_token_revoke(token=token, by=request.user) for token in queryset)
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count) % {"count": count},
            messages.SUCCESS,
        )


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["url", "partner", "is_active", "failure_count", "disabled_at", "created_at"]
    list_filter = ["is_active", "partner"]
    search_fields = ["url", "partner__name"]
    list_select_related = ["partner"]
    readonly_fields = ["partner", "token", "url", "events", "failure_count", "disabled_at", "created_at"]
    fields = ["partner", "token", "url", "events", "is_active", "failure_count", "disabled_at", "created_at"]

    def has_add_permission(self, request):
        return False  # partners subscribe through the API, with a token's rights


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["number", "started_at", "duration_ms", "response_code", "error"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "subscription", "status", "attempts", "response_code", "created_at", "delivered_at"]
    list_filter = ["status", "event"]
    list_select_related = ["subscription"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    inlines = [WebhookAttemptInline]

    def has_add_permission(self, request):
        return False


@admin.register(NeedProposal)
class NeedProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "partner", "region", "status", "created_at", "need"]
    list_filter = ["status", "region"]
    search_fields = ["title", "partner__name"]
    list_select_related = ["partner", "region", "need"]
    readonly_fields = [f.name for f in NeedProposal._meta.fields]
    actions = ["accept", "decline"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Accept as draft needs (you become their owner)"))
    def accept(self, request, queryset):
        for proposal in queryset:
            try:
                services.need_proposal_accept(proposal=proposal, by=request.user)
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(
                    request, f"{proposal}: {' '.join(getattr(exc, 'messages', [str(exc)]))}", messages.ERROR
                )

    @admin.action(description=_("Decline"))
    def decline(self, request, queryset):
        for proposal in queryset:
            try:
                services.need_proposal_decline(proposal=proposal, by=request.user)
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(
                    request, f"{proposal}: {' '.join(getattr(exc, 'messages', [str(exc)]))}", messages.ERROR
                )
