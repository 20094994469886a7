"""The site's one sign-in page, mounted at /accounts/ by the root URLconf as `login`: the diaspora
app's view, which also refuses unverified e-mail addresses."""

from django.urls import path

from . import views

urlpatterns = [path("login/", views.LoginView.as_view(), name="login")]
