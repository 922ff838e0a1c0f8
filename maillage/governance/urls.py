from django.urls import path

from maillage.governance import views

app_name = "governance"
urlpatterns = [
    path("evenements/nouveau/", views.event_form, name="event_create"),
    path("evenements/<int:pk>/", views.event, name="event"),
    path("evenements/<int:pk>/modifier/", views.event_form, name="event_update"),
    path("evenements/<int:pk>/supprimer/", views.event_delete, name="event_delete"),
    path(
        "evenements/<int:pk>/emargement/",
        views.event_registrations_export,
        name="event_registrations_export",
    ),
    path("cooperations/<slug:slug>/reunions/", views.meetings, name="meetings"),
    path("cooperations/<slug:slug>/gouvernance/supprimes/", views.deleted, name="deleted"),
    path(
        "cooperations/<slug:slug>/gouvernance/supprimes/<int:version_id>/restaurer/",
        views.restore,
        name="restore",
    ),
    path("cooperations/<slug:slug>/reunions/<int:pk>/", views.meeting, name="meeting"),
    path("cooperations/<slug:slug>/reunions/nouvelle/", views.meeting_form, name="meeting_create"),
    path(
        "cooperations/<slug:slug>/reunions/<int:pk>/modifier/",
        views.meeting_form,
        name="meeting_update",
    ),
    path(
        "cooperations/<slug:slug>/reunions/<int:pk>/inviter/",
        views.meeting_invite,
        name="meeting_invite",
    ),
    path(
        "cooperations/<slug:slug>/reunions/<int:pk>/emargement/",
        views.registrations_export,
        name="registrations_export",
    ),
    path("cooperations/<slug:slug>/instances/nouvelle/", views.body_form, name="body_create"),
    path(
        "cooperations/<slug:slug>/instances/<int:pk>/modifier/", views.body_form, name="body_update"
    ),
    path(
        "cooperations/<slug:slug>/instances/<int:pk>/membres/",
        views.mandate_add,
        name="mandate_add",
    ),
    path(
        "cooperations/<slug:slug>/reunions/calendrier/",
        views.meetings_calendar,
        name="meetings_calendar",
    ),
    path(
        "cooperations/<slug:slug>/reunions/<int:pk>/documents/ajouter/",
        views.meeting_document_add,
        name="meeting_document_add",
    ),
    path(
        "cooperations/<slug:slug>/reunions/<int:pk>/supprimer/",
        views.meeting_delete,
        name="meeting_delete",
    ),
    path(
        "cooperations/<slug:slug>/ordre-du-jour/<int:pk>/modifier/",
        views.agenda_item_update,
        name="agenda_item_update",
    ),
    path(
        "cooperations/<slug:slug>/ordre-du-jour/<int:pk>/supprimer/",
        views.agenda_item_delete,
        name="agenda_item_delete",
    ),
    path(
        "cooperations/<slug:slug>/ordre-du-jour/<int:pk>/deplacer/",
        views.agenda_item_move,
        name="agenda_item_move",
    ),
    path(
        "cooperations/<slug:slug>/decisions/<int:pk>/modifier/",
        views.decision_update,
        name="decision_update",
    ),
    path(
        "cooperations/<slug:slug>/presences/<int:pk>/supprimer/",
        views.attendance_delete,
        name="attendance_delete",
    ),
    path(
        "cooperations/<slug:slug>/mandats/<int:pk>/modifier/",
        views.mandate_update,
        name="mandate_update",
    ),
    path(
        "cooperations/<slug:slug>/mandats/<int:pk>/supprimer/",
        views.mandate_delete,
        name="mandate_delete",
    ),
    path("mon-espace/calendrier/", views.my_calendar, name="my_calendar"),
    path("mon-espace/agenda/", views.calendar_feed, name="feed"),
    path("agenda/<str:token>.ics", views.feed_ics, name="feed_ics"),
    path("mon-espace/reunions.ics", views.my_meetings_ics, name="my_meetings_ics"),
    path(
        "cooperations/<slug:slug>/reunions/<int:pk>/<str:what>/",
        views.meeting_record,
        name="meeting_record",
    ),
    path("cooperations/<slug:slug>/instances/<int:pk>/", views.body, name="body"),
    path("cooperations/<slug:slug>/decisions/", views.decisions, name="decisions"),
    path(
        "cooperations/<slug:slug>/decisions/export/",
        views.decisions_export,
        name="decisions_export",
    ),
    path("cooperations/<slug:slug>/calendar.ics", views.cooperation_ics, name="cooperation_ics"),
    path("meetings/<int:pk>.ics", views.meeting_ics, name="meeting_ics"),
    path("inscription/<str:token>/", views.registration, name="registration"),
]
