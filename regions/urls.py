from django.urls import path

from portal.pagecache import public_page

from . import views

app_name = "regions"

urlpatterns = [
    path("", public_page(views.region_list_view), name="region_list"),
    path("needs/", public_page(views.need_list_view), name="need_list"),
    path("manage/", views.manage_home_view, name="manage_home"),
    path("studies/", public_page(views.study_list_view), name="study_list"),
    path("studies/new/", views.study_edit_view, name="study_create"),
    path("studies/<int:pk>/", public_page(views.study_detail_view), name="study_detail"),
    path("studies/<int:pk>/edit/", views.study_edit_view, name="study_edit"),
    path("studies/<int:pk>/file/", views.study_file_view, name="study_file"),
    path("indicators/", public_page(views.indicator_list_view), name="indicator_list"),
    path("<region_code:code>/", public_page(views.region_detail_view), name="region_detail"),
    path("<region_code:code>/roadmap/", public_page(views.region_page_view), name="region_page"),
    path("<region_code:code>/manage/", views.manage_view, name="manage"),
    path("<region_code:code>/needs/", public_page(views.region_need_list_view), name="region_need_list"),
    path("<region_code:code>/needs/<int:pk>/", public_page(views.need_detail_view), name="need_detail"),
    path("<region_code:code>/needs/<int:pk>/edit/", views.need_edit_view, name="need_edit"),
    path("<region_code:code>/needs/<int:pk>/status/", views.need_transition_view, name="need_transition"),
    path("<region_code:code>/needs/<int:pk>/interest/", views.need_interest_view, name="need_interest"),
    path(
        "<region_code:code>/needs/<int:pk>/interest/withdraw/",
        views.need_interest_withdraw_view,
        name="need_interest_withdraw",
    ),
    path("<region_code:code>/roadmaps/new/", views.roadmap_create_view, name="roadmap_create"),
    path("<region_code:code>/roadmaps/<int:version>/", public_page(views.roadmap_detail_view), name="roadmap_detail"),
    path("<region_code:code>/roadmaps/<int:version>/edit/", views.roadmap_edit_view, name="roadmap_edit"),
    path(
        "<region_code:code>/roadmaps/<int:version>/adopt/",
        views.roadmap_action_view,
        {"action": "adopt"},
        name="roadmap_adopt",
    ),
    path(
        "<region_code:code>/roadmaps/<int:version>/close/",
        views.roadmap_action_view,
        {"action": "close"},
        name="roadmap_close",
    ),
    path(
        "<region_code:code>/roadmaps/<int:version>/new-version/",
        views.roadmap_action_view,
        {"action": "new-version"},
        name="roadmap_new_version",
    ),
    path("<region_code:code>/roadmaps/<int:version>/axes/new/", views.axis_edit_view, name="axis_create"),
    path("<region_code:code>/roadmaps/<int:version>/axes/<int:pk>/edit/", views.axis_edit_view, name="axis_edit"),
    path(
        "<region_code:code>/roadmaps/<int:version>/documents/new/",
        views.roadmap_document_view,
        name="roadmap_document_create",
    ),
    path(
        "<region_code:code>/roadmaps/<int:version>/documents/<int:pk>/",
        views.roadmap_document_file_view,
        name="roadmap_document_file",
    ),
    path("<region_code:code>/roadmaps/<int:version>/needs/new/", views.need_create_view, name="need_create"),
    path("<region_code:code>/stakeholders/new/", views.stakeholder_edit_view, name="stakeholder_create"),
    path("<region_code:code>/stakeholders/<int:pk>/edit/", views.stakeholder_edit_view, name="stakeholder_edit"),
    path("<region_code:code>/meetings/new/", views.meeting_edit_view, name="meeting_create"),
    path("<region_code:code>/meetings/<int:pk>/", public_page(views.meeting_detail_view), name="meeting_detail"),
    path("<region_code:code>/meetings/<int:pk>/meeting.ics", views.meeting_ics_view, name="meeting_ics"),
    path("<region_code:code>/meetings/<int:pk>/edit/", views.meeting_edit_view, name="meeting_edit"),
    path("<region_code:code>/meetings/<int:pk>/participants/new/", views.participant_add_view, name="participant_add"),
    path("<region_code:code>/meetings/<int:pk>/decisions/new/", views.decision_edit_view, name="decision_create"),
    path(
        "<region_code:code>/meetings/<int:pk>/decisions/<int:decision_pk>/edit/",
        views.decision_edit_view,
        name="decision_edit",
    ),
    path("<region_code:code>/partnerships/new/", views.partnership_edit_view, name="partnership_create"),
    path("<region_code:code>/partnerships/<int:pk>/edit/", views.partnership_edit_view, name="partnership_edit"),
]
