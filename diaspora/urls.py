from django.urls import path

from . import views

app_name = "diaspora"

urlpatterns = [
    # Accounts
    path("signup/", views.signup, name="signup"),
    path("signup/done/", views.signup_done, name="signup_done"),
    path("verify/<str:token>/", views.verify_email, name="verify_email"),
    path("verify-again/", views.verification_resend, name="verification_resend"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password-reset/complete/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    # Profile
    path("me/", views.profile_detail, name="profile_detail"),
    path("me/edit/<slug:step>/", views.profile_edit, name="profile_edit"),
    path("me/confirm/", views.profile_confirm, name="profile_confirm"),
    path("me/consent/", views.consent, name="consent"),
    path("me/privacy/", views.privacy_centre, name="privacy_centre"),
    path("me/privacy/reads/", views.privacy_reads, name="privacy_reads"),
    path("me/privacy/export/", views.privacy_export, name="privacy_export"),
    path("me/privacy/delete/", views.account_delete, name="account_delete"),
    path("skills/search/", views.skill_autocomplete, name="skill_autocomplete"),
    path("communes/", views.commune_options, name="commune_options"),
    # Associations
    path("associations/", views.association_list_view, name="association_list"),
    path("associations/<int:pk>/", views.association_detail, name="association_detail"),
    path("associations/<int:pk>/join/", views.association_membership, {"action": "join"}, name="association_join"),
    path("associations/<int:pk>/leave/", views.association_membership, {"action": "leave"}, name="association_leave"),
    # Officials
    path("experts/", views.expert_list_view, name="expert_list"),
]
