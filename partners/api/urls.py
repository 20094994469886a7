"""Router registrations of this app's API viewsets (mounted under /api/v1/)."""

from rest_framework.routers import SimpleRouter

from .views import NeedProposalViewSet, WebhookDeliveryViewSet, WebhookSubscriptionViewSet

router = SimpleRouter()
router.register("webhooks", WebhookSubscriptionViewSet, basename="webhook")
router.register("webhook-deliveries", WebhookDeliveryViewSet, basename="webhook-delivery")

router.register("need-proposals", NeedProposalViewSet, basename="need-proposal")

urlpatterns = router.urls
