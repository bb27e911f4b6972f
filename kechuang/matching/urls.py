from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("demand/<int:pk>/", views.DemandMatchView.as_view(), name="demand_matches"),
    path("achievement/<int:pk>/", views.AchievementMatchView.as_view(),
         name="achievement_matches"),
    path("rebuild/", views.RebuildIndexView.as_view(), name="rebuild"),
    path("suggest-field/", views.suggest_field, name="suggest_field"),
]
