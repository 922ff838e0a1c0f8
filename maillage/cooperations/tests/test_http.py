"""Pages and API of a cooperation, as every role; bad input; fixed query counts."""

import itertools
from functools import partial

import pytest
from django.urls import reverse

from maillage.accounts.tests.factories import UserFactory
from maillage.cooperations import services
from maillage.cooperations.models import Proposal, StrategyNode
from maillage.cooperations.tests.factories import OrganisationFactory, PersonFactory
from maillage.core.enums import Visibility
from maillage.core.testing import ROLES, assert_constant_queries, assert_permission_matrix

pytestmark = pytest.mark.django_db

EVERYBODY = dict.fromkeys(ROLES, 200)
COORDINATION_PAGE = {
    **dict.fromkeys(ROLES, 403),
    "anonymous": 302,  # to the login page
    "coordinator": 200,
    "staff": 200,
}
COORDINATION_API = {**COORDINATION_PAGE, "anonymous": 401}
counter = itertools.count()


@pytest.fixture
def built(cooperation, claire):
    """A public cooperation with one of everything."""
    cooperation.visibility = Visibility.PUBLIC
    cooperation.save()
    theme = services.theme_create(actor=claire, cooperation=cooperation, name="Santé")
    axis = services.strategy_node_create(
        actor=claire, cooperation=cooperation, title="Axe", themes=[theme]
    )
    action = services.strategy_node_create(
        actor=claire, cooperation=cooperation, title="Action", parent=axis
    )
    group = services.working_group_create(
        actor=claire, cooperation=cooperation, name="Groupe", theme=theme
    )
    services.working_group_member_add(actor=claire, group=group, person=PersonFactory.create())
    party = services.party_add(
        actor=claire,
        cooperation=cooperation,
        organisation=OrganisationFactory.create(),
        role="partner",
    )
    milestone = services.milestone_create(
        actor=claire, cooperation=cooperation, kind="study", title="Étude"
    )
    proposal = services.proposal_create(
        actor=claire,
        cooperation=cooperation,
        title="Piste",
        working_group=group,
        strategy_nodes=[action],
        visibility=Visibility.PUBLIC,
    )
    return {
        "theme": theme,
        "axis": axis,
        "action": action,
        "group": group,
        "party": party,
        "milestone": milestone,
        "proposal": proposal,
    }


def get(client, *, path: str):
    return client.get(path)


def url(name, cooperation, *args):
    return reverse(f"cooperations:{name}", args=[cooperation.slug, *args])


@pytest.mark.parametrize("name", ["detail", "strategy", "themes", "working_groups", "proposals"])
def test_reading_pages_of_a_public_cooperation(cast, cooperation, built, name):
    assert_permission_matrix(cast, lambda c: c.get(url(name, cooperation)), EVERYBODY)


def test_node_group_and_proposal_pages(cast, cooperation, built):
    for path in (
        url("strategy_node", cooperation, built["action"].pk),
        url("working_group", cooperation, built["group"].pk),
        url("proposal", cooperation, built["proposal"].number),
    ):
        assert_permission_matrix(cast, partial(get, path=path), EVERYBODY)


def test_member_names_in_a_group_are_for_members(cast, cooperation, built):
    person = built["group"].members.get().person
    client_page = url("working_group", cooperation, built["group"].pk)
    for role, user in cast.items():
        from django.test import Client

        client = Client()
        if user:
            client.force_login(user)
        shown = person.last_name in client.get(client_page).content.decode()
        assert shown == (role not in {"anonymous", "outsider"}), role


@pytest.mark.parametrize(
    "name",
    [
        "update",
        "party_add",
        "milestone_create",
        "document_add",
        "members",
        "node_create",
        "working_group_create",
    ],
)
def test_editing_pages_are_for_coordination(cast, cooperation, built, name):
    assert_permission_matrix(cast, lambda c: c.get(url(name, cooperation)), COORDINATION_PAGE)


def test_editing_pages_of_parts(cast, cooperation, built):
    for path in (
        url("party_update", cooperation, built["party"].pk),
        url("party_remove", cooperation, built["party"].pk),
        url("milestone_update", cooperation, built["milestone"].pk),
        url("milestone_delete", cooperation, built["milestone"].pk),
        url("theme_update", cooperation, built["theme"].pk),
        url("node_update", cooperation, built["axis"].pk),
        url("node_delete", cooperation, built["axis"].pk),
        url("working_group_update", cooperation, built["group"].pk),
        url("working_group_member_add", cooperation, built["group"].pk),
        url("proposal_decide", cooperation, built["proposal"].number),
    ):
        assert_permission_matrix(cast, partial(get, path=path), COORDINATION_PAGE)


