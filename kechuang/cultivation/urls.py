from django.urls import path

from . import views

app_name = "cultivation"
urlpatterns = [
    path("assessment/", views.my_assessment, name="my_assessment"),
    path("assessment/<int:pk>/", views.AssessmentView.as_view(), name="assessment"),
    path("assessment/<int:pk>/result.json", views.AssessmentJsonView.as_view(),
         name="assessment_json"),
    path("rules/", views.RuleRowListView.as_view(), name="rule_list"),
    path("pipeline/", views.pipeline_view, name="pipeline"),
    path("pipeline/recompute/", views.recompute_candidates, name="recompute_candidates"),
    path("pipeline/status/", views.candidate_status, name="candidate_status"),
    path("pipeline/<slug:code>/", views.candidate_list_view, name="candidates"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/build/", views.campaign_build, name="campaign_build"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("campaigns/<int:pk>/chart.json", views.campaign_chart, name="campaign_chart"),
    path("campaign-entries/<int:pk>/", views.EntryDetailView.as_view(), name="entry_detail"),
    path("subsidies/", views.policy_list, name="policy_list"),
    path("subsidies/add/", views.PolicyEditView.as_view(), name="policy_add"),
    path("subsidies/mine/", views.my_subsidies, name="my_subsidies"),
    path("subsidies/<int:pk>/", views.PolicyDetailView.as_view(), name="policy_detail"),
    path("subsidies/<int:pk>/edit/", views.PolicyEditView.as_view(), name="policy_edit"),
    path("entitlements/<int:pk>/", views.EntitlementDetailView.as_view(),
         name="entitlement_detail"),
]
