from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("tokens/", views.apitoken_list, name="apitoken_list"),
    path("tokens/new/", views.apitoken_create, name="apitoken_create"),
    path("tokens/<int:pk>/revoke/", views.apitoken_revoke, name="apitoken_revoke"),
]
