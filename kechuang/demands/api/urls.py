from rest_framework.routers import DefaultRouter

from .views import TechDemandViewSet

router = DefaultRouter()
router.register("demands", TechDemandViewSet, basename="techdemand")
urlpatterns = router.urls
