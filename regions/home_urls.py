"""The home page (the pilot regions), mounted at the site root by the root URLconf as `portal:home`."""

from django.urls import path

from . import views

urlpatterns = [path("", views.home, name="home")]
