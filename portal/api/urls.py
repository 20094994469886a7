"""Router registrations only; each app registers its viewsets in <app>/api/urls.py."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()

urlpatterns: list = [*router.urls]
