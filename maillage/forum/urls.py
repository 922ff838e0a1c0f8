from django.urls import path

from maillage.forum import views

app_name = "forum"
urlpatterns = [
    path("", views.index, name="index"),
    path("espaces/ajouter/", views.space_create, name="space_create"),
    path("espaces/<int:pk>/", views.space_detail, name="space"),
    path("espaces/<int:pk>/modifier/", views.space_edit, name="space_edit"),
    path("espaces/<int:pk>/supprimer/", views.space_delete, name="space_delete"),
    path("espaces/<int:pk>/nouveau-sujet/", views.thread_create, name="thread_create"),
    path("sujets/<int:pk>/", views.thread_detail, name="thread"),
    path("sujets/<int:pk>/moderer/", views.thread_moderate, name="thread_moderate"),
    path("sujets/<int:pk>/deplacer/", views.thread_move, name="thread_move"),
    path("sujets/<int:pk>/resolu/", views.thread_solve, name="thread_solve"),
    path("sujets/<int:pk>/suivre/", views.thread_follow, name="thread_follow"),
    path("messages/<int:pk>/modifier/", views.post_edit, name="post_edit"),
    path("messages/<int:pk>/piece-jointe/", views.post_attachment, name="post_attachment"),
    path("messages/<int:pk>/signaler/", views.post_report, name="post_report"),
    path("messages/<int:pk>/masquer/", views.post_hide, name="post_hide"),
    path("messages/<int:pk>/afficher/", views.post_show, name="post_show"),
    path("signalements/<int:pk>/traiter/", views.report_handle, name="report_handle"),
]
