from django.urls import path

from maillage.cooperations import views

app_name = "cooperations"
urlpatterns = [
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/historique/", views.history, name="history"),
]
