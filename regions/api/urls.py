"""Router registrations of this app's API viewsets (mounted under /api/v1/)."""

from rest_framework.routers import SimpleRouter

from .views import CommuneViewSet, ProvinceViewSet, RegionViewSet

router = SimpleRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("provinces", ProvinceViewSet, basename="province")
router.register("communes", CommuneViewSet, basename="commune")

urlpatterns = router.urls
