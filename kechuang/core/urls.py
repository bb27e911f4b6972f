from django.urls import path

from . import views_home
from .autocomplete import AutocompleteView
from .views import JobView

app_name = "core"
urlpatterns = [
    path("", views_home.home, name="home"),
    path("jobs/<int:pk>/", JobView.as_view(), name="job"),
    path("autocomplete/<slug:name>/", AutocompleteView.as_view(), name="autocomplete"),
]
