"""Router registrations of this app's API viewsets (mounted under /api/v1/)."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("provinces", views.ProvinceViewSet, basename="province")
router.register("communes", views.CommuneViewSet, basename="commune")
router.register("roadmaps", views.RoadmapViewSet, basename="roadmap")
router.register("needs", views.NeedViewSet, basename="need")
router.register("stakeholders", views.StakeholderViewSet, basename="stakeholder")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("partnerships", views.PartnershipViewSet, basename="partnership")
router.register("studies", views.StudyViewSet, basename="study")

urlpatterns = router.urls
