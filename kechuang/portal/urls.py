from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("demands/", views.DemandBrowseView.as_view(), name="demand_list"),
    path("demands/<int:pk>/", views.DemandPublicView.as_view(), name="demand_detail"),
    path("achievements/", views.AchievementBrowseView.as_view(), name="achievement_list"),
    path("achievements/<int:pk>/", views.AchievementPublicView.as_view(),
         name="achievement_detail"),
    path("mine/", views.MySpaceView.as_view(), name="mine"),
    path("post/demand/", views.PostDemandView.as_view(), name="post_demand"),
    path("post/achievement/", views.PostAchievementView.as_view(), name="post_achievement"),
    path("claim/", views.ClaimView.as_view(), name="claim"),
    path("review/", views.ReviewQueueView.as_view(), name="review"),
]
