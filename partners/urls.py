from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("", views.partner_home, name="home"),
    path("tokens/", views.apitoken_list, name="apitoken_list"),
    path("tokens/new/", views.apitoken_create, name="apitoken_create"),
    path("tokens/<int:pk>/revoke/", views.apitoken_revoke, name="apitoken_revoke"),
    path("proposals/", views.need_proposal_list, name="needproposal_list"),
    path("proposals/<int:pk>/accept/", views.need_proposal_accept, name="needproposal_accept"),
    path("proposals/<int:pk>/decline/", views.need_proposal_decline, name="needproposal_decline"),
]
