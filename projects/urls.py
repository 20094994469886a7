from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.opportunity_list_view, name="opportunity_list"),
    path("opportunities/new/", views.opportunity_create_view, name="opportunity_create"),
    path("opportunities/<int:pk>/", views.opportunity_detail_view, name="opportunity_detail"),
    path("opportunities/<int:pk>/edit/", views.opportunity_edit_view, name="opportunity_edit"),
    path("opportunities/<int:pk>/publish/", views.opportunity_publish_view, name="opportunity_publish"),
    path("opportunities/<int:pk>/close/", views.opportunity_close_view, name="opportunity_close"),
    path("opportunities/<int:pk>/interest/", views.opportunity_interest_view, name="opportunity_interest"),
    path(
        "opportunities/<int:pk>/interest/withdraw/",
        views.opportunity_interest_withdraw_view,
        name="opportunity_interest_withdraw",
    ),
    path(
        "opportunities/<int:pk>/documents/", views.opportunity_document_upload_view, name="opportunity_document_upload"
    ),
    path("opportunity-documents/<int:pk>/", views.opportunity_document_view, name="opportunity_document"),
    path("projects/", views.project_list_view, name="project_list"),
    path("projects/new/", views.project_create_view, name="project_create"),
    path("projects/<int:pk>/", views.project_detail_view, name="project_detail"),
    path("projects/<int:pk>/edit/", views.project_edit_view, name="project_edit"),
    path("projects/<int:pk>/transition/", views.project_transition_view, name="project_transition"),
    path("projects/<int:pk>/drop/", views.project_drop_view, name="project_drop"),
    path("projects/<int:pk>/notes/", views.project_note_view, name="project_note"),
    path("projects/<int:pk>/assign/", views.project_assign_view, name="project_assign"),
    path("projects/<int:pk>/documents/", views.project_document_upload_view, name="project_document_upload"),
    path("projects/<int:pk>/partners/", views.project_partner_attach_view, name="project_partner_attach"),
    path("documents/<int:pk>/", views.project_document_view, name="project_document"),
    path("documents/<int:pk>/delete/", views.project_document_delete_view, name="project_document_delete"),
    path("partners/<int:pk>/consent/", views.project_partner_consent_view, name="project_partner_consent"),
    path("partners/<int:pk>/end/", views.project_partner_end_view, name="project_partner_end"),
]
