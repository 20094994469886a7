"""The project's URLs with the dashboards API mounted under /api/v1/ (ahead of the API's
catch-all 404), for the API tests until portal/api/urls.py lists the app."""

from django.urls import include, path

from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [path("api/v1/", include("dashboards.api.urls")), *portal_urlpatterns]
