from django.urls import path

from . import views

app_name = "achievements"
urlpatterns = [
    path("", views.AchievementListView.as_view(), name="achievement_list"),
    path("add/", views.AchievementEditView.as_view(), name="achievement_add"),
    path("import/", views.AchievementImportView.as_view(), name="achievement_import"),
    path("<int:pk>/", views.AchievementDetailView.as_view(), name="achievement_detail"),
    path("<int:pk>/edit/", views.AchievementEditView.as_view(), name="achievement_edit"),
    path("<int:pk>/review/", views.AchievementReviewView.as_view(), name="achievement_review"),
    path("<int:pk>/status/", views.AchievementStatusView.as_view(), name="achievement_status"),
]
