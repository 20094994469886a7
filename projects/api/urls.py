"""Router registrations of this app's API viewsets (mounted under /api/v1/)."""

from rest_framework.routers import SimpleRouter

from .views import OpportunityViewSet, ProjectViewSet

router = SimpleRouter()
router.register("opportunities", OpportunityViewSet, basename="opportunity")
router.register("projects", ProjectViewSet, basename="project")

urlpatterns = router.urls
