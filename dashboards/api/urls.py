from rest_framework.routers import SimpleRouter

from .views import OpenDataSnapshotViewSet

router = SimpleRouter()
router.register("open-data", OpenDataSnapshotViewSet, basename="open-data")

urlpatterns = router.urls
