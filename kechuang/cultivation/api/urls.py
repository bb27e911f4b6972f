from rest_framework.routers import DefaultRouter

from .views import CampaignEntryViewSet, RuleRowViewSet, SubsidyEntitlementViewSet

router = DefaultRouter()
router.register("rules", RuleRowViewSet, basename="rulerow")
router.register("campaign-entries", CampaignEntryViewSet, basename="campaignentry")
router.register("entitlements", SubsidyEntitlementViewSet, basename="subsidyentitlement")
urlpatterns = router.urls
