from django.urls import path

from maillage.governance import views

app_name = "governance"
urlpatterns = [
    path("cooperations/<slug:slug>/reunions/", views.meetings, name="meetings"),
    path("cooperations/<slug:slug>/reunions/<int:pk>/", views.meeting, name="meeting"),
    path(
        "cooperations/<slug:slug>/reunions/<int:pk>/<str:what>/",
        views.meeting_record,
        name="meeting_record",
    ),
    path("cooperations/<slug:slug>/instances/<int:pk>/", views.body, name="body"),
    path("cooperations/<slug:slug>/decisions/", views.decisions, name="decisions"),
    path("cooperations/<slug:slug>/calendar.ics", views.cooperation_ics, name="cooperation_ics"),
    path("meetings/<int:pk>.ics", views.meeting_ics, name="meeting_ics"),
    path("inscription/<str:token>/", views.registration, name="registration"),
]
