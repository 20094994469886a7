from django.urls import path

from . import member_views, views

app_name = "matching"

urlpatterns = [
    path("needs/<int:need_id>/candidates/", views.candidate_list_view, name="candidate_list"),
    path("matches/<int:pk>/shortlist/", views.match_shortlist_view, name="match_shortlist"),
    path("matches/<int:pk>/invite/", views.match_invite_view, name="match_invite"),
    path("matches/<int:pk>/withdraw/", views.match_withdraw_view, name="match_withdraw"),
    path("matches/<int:pk>/engagement/", views.engagement_update_view, name="engagement_update"),
    path("invitations/", views.invitation_list_view, name="invitation_list"),
    path("digest/", views.digest_view, name="digest"),
    path("invitations/<int:pk>/", views.invitation_detail_view, name="invitation_detail"),
    path(
        "invitations/<int:pk>/accept/",
        views.invitation_answer_view,
        {"decision": "accept"},
        name="invitation_accept",
    ),
    path(
        "invitations/<int:pk>/decline/",
        views.invitation_answer_view,
        {"decision": "decline"},
        name="invitation_decline",
    ),
    # The member's side (issue 18)
    path("home/", member_views.member_home_view, name="member_home"),
    path("home/seen/", member_views.suggestions_seen_view, name="suggestions_seen"),
    path("suggestions/<int:need_id>/help/", member_views.suggestion_help_view, name="suggestion_help"),
    path("suggestions/<int:need_id>/help/undo/", member_views.suggestion_help_undo_view, name="suggestion_help_undo"),
    path("suggestions/<int:need_id>/not-for-me/", member_views.suggestion_set_aside_view, name="suggestion_set_aside"),
    path(
        "suggestions/<int:need_id>/not-for-me/undo/",
        member_views.suggestion_set_aside_undo_view,
        name="suggestion_set_aside_undo",
    ),
    path("impact/", member_views.impact_view, name="impact"),
    path("impact/public/", member_views.impact_public_view, name="impact_public"),
    path("contributors/", member_views.contributor_list_view, name="contributor_list"),
]
