"""Router registrations of this app's API viewsets (mounted under /api/v1/)."""

from rest_framework.routers import SimpleRouter

from .views import EngagementViewSet, MatchViewSet

router = SimpleRouter()
router.register("matches", MatchViewSet, basename="match")
router.register("engagements", EngagementViewSet, basename="engagement")

urlpatterns = router.urls
