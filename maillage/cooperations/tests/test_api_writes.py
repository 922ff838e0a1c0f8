"""Every write endpoint of the cooperations API, as every role, on a public cooperation:
anonymous 401, members and outsiders 403, coordinators and staff succeed. Each request acts on
a fresh object, so that one role's success does not change what the next one meets."""

import itertools
from functools import partial

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maillage.accounts.tests.factories import MembershipFactory, UserFactory
from maillage.cooperations import services
from maillage.cooperations.tests.factories import (
    CooperationFactory,
    OrganisationFactory,
    PersonFactory,
)
from maillage.core.enums import Role, Visibility
from maillage.core.testing import ROLES, assert_permission_matrix

pytestmark = pytest.mark.django_db
JSON = "application/json"
numbers = itertools.count(1)


def only_coordination(success: int) -> dict[str, int]:
    return {
        **dict.fromkeys(ROLES, 403),
        "anonymous": 401,
        "coordinator": success,
        "staff": success,
    }


@pytest.fixture
def public(cooperation):
    cooperation.visibility = Visibility.PUBLIC
    cooperation.save()
    return cooperation


def api(cooperation, path=""):
    return f"/api/v1/cooperations/{cooperation.slug}{path}"


def fresh_party(cooperation):
    return services.party_add(
        actor=None,
        cooperation=cooperation,
        organisation=OrganisationFactory.create(),
        role="partner",
    )


def fresh_milestone(cooperation):
    return services.milestone_create(
        actor=None, cooperation=cooperation, kind="review", title="Revue"
    )


def fresh_theme(cooperation):
    return services.theme_create(actor=None, cooperation=cooperation, name=f"Thème {next(numbers)}")


def fresh_node(cooperation):
    return services.strategy_node_create(actor=None, cooperation=cooperation, title="Élément")


def fresh_group(cooperation):
    return services.working_group_create(actor=None, cooperation=cooperation, name="Groupe")


def fresh_member(cooperation):
    user = UserFactory.create(email=f"membre{next(numbers)}@exemple.test")
    return MembershipFactory.create(user=user, cooperation=cooperation, role=Role.OBSERVER)


def test_cooperation_and_stage(cast, public):
    assert_permission_matrix(
        cast,
        lambda c: c.patch(api(public), {"summary": f"Résumé {next(numbers)}"}, content_type=JSON),
        only_coordination(200),
    )
    assert_permission_matrix(
        cast,
        lambda c: c.post(
            api(public, "/stage"), {"stage": "protocol", "entered_on": None}, content_type=JSON
        ),
        only_coordination(200),
    )


def test_parties(cast, public):
    assert_permission_matrix(
        cast,
        lambda c: c.post(
            api(public, "/parties"),
            {"organisation_id": OrganisationFactory.create().pk, "role": "funder"},
            content_type=JSON,
        ),
        only_coordination(201),
    )
    assert_permission_matrix(
        cast,
        lambda c: c.patch(
            api(public, f"/parties/{fresh_party(public).pk}"), {"role": "funder"}, content_type=JSON
        ),
        only_coordination(200),
    )
    assert_permission_matrix(
        cast,
        lambda c: c.delete(api(public, f"/parties/{fresh_party(public).pk}")),
        only_coordination(204),
    )


def test_milestones(cast, public):
    assert_permission_matrix(
        cast,
        lambda c: c.post(
            api(public, "/milestones"), {"kind": "study", "title": "Étude"}, content_type=JSON
        ),
        only_coordination(201),
    )
    assert_permission_matrix(
        cast,
        lambda c: c.patch(
            api(public, f"/milestones/{fresh_milestone(public).pk}"),
            {"title": "Revue 2"},
            content_type=JSON,
        ),
        only_coordination(200),
    )
    assert_permission_matrix(
        cast,
        lambda c: c.delete(api(public, f"/milestones/{fresh_milestone(public).pk}")),
        only_coordination(204),
    )


