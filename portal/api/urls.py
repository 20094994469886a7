"""/api/v1/: each app registers its viewsets in <app>/api/urls.py; this file only mounts them."""

from django.urls import include, path, re_path

from .views import not_found

urlpatterns = [
    *[
        path("", include(f"{app}.api.urls"))
        for app in ("taxonomy", "regions", "diaspora", "projects", "dashboards", "partners")
    ],
    # Last: any other address under /api/v1/ gets a 404 in the API's error format.
    re_path(r"^[\s\S]*$", not_found),
]
