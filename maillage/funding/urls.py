from django.urls import path

from maillage.funding import views

app_name = "funding"
FUND = "fonds/<int:pk>/"
CALL = "appels/<int:pk>/"
APPLICATION = "dossiers/<int:pk>/"
urlpatterns = [
    path("cooperations/<slug:slug>/fonds/nouveau/", views.fund_form, name="fund_create"),
    path(FUND, views.fund_page, name="fund"),
    path(FUND + "modifier/", views.fund_form, name="fund_update"),
    path(FUND + "enveloppes/ajouter/", views.envelope_add, name="envelope_add"),
    path(FUND + "fiches-actions/ajouter/", views.measure_add, name="measure_add"),
    path("fonds/<int:fund_pk>/appels/nouveau/", views.call_form, name="call_create"),
    path(FUND + "dossiers/", views.applications, name="applications"),
    path(FUND + "subventions.csv", views.grants_export, name="grants_export"),
    path(CALL, views.call_page, name="call"),
    path(CALL + "modifier/", views.call_form, name="call_update"),
    path(CALL + "documents/ajouter/", views.call_document_add, name="call_document_add"),
    path(CALL + "deposer/", views.application_create, name="application_create"),
    path(CALL + "dossiers.<str:fmt>", views.call_export, name="call_export"),
    path(CALL + "questions/ajouter/", views.question_add, name="question_add"),
    path(
        CALL + "questions/<int:question_pk>/retirer/",
        views.question_delete,
        name="question_delete",
    ),
    path("mes-dossiers/", views.my_applications, name="my_applications"),
    path(
        "mes-dossiers/a-instruire/",
        views.my_applications,
        {"reviews": True},
        name="my_reviews",
    ),
    path(APPLICATION, views.application_page, name="application"),
    path(APPLICATION + "modifier/", views.application_update, name="application_update"),
    path(APPLICATION + "questions/", views.answers_form, name="answers"),
    path(APPLICATION + "reponses/<int:answer_pk>/", views.answer_file, name="answer_file"),
    path(APPLICATION + "<str:name>.<str:kind>", views.application_file, name="application_file"),
    path(
        APPLICATION + "partenaires/ajouter/",
        views.application_action,
        {"action": "partner_add"},
        name="partner_add",
    ),
    path(
        APPLICATION + "budget/ajouter/",
        views.application_action,
        {"action": "budget_line_add"},
        name="budget_line_add",
    ),
    path(
        APPLICATION + "financements/ajouter/",
        views.application_action,
        {"action": "other_funding_add"},
        name="other_funding_add",
    ),
    path(APPLICATION + "<str:part>/<int:part_pk>/retirer/", views.part_remove, name="part_remove"),
    path(APPLICATION + "deposer/", views.application_submit, name="application_submit"),
    path(APPLICATION + "retirer/", views.application_withdraw, name="application_withdraw"),
    path(
        APPLICATION + "recevabilite/",
        views.application_action,
        {"action": "application_screen"},
        name="application_screen",
    ),
    path(
        APPLICATION + "inviter/",
        views.application_action,
        {"action": "application_invite"},
        name="application_invite",
    ),
    path(
        APPLICATION + "renvoyer/",
        views.application_action,
        {"action": "application_return"},
        name="application_return",
    ),
    path(
        APPLICATION + "instructeurs/",
        views.application_action,
        {"action": "reviewer_assign"},
        name="reviewer_assign",
    ),
    path(APPLICATION + "evaluation/", views.review, name="review"),
    path(
        APPLICATION + "decision/",
        views.application_action,
        {"action": "application_decide"},
        name="application_decide",
    ),
    path(
        APPLICATION + "convention/",
        views.application_action,
        {"action": "convention_sign"},
        name="convention_sign",
    ),
    path(
        APPLICATION + "paiements/demander/",
        views.application_action,
        {"action": "payment_request"},
        name="payment_request",
    ),
    path(APPLICATION + "paiements/<int:payment_pk>/payer/", views.payment_pay, name="payment_pay"),
    path(
        APPLICATION + "paiements/<int:payment_pk>/etat/",
        views.payment_statement,
        name="payment_statement",
    ),
]
