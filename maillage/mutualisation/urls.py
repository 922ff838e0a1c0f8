from django.urls import path

from maillage.mutualisation import views

app_name = "mutualisation"
CONVENTION = "cooperations/<slug:slug>/conventions/<int:pk>/"
YEAR = CONVENTION + "<int:year>/"
urlpatterns = [
    path("cooperations/<slug:slug>/conventions/", views.conventions, name="conventions"),
    path(
        "cooperations/<slug:slug>/conventions/nouvelle/",
        views.convention_form,
        name="convention_create",
    ),
    path(CONVENTION, views.convention, name="convention"),
    path(CONVENTION + "modifier/", views.convention_form, name="convention_update"),
    path(CONVENTION + "supprimer/", views.convention_delete, name="convention_delete"),
    path(CONVENTION + "historique/", views.convention_history, name="convention_history"),
    path(CONVENTION + "rapport.<str:kind>", views.report_file, name="report"),
    path(CONVENTION + "parties/ajouter/", views.party_add, name="party_add"),
    path(CONVENTION + "parties/<int:member_pk>/", views.party_update, name="party_update"),
    path(CONVENTION + "parties/<int:member_pk>/retirer/", views.party_remove, name="party_remove"),
    path(CONVENTION + "avenants/ajouter/", views.amendment_add, name="amendment_add"),
    path(CONVENTION + "documents/ajouter/", views.document_add, name="document_add"),
    path(CONVENTION + "elements/ajouter/", views.item_form, name="item_create"),
    path(CONVENTION + "elements/<int:item_pk>/", views.item_form, name="item_update"),
    path(CONVENTION + "elements/<int:item_pk>/supprimer/", views.item_delete, name="item_delete"),
    path(CONVENTION + "exercices/ouvrir/", views.year_open, name="year_open"),
    path(YEAR, views.year, name="year"),
    path(YEAR + "historique/", views.year_history, name="year_history"),
    path(YEAR + "couts/ajouter/", views.cost_add, name="cost_add"),
    path(YEAR + "couts/<int:cost_pk>/supprimer/", views.cost_delete, name="cost_delete"),
    path(YEAR + "acomptes/ajouter/", views.advance_add, name="advance_add"),
    path(YEAR + "cles/<int:item_pk>/", views.key_form, name="key"),
    path(YEAR + "usages/", views.uses_form, name="uses"),
    path(YEAR + "clore/", views.year_close, name="year_close"),
    path(YEAR + "rouvrir/", views.year_reopen, name="year_reopen"),
    path(YEAR + "repartition.xlsx", views.allocation_file, name="allocation_file"),
    path(YEAR + "decomptes/<int:member_pk>/", views.statement, name="statement"),
    path(
        YEAR + "decomptes/<int:member_pk>/decompte.<str:kind>",
        views.statement_file,
        name="statement_file",
    ),
]
