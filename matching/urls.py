from django.urls import path

from . import views

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
]