def test_proposing_is_for_members_but_observers(cast, cooperation, built):
    expected = {**dict.fromkeys(ROLES, 200), "anonymous": 302, "outsider": 403, "observer": 403}
    assert_permission_matrix(cast, lambda c: c.get(url("proposal_create", cooperation)), expected)


def test_a_coordinator_builds_a_cooperation_in_the_interface(client, claire, cooperation):
    client.force_login(claire)
    organisation = OrganisationFactory.create()
    response = client.post(
        url("party_add", cooperation),
        {"organisation": organisation.pk, "role": "signatory", "signatory_title": "le Président"},
    )
    assert response.status_code == 302
    response = client.post(
        url("milestone_create", cooperation),
        {"kind": "protocol_signature", "title": "Protocole", "date": "2015-12-14"},
    )
    assert response.status_code == 302
    response = client.post(url("node_create", cooperation), {"title": "Économie"})
    assert response.status_code == 302
    axis = StrategyNode.objects.get(title="Économie")
    response = client.post(
        url("node_create", cooperation),
        {"title": "Bois", "parent": axis.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#strategy-tree"
    assert "1.1" in response.content.decode()
    response = client.post(
        url("working_group_create", cooperation), {"name": "Énergie", "kind": "working_group"}
    )
    assert response.status_code == 302
    response = client.post(
        url("proposal_create", cooperation),
        {"title": "Chaufferie", "visibility": "partners", "strategy_nodes": [axis.pk]},
    )
    assert response.status_code == 302
    page = client.get(url("detail", cooperation)).content.decode()
    for text in (organisation.name, "Protocole", "Économie", "Énergie"):
        assert text in page


def test_moving_in_place_returns_the_renumbered_tree(client, claire, cooperation, built):
    client.force_login(claire)
    second = services.strategy_node_create(actor=claire, cooperation=cooperation, title="Second")
    response = client.post(
        url("node_move", cooperation, second.pk), {"direction": "up"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    second.refresh_from_db()
    assert second.code == "1"
    response = client.post(url("node_move", cooperation, built["axis"].pk), {"direction": "in"})
    assert response.status_code == 302
    built["axis"].refresh_from_db()
    assert built["axis"].code == "1.1"


def test_bad_input_is_explained_and_writes_nothing(client, claire, cooperation):
    client.force_login(claire)
    response = client.post(
        url("milestone_create", cooperation), {"kind": "deliberation", "title": "Vote"}
    )
    assert response.status_code == 200
    assert "assemblée" in response.content.decode()
    assert not cooperation.milestones.exists()
    response = client.post(
        url("update", cooperation),
        {"title": "", "kind": "other", "visibility": "public", "strategy_levels": "Axe"},
    )
    assert response.status_code == 200
    assert not cooperation.milestones.exists()


def test_the_cooperation_list_filters(client, cooperation, built):
    other = OrganisationFactory.create(name="Autre structure")
    assert (
        cooperation.title
        in client.get("/", {"partie": built["party"].organisation_id}).content.decode()
    )
    assert cooperation.title not in client.get("/", {"partie": other.pk}).content.decode()
    assert cooperation.title not in client.get("/", {"etape": "closed"}).content.decode()
    api = client.get("/api/v1/cooperations", {"party": built["party"].organisation_id}).json()
    assert [item["slug"] for item in api["items"]] == [cooperation.slug]
    assert api["items"][0]["stage"] == "diagnosis"


# API -------------------------------------------------------------------------------------


def api(cooperation, path=""):
    return f"/api/v1/cooperations/{cooperation.pk}{path}"


@pytest.mark.parametrize(
    "path",
    [
        "",
        "/parties",
        "/milestones",
        "/strategy",
        "/themes",
        "/working-groups",
        "/proposals",
        "/documents",
    ],
)
def test_the_api_reads_what_the_page_shows(cast, cooperation, built, path):
    assert_permission_matrix(cast, lambda c: c.get(api(cooperation, path)), EVERYBODY)


def test_the_api_answers_the_interface_fields(client, cooperation, built):
    detail = client.get(api(cooperation)).json()
    assert {"id", "slug", "title", "short_name", "kind", "stage", "parties"} <= set(detail)
    assert detail["parties"][0]["role"] == "partner"
    nodes = client.get(api(cooperation, "/strategy")).json()
    assert [(n["code"], n["parent"]) for n in nodes] == [("1", None), ("1.1", built["axis"].pk)]
    groups = client.get(api(cooperation, "/working-groups")).json()["items"]
    assert groups[0]["members_count"] == 1
    proposals = client.get(api(cooperation, "/proposals")).json()["items"]
    assert proposals[0]["strategy_nodes"] == ["1.1"]
    milestones = client.get(api(cooperation, "/milestones")).json()
    assert milestones[0]["kind"] == "study" and milestones[0]["date"] is None


def test_members_are_for_coordination_in_the_api(cast, cooperation, built):
    expected = {**COORDINATION_API, "outsider": 403}
    assert_permission_matrix(cast, lambda c: c.get(api(cooperation, "/members")), expected)


def test_invitations_are_sent_again_or_withdrawn_by_coordination(cast, cooperation, claire):
    def invite():
        return services.invitation_create(
            actor=claire,
            cooperation=cooperation,
            email=f"invite-{next(counter)}@exemple.test",
            role="observer",
        )

    def resend_page(client):
        return client.post(url("invitation_resend", cooperation, invite().pk))

    def withdraw_page(client):
        return client.get(url("invitation_withdraw", cooperation, invite().pk))

    def withdraw_confirmed(client):
        return client.post(url("invitation_withdraw", cooperation, invite().pk))

    # The cooperation is for partners: an outsider does not learn it exists.
    page_expected = {**COORDINATION_PAGE, "outsider": 404}
    coordination_post = {**page_expected, "coordinator": 302, "staff": 302}
    assert_permission_matrix(cast, resend_page, coordination_post)
    assert_permission_matrix(cast, withdraw_page, page_expected)
    assert_permission_matrix(cast, withdraw_confirmed, coordination_post)
    api_expected = {**COORDINATION_API, "outsider": 404}
    assert_permission_matrix(cast, lambda c: c.get(api(cooperation, "/invitations")), api_expected)
    assert_permission_matrix(
        cast,
        lambda c: c.post(api(cooperation, f"/invitations/{invite().pk}/resend")),
        api_expected,
    )
    assert_permission_matrix(
        cast,
        lambda c: c.delete(api(cooperation, f"/invitations/{invite().pk}")),
        {**api_expected, "coordinator": 204, "staff": 204},
    )


def test_the_members_page_lists_invitations_with_their_state(client, claire, cooperation):
    from datetime import timedelta

    from django.utils import timezone

    from maillage.cooperations.models import Invitation

    fresh = services.invitation_create(
        actor=claire, cooperation=cooperation, email="fraiche@exemple.test", role="observer"
    )
    old = services.invitation_create(
        actor=claire, cooperation=cooperation, email="ancienne@exemple.test", role="funder"
    )
    Invitation.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    client.force_login(claire)
    body = client.get(url("members", cooperation)).content.decode()
    assert "fraiche@exemple.test" in body and "ancienne@exemple.test" in body
    assert body.count("expiré<") == 1 and "valable jusqu’au" in body
    items = client.get(api(cooperation, "/invitations")).json()["items"]
    assert [(i["email"], i["pending"]) for i in items] == [
        ("fraiche@exemple.test", True),
        ("ancienne@exemple.test", False),
    ]

    def invite_more():
        for n in range(5):
            services.invitation_create(
                actor=claire, cooperation=cooperation, email=f"p{n}@exemple.test", role="funder"
            )

    assert_constant_queries(
        lambda: [
            client.get(url("members", cooperation)),
            client.get(api(cooperation, "/invitations")),
        ],
        invite_more,
    )
    response = client.post(api(cooperation, f"/invitations/{old.pk}/resend"))
    assert response.status_code == 200 and response.json()["pending"] is True
    assert client.delete(api(cooperation, f"/invitations/{fresh.pk}")).status_code == 204
    assert client.delete(api(cooperation, f"/invitations/{fresh.pk}")).status_code == 404
    assert client.post(url("invitation_withdraw", cooperation, 999999)).status_code == 404


def test_api_writes_are_for_coordination(cast, cooperation, built):
    def post_theme(client):
        return client.post(
            api(cooperation, "/themes"),
            {"name": f"Thème {next(counter)}"},
            content_type="application/json",
        )

    expected = {**COORDINATION_API, "coordinator": 201, "staff": 201}
    assert_permission_matrix(cast, post_theme, expected)

    def post_node(client):
        return client.post(
            api(cooperation, "/strategy"),
            {"title": "Nouveau", "parent": built["axis"].pk},
            content_type="application/json",
        )

    assert_permission_matrix(cast, post_node, expected)

    def move(client):
        return client.post(
            api(cooperation, f"/strategy/{built['action'].pk}/move"),
            {"parent": None, "position": 0},
            content_type="application/json",
        )

    assert_permission_matrix(cast, move, COORDINATION_API)


def test_api_proposals_and_comments(cast, cooperation, built):
    def propose(client):
        return client.post(
            api(cooperation, "/proposals"),
            {"title": "Idée", "strategy_node_ids": [built["action"].pk]},
            content_type="application/json",
        )

    expected = {**dict.fromkeys(ROLES, 201), "anonymous": 401, "outsider": 403, "observer": 403}
    assert_permission_matrix(cast, propose, expected)
    number = built["proposal"].number

    def comment(client):
        return client.post(
            api(cooperation, f"/proposals/{number}/comments"),
            {"text": "Oui"},
            content_type="application/json",
        )

    assert_permission_matrix(cast, comment, {**expected, "observer": 201})


def test_api_bad_input_names_the_field(client, claire, cooperation, built):
    client.force_login(claire)
    response = client.post(
        api(cooperation, "/milestones"),
        {"kind": "amendment", "title": "Avenant"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "changes"
    response = client.post(
        api(cooperation, "/proposals"),
        {"title": "X", "strategy_node_ids": [999999]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "strategy_node_ids"
    assert Proposal.objects.filter(title="X").count() == 0
    response = client.post(
        api(cooperation, f"/proposals/{built['proposal'].number}/decision"),
        {"status": "declined"},
        content_type="application/json",
    )
    assert response.status_code == 400


def test_hidden_cooperations_stay_hidden_in_every_api_list(client, nadia, cooperation, built):
    cooperation.visibility = Visibility.RESTRICTED
    cooperation.save()
    client.force_login(nadia)
    for path in ("", "/strategy", "/proposals", "/working-groups"):
        assert client.get(api(cooperation, path)).status_code == 404


# Query counts ------------------------------------------------------------------------------


def test_lists_keep_a_fixed_number_of_queries(client, claire, cooperation, built):
    client.force_login(claire)

    def grow():
        for n in range(5):
            node = services.strategy_node_create(
                actor=claire,
                cooperation=cooperation,
                title=f"N{n}",
                parent=built["axis"],
                themes=[built["theme"]],
            )
            group = services.working_group_create(
                actor=claire, cooperation=cooperation, name=f"G{n}", theme=built["theme"]
            )
            services.working_group_member_add(
                actor=claire, group=group, person=PersonFactory.create()
            )
            services.proposal_create(
                actor=claire,
                cooperation=cooperation,
                title=f"P{n}",
                working_group=group,
                strategy_nodes=[node],
            )
            services.party_add(
                actor=claire,
                cooperation=cooperation,
                organisation=OrganisationFactory.create(),
                role="funder",
            )
            services.milestone_create(
                actor=claire, cooperation=cooperation, kind="review", title=f"R{n}"
            )

    paths = [
        url("detail", cooperation),
        url("strategy", cooperation),
        url("working_groups", cooperation),
        url("proposals", cooperation),
        url("themes", cooperation),
        url("strategy_node", cooperation, built["axis"].pk),
        "/",
        api(cooperation),
        api(cooperation, "/strategy"),
        api(cooperation, "/proposals"),
        api(cooperation, "/working-groups"),
        api(cooperation, "/milestones"),
        api(cooperation, "/parties"),
        "/api/v1/cooperations",
    ]
    before = {path: client.get(path) for path in paths}
    assert all(r.status_code == 200 for r in before.values())
    assert_constant_queries(lambda: [client.get(path) for path in paths], grow)


def test_commenting_on_the_page_is_for_members(cast, cooperation, built):
    path = url("proposal", cooperation, built["proposal"].number)
    expected = {**dict.fromkeys(ROLES, 302), "anonymous": 403, "outsider": 403}
    assert_permission_matrix(cast, lambda c: c.post(path, {"text": "D’accord"}), expected)
    assert built["proposal"].comments.count() == 6


def test_an_invitation_link_is_accepted_by_its_addressee_only(client, claire, cooperation):
    invitation = services.invitation_create(
        actor=claire, cooperation=cooperation, email="zoe@exemple.test", role="funder"
    )
    path = reverse("cooperations:invitation", args=[invitation.token])
    assert client.get(path).status_code == 302  # log in first
    client.force_login(UserFactory.create(email="autre@exemple.test"))
    assert "adressée à zoe@exemple.test" in client.get(path).content.decode()
    assert client.post(path).status_code == 403
    client.force_login(UserFactory.create(email="zoe@exemple.test"))
    response = client.post(path)
    assert response.status_code == 302
    assert cooperation.memberships.filter(user__email="zoe@exemple.test", role="funder").exists()
    assert client.post(path).status_code == 302  # used: back home with a message
    assert "Cette invitation a expiré ou a déjà servi" in client.get(path).content.decode()
