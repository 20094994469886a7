"""Router registrations of this app's API viewsets (mounted under /api/v1/)."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()

urlpatterns = router.urls
