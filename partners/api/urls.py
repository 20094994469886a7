"""Router registrations of this app's API viewsets (mounted under /api/v1/)."""

from rest_framework.routers import SimpleRouter

from .match_views import EngagementViewSet, MatchViewSet
from .views import NeedProposalViewSet, WebhookDeliveryViewSet, WebhookSubscriptionViewSet

router = SimpleRouter()
# Matches and engagements are read here, by the edge: a partner's view of them depends on the
# needs it proposed and the outcomes it records (docs/architecture.md).
router.register("matches", MatchViewSet, basename="match")
router.register("engagements", EngagementViewSet, basename="engagement")
router.register("webhooks", WebhookSubscriptionViewSet, basename="webhook")
router.register("webhook-deliveries", WebhookDeliveryViewSet, basename="webhook-delivery")

router.register("need-proposals", NeedProposalViewSet, basename="need-proposal")

urlpatterns = router.urls
