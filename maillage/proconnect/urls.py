from django.urls import path

from maillage.proconnect import views

app_name = "proconnect"
urlpatterns = [
    path("connexion/", views.sign_in, name="sign_in"),
    path("retour/", views.callback, name="callback"),
]
