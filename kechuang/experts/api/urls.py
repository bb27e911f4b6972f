from rest_framework.routers import DefaultRouter

from .views import ExpertViewSet

router = DefaultRouter()
router.register("experts", ExpertViewSet, basename="expert")
urlpatterns = router.urls