def test_documents(cast, public, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def upload(client):
        pdf = SimpleUploadedFile("contrat.pdf", b"%PDF-1.4", content_type="application/pdf")
        return client.post(
            api(public, "/documents"), {"title": "Contrat", "kind": "agreement", "file": pdf}
        )

    assert_permission_matrix(cast, upload, only_coordination(201))

    def delete(client):
        document = services.document_add(
            actor=None, cooperation=public, kind="reference", title="SCoT"
        )
        return client.delete(api(public, f"/documents/{document.pk}"))

    assert_permission_matrix(cast, delete, only_coordination(204))


def test_members(cast, public):
    assert_permission_matrix(
        cast,
        lambda c: c.post(
            api(public, "/members"),
            {"email": f"invite{next(numbers)}@exemple.test", "role": "observer"},
            content_type=JSON,
        ),
        only_coordination(201),
    )
    assert_permission_matrix(
        cast,
        lambda c: c.patch(
            api(public, f"/members/{fresh_member(public).pk}"),
            {"role": "funder"},
            content_type=JSON,
        ),
        only_coordination(200),
    )
    assert_permission_matrix(
        cast,
        lambda c: c.delete(api(public, f"/members/{fresh_member(public).pk}")),
        only_coordination(204),
    )


def test_themes_and_strategy(cast, public):
    assert_permission_matrix(
        cast,
        lambda c: c.patch(
            api(public, f"/themes/{fresh_theme(public).pk}"),
            {"name": f"T{next(numbers)}"},
            content_type=JSON,
        ),
        only_coordination(200),
    )
    assert_permission_matrix(
        cast,
        lambda c: c.delete(api(public, f"/themes/{fresh_theme(public).pk}")),
        only_coordination(204),
    )
    assert_permission_matrix(
        cast,
        lambda c: c.patch(
            api(public, f"/strategy/{fresh_node(public).pk}"),
            {"title": "Renommé"},
            content_type=JSON,
        ),
        only_coordination(200),
    )
    assert_permission_matrix(
        cast,
        lambda c: c.delete(api(public, f"/strategy/{fresh_node(public).pk}")),
        only_coordination(204),
    )

    source = CooperationFactory.create(visibility=Visibility.PUBLIC)
    services.strategy_node_create(actor=None, cooperation=source, title="Modèle")

    def copy(client):
        public.strategy_nodes.all().delete()
        return client.post(
            api(public, "/strategy/copy"), {"source": source.slug}, content_type=JSON
        )

    assert_permission_matrix(cast, copy, only_coordination(201))


def test_working_groups(cast, public):
    assert_permission_matrix(
        cast,
        lambda c: c.post(api(public, "/working-groups"), {"name": "Santé"}, content_type=JSON),
        only_coordination(201),
    )
    assert_permission_matrix(
        cast,
        lambda c: c.patch(
            api(public, f"/working-groups/{fresh_group(public).pk}"),
            {"name": "Mobilité"},
            content_type=JSON,
        ),
        only_coordination(200),
    )
    assert_permission_matrix(
        cast,
        lambda c: c.delete(api(public, f"/working-groups/{fresh_group(public).pk}")),
        only_coordination(204),
    )
    assert_permission_matrix(
        cast,
        lambda c: c.post(
            api(public, f"/working-groups/{fresh_group(public).pk}/members"),
            {"person_id": PersonFactory.create().pk},
            content_type=JSON,
        ),
        only_coordination(201),
    )

    def remove(client):
        group = fresh_group(public)
        member = services.working_group_member_add(
            actor=None, group=group, person=PersonFactory.create()
        )
        return client.delete(api(public, f"/working-groups/{group.pk}/members/{member.pk}"))

    assert_permission_matrix(cast, remove, only_coordination(204))


def test_proposal_edit_decision_and_comments(cast, public, paula):
    def fresh_proposal():
        return services.proposal_create(
            actor=paula, cooperation=public, title="Piste", visibility=Visibility.PUBLIC
        )

    assert_permission_matrix(
        cast,
        lambda c: c.patch(
            api(public, f"/proposals/{fresh_proposal().number}"),
            {"title": "Précisée"},
            content_type=JSON,
        ),
        {**only_coordination(200), "project_contact": 200},  # Paula wrote them
    )
    assert_permission_matrix(
        cast,
        lambda c: c.post(
            api(public, f"/proposals/{fresh_proposal().number}/decision"),
            {"status": "retained"},
            content_type=JSON,
        ),
        only_coordination(200),
    )
    members = {**dict.fromkeys(ROLES, 200), "anonymous": 401, "outsider": 403}
    number = fresh_proposal().number
    assert_permission_matrix(
        cast, lambda c: c.get(api(public, f"/proposals/{number}/comments")), members
    )


def post(client, *, path: str, data: dict):
    return client.post(path, data)


def test_post_only_pages(cast, public):
    node = fresh_node(public)
    member = fresh_member(public)
    source = CooperationFactory.create(visibility=Visibility.PUBLIC)
    expected = {**dict.fromkeys(ROLES, 403), "anonymous": 302, "coordinator": 302, "staff": 302}
    for name, args, data in (
        ("stage", [], {"stage": "protocol", "entered_on": "2020-01-01"}),
        ("node_move", [node.pk], {"direction": "down"}),
        ("member_role", [member.pk], {"role": "funder"}),
        ("strategy_copy", [], {"source": source.pk}),
    ):
        path = reverse(f"cooperations:{name}", args=[public.slug, *args])
        assert_permission_matrix(cast, partial(post, path=path, data=data), expected)


def test_an_absurd_duration_is_a_400_on_every_database(client, claire, cooperation):
    """10⁹ years was a 500 on PostgreSQL (out of range) and stored on SQLite (then a date
    overflowed): the model bounds it, the same everywhere, page and API."""
    client.force_login(claire)
    api = f"/api/v1/cooperations/{cooperation.slug}"
    for years in (1_000_000_000, 101, 0):
        response = client.patch(api, {"duration_years": years}, "application/json")
        assert response.status_code == 400, (years, response.content)
        assert response.json()["errors"][0]["field"] == "duration_years"
    cooperation.refresh_from_db()
    assert cooperation.duration_years is None
    assert client.patch(api, {"duration_years": 6}, "application/json").status_code == 200
