from django.urls import path, re_path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.dashboard_index_view, name="index"),
    path("queue/", views.work_queue_view, name="work_queue"),
    path("national/", views.national_view, name="national"),
    re_path(r"^national/export\.(?P<fmt>csv|semicolon\.csv|xlsx)$", views.national_export_view, name="national_export"),
    path("region/<region_code:code>/", views.region_dashboard_view, name="region"),
    re_path(
        r"^region/(?P<code>[0-9]{2})/export/(?P<slug>[-a-z]+)\.(?P<fmt>csv|semicolon\.csv|xlsx)$",
        views.region_export_view,
        name="region_export",
    ),
    path("open-data/", views.open_data_view, name="open_data"),
    re_path(
        r"^open-data/(?P<table>[-a-z]+)\.(?P<fmt>csv|json)$", views.open_data_download_view, name="open_data_download"
    ),
]
