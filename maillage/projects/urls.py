from django.urls import path

from maillage.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("nouveau/", views.create, name="create"),
    path("statut/", views.bulk_status, name="bulk_status"),
    path("export/", views.export, name="export"),
    path("import/", views.import_plan, name="import"),
    path("import/modele/", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_run, name="import_run"),
    path("supprimes/", views.deleted, name="deleted"),
    path("supprimes/<int:version_id>/restaurer/", views.restore, name="restore"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/modifier/", views.update, name="update"),
    path("<str:code>/supprimer/", views.delete, name="delete"),
    path("<str:code>/statut/", views.status, name="status"),
    path("<str:code>/journal/", views.note, name="note"),
    path("<str:code>/historique/", views.history, name="history"),
    path("<str:code>/documents/<int:pk>/", views.document_download, name="document"),
    path("<str:code>/<str:kind>/ajouter/", views.part_form, name="part_add"),
    path("<str:code>/<str:kind>/<int:pk>/modifier/", views.part_form, name="part_update"),
    path("<str:code>/<str:kind>/<int:pk>/supprimer/", views.part_delete, name="part_delete"),
    path("<str:code>/indicateurs/<int:pk>/valeur/", views.indicator_value, name="indicator_value"),
]
