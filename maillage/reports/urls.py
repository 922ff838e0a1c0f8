from django.urls import path

from maillage.reports import views

app_name = "reports"
urlpatterns = [
    path("tableau-de-bord/", views.overview, name="overview"),
    path("cooperations/<slug:slug>/tableau-de-bord/", views.dashboard, name="dashboard"),
    path("cooperations/<slug:slug>/rapports/", views.reports, name="reports"),
]
