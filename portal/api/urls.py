"""/api/v1/: each app registers its viewsets in <app>/api/urls.py; this file only mounts them."""

from django.urls import include, path

urlpatterns = [
    path("", include(f"{app}.api.urls"))
    for app in ("taxonomy", "regions", "diaspora", "projects", "matching", "partners")
]
