"""Router registrations of this app's API viewsets (mounted under /api/v1/)."""

from rest_framework.routers import SimpleRouter

from .views import ExpertViewSet

router = SimpleRouter()
router.register("experts", ExpertViewSet, basename="expert")

urlpatterns = router.urls
