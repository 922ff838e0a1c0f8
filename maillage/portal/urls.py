from django.urls import path

from maillage.portal import views
from maillage.portal.feeds import NewsFeed

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("recherche/", views.search, name="search"),
    path("actualites/", views.news_list, name="news_list"),
    path("actualites/flux.atom", NewsFeed(), name="news_feed"),
    path("actualites/ajouter/", views.news_create, name="news_create"),
    path("actualites/<int:pk>/", views.news_detail, name="news"),
    path("actualites/<int:pk>/image/", views.news_image, name="news_image"),
    path("actualites/<int:pk>/modifier/", views.news_edit, name="news_edit"),
    path("actualites/<int:pk>/publier/", views.news_publish, name="news_publish"),
    path("actualites/<int:pk>/supprimer/", views.news_delete, name="news_delete"),
    path("ressources/", views.resource_list, name="resources"),
    path("ressources/ajouter/", views.resource_create, name="resource_create"),
    path("ressources/<int:pk>/", views.resource_detail, name="resource"),
    path("ressources/<int:pk>/fichier/", views.resource_file, name="resource_file"),
    path("ressources/<int:pk>/modifier/", views.resource_edit, name="resource_edit"),
    path("ressources/<int:pk>/supprimer/", views.resource_delete, name="resource_delete"),
    path("mentions-legales/", views.legal, name="legal"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
    path("accessibilite/", views.accessibility, name="accessibility"),
]
