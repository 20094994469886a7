"""Router registrations of this app's API viewsets (mounted under /api/v1/)."""

from rest_framework.routers import SimpleRouter

from .views import SectorViewSet, SkillViewSet

router = SimpleRouter()
router.register("sectors", SectorViewSet, basename="sector")
router.register("skills", SkillViewSet, basename="skill")

urlpatterns = router.urls
