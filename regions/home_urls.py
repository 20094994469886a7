"""The home page (the pilot regions), mounted at the site root by the root URLconf as `portal:home`."""

from django.urls import path

from portal.pagecache import public_page

from . import views

urlpatterns = [path("", public_page(views.home), name="home")]
