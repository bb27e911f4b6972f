from rest_framework.routers import DefaultRouter

from .views import AnnualIndicatorViewSet, CertificationViewSet, EnterpriseViewSet

router = DefaultRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("indicators", AnnualIndicatorViewSet, basename="annualindicator")
router.register("certifications", CertificationViewSet, basename="certification")
urlpatterns = router.urls
