from django.urls import path

from maillage.territories import views

app_name = "territories"
urlpatterns = [
    path("", views.territory_list, name="list"),
    path("suggestions/", views.territory_suggestions, name="suggestions"),
    path("nouveau-perimetre/", views.area_create, name="area_create"),
    path("<int:pk>/", views.territory_detail, name="detail"),
    path("<int:pk>/modifier/", views.area_update, name="area_update"),
    path("<int:pk>/historique/", views.territory_history, name="history"),
]
