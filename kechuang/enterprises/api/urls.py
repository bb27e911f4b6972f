from rest_framework.routers import DefaultRouter

from .views import (
    AnnualIndicatorViewSet,
    AwardViewSet,
    CertificationViewSet,
    EnterpriseViewSet,
    StandardViewSet,
)

router = DefaultRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("indicators", AnnualIndicatorViewSet, basename="annualindicator")
router.register("certifications", CertificationViewSet, basename="certification")
router.register("awards", AwardViewSet, basename="award")
router.register("standards", StandardViewSet, basename="standard")
urlpatterns = router.urls
