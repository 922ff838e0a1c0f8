from django.urls import path

from maillage.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.centre, name="centre"),
    path("preferences/", views.preferences, name="preferences"),
    path("tout-lu/", views.read_all, name="read_all"),
    path("<int:pk>/ouvrir/", views.open_notification, name="open"),
]
