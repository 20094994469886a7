from django.urls import path

from . import views

app_name = "regions"

urlpatterns = [
    path("", views.region_list_view, name="region_list"),
    path("<region_code:code>/", views.region_detail_view, name="region_detail"),
]
