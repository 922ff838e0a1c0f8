"""People are personal data: their names appear to members of the cooperation and staff only,
on every page that can show them, even when the page itself is public."""

import pytest
from django.urls import reverse

from maillage.cooperations.models import Party, Proposal
from maillage.cooperations.tests.factories import OrganisationFactory, PersonFactory
from maillage.core.enums import Visibility
from maillage.core.testing import ROLES, assert_text_matrix
from maillage.projects.enums import JournalKind
from maillage.projects.models import JournalEntry
from maillage.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

MEMBERS_AND_STAFF = frozenset(ROLES) - {"anonymous", "outsider"}


@pytest.fixture
def public_cooperation(cooperation):
    cooperation.visibility = Visibility.PUBLIC
    cooperation.save()
    return cooperation


def test_a_signatory_is_named_to_members_only(cast, public_cooperation):
    Party.objects.create(
        cooperation=public_cooperation,
        organisation=OrganisationFactory.create(),
        role="signatory",
        signatory=PersonFactory.create(first_name="Hervé", last_name="Kerhervé"),
    )
    url = reverse("cooperations:detail", args=[public_cooperation.slug])
    assert_text_matrix(cast, url, "Kerhervé", MEMBERS_AND_STAFF)


def test_a_proposals_author_is_named_to_members_only(cast, public_cooperation):
    Proposal.objects.create(
        cooperation=public_cooperation,
        number=1,
        title="Une piste",
        visibility=Visibility.PUBLIC,
        author=PersonFactory.create(first_name="Anne", last_name="Autrice"),
    )
    url = reverse("cooperations:proposal", args=[public_cooperation.slug, 1])
    assert_text_matrix(cast, url, "Autrice", MEMBERS_AND_STAFF)


def test_a_projects_contacts_and_journal_authors_are_named_to_members_only(
    cast, public_cooperation, paula
):
    paula.last_name = "Référente"
    paula.save()
    project = ProjectFactory.create(cooperation=public_cooperation, visibility=Visibility.PUBLIC)
    project.contacts.add(paula)
    JournalEntry.objects.create(
        project=project, kind=JournalKind.NOTE, date="2026-01-05", text="Note", author=paula
    )
    url = reverse("projects:detail", args=[public_cooperation.slug, project.code])
    assert_text_matrix(cast, url, "Référente", MEMBERS_AND_STAFF)
