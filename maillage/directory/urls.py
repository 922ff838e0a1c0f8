from django.urls import path

from maillage.directory import views

app_name = "directory"
urlpatterns = [
    path("structures/", views.organisation_list, name="organisation_list"),
    path("structures/nouvelle/", views.organisation_create, name="organisation_create"),
    path("structures/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("structures/<int:pk>/modifier/", views.organisation_update, name="organisation_update"),
    path(
        "structures/<int:pk>/historique/", views.organisation_history, name="organisation_history"
    ),
    path("personnes/", views.person_list, name="person_list"),
    path("personnes/nouvelle/", views.person_create, name="person_create"),
    path("personnes/<int:pk>/", views.person_detail, name="person_detail"),
    path("personnes/<int:pk>/modifier/", views.person_update, name="person_update"),
    path("personnes/<int:pk>/historique/", views.person_history, name="person_history"),
    path("personnes/<int:pk>/fonctions/", views.position_add, name="position_add"),
    path("personnes/<int:pk>/export/", views.person_export, name="person_export"),
    path("personnes/<int:pk>/effacer/", views.person_erase, name="person_erase"),
    path("fonctions/<int:pk>/retirer/", views.position_remove, name="position_remove"),
]
