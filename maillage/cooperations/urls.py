from django.urls import path

from maillage.cooperations import views

app_name = "cooperations"
urlpatterns = [
    path("nouvelle/", views.cooperation_create, name="create"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/modifier/", views.cooperation_update, name="update"),
    path("<slug:slug>/etape/", views.stage_set, name="stage"),
    path("<slug:slug>/historique/", views.history, name="history"),
    path("<slug:slug>/parties/ajouter/", views.party_add, name="party_add"),
    path("<slug:slug>/parties/<int:pk>/modifier/", views.party_update, name="party_update"),
    path("<slug:slug>/parties/<int:pk>/retirer/", views.party_remove, name="party_remove"),
    path("<slug:slug>/etapes/ajouter/", views.milestone_create, name="milestone_create"),
    path("<slug:slug>/etapes/<int:pk>/modifier/", views.milestone_update, name="milestone_update"),
    path("<slug:slug>/etapes/<int:pk>/supprimer/", views.milestone_delete, name="milestone_delete"),
    path("<slug:slug>/documents/ajouter/", views.document_add, name="document_add"),
    path("<slug:slug>/documents/<int:pk>/", views.document_download, name="document"),
    path("<slug:slug>/logo/", views.logo, name="logo"),
    path(
        "<slug:slug>/documents/<int:pk>/supprimer/", views.document_delete, name="document_delete"
    ),
    path("<slug:slug>/membres/", views.members, name="members"),
    path("<slug:slug>/membres/<int:pk>/role/", views.member_role, name="member_role"),
    path("<slug:slug>/membres/<int:pk>/retirer/", views.member_remove, name="member_remove"),
    path(
        "<slug:slug>/membres/invitations/<int:pk>/renvoyer/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "<slug:slug>/membres/invitations/<int:pk>/retirer/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("<slug:slug>/thematiques/", views.themes, name="themes"),
    path("<slug:slug>/thematiques/<int:pk>/modifier/", views.theme_update, name="theme_update"),
    path("<slug:slug>/thematiques/<int:pk>/supprimer/", views.theme_delete, name="theme_delete"),
    path("<slug:slug>/strategie/", views.strategy, name="strategy"),
    path("<slug:slug>/strategie/ajouter/", views.strategy_node_create, name="node_create"),
    path("<slug:slug>/strategie/reprendre/", views.strategy_copy, name="strategy_copy"),
    path("<slug:slug>/strategie/<int:pk>/", views.strategy_node, name="strategy_node"),
    path(
        "<slug:slug>/strategie/<int:pk>/modifier/", views.strategy_node_update, name="node_update"
    ),
    path("<slug:slug>/strategie/<int:pk>/deplacer/", views.strategy_node_move, name="node_move"),
    path(
        "<slug:slug>/strategie/<int:pk>/supprimer/", views.strategy_node_delete, name="node_delete"
    ),
    path("<slug:slug>/groupes/", views.working_groups, name="working_groups"),
    path("<slug:slug>/groupes/nouveau/", views.working_group_create, name="working_group_create"),
    path("<slug:slug>/groupes/<int:pk>/", views.working_group, name="working_group"),
    path(
        "<slug:slug>/groupes/<int:pk>/modifier/",
        views.working_group_update,
        name="working_group_update",
    ),
    path(
        "<slug:slug>/groupes/<int:pk>/supprimer/",
        views.working_group_delete,
        name="working_group_delete",
    ),
    path(
        "<slug:slug>/groupes/<int:pk>/membres/ajouter/",
        views.working_group_member_add,
        name="working_group_member_add",
    ),
    path(
        "<slug:slug>/groupes/<int:pk>/membres/<int:member>/retirer/",
        views.working_group_member_remove,
        name="working_group_member_remove",
    ),
    path("<slug:slug>/pistes/", views.proposals, name="proposals"),
    path("<slug:slug>/pistes/nouvelle/", views.proposal_create, name="proposal_create"),
    path("<slug:slug>/pistes/<int:number>/", views.proposal_detail, name="proposal"),
    path(
        "<slug:slug>/pistes/<int:number>/modifier/", views.proposal_update, name="proposal_update"
    ),
    path(
        "<slug:slug>/pistes/<int:number>/decision/", views.proposal_decide, name="proposal_decide"
    ),
]
