"""A "public" meeting of a partners-only cooperation was public in name and a 404 to every
visitor (its form had said "Public" and "Inscriptions ouvertes au public"). Nothing a
cooperation holds is wider than the cooperation: refused at saving with an explanation, not
offered by the forms, and narrowed with the cooperation."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from maillage.cooperations import services as cooperation_services
from maillage.governance import services as governance_services
from maillage.governance.models import Body, Meeting
from maillage.projects import services as project_services

pytestmark = pytest.mark.django_db


def _meeting(cooperation, **fields):
    start = timezone.now() + timedelta(days=10)
    return governance_services.meeting_create(
        actor=None,
        cooperation=cooperation,
        title="Séance",
        start=start,
        end=start + timedelta(hours=2),
        **fields,
    )


def test_a_public_meeting_of_a_partners_cooperation_is_refused_with_the_reason(cooperation):
    assert cooperation.visibility == "partners"
    with pytest.raises(ValidationError) as refused:
        _meeting(cooperation, visibility="public")
    assert (
        "Rendez d’abord la coopération plus visible" in refused.value.message_dict["visibility"][0]
    )
    with pytest.raises(ValidationError):
        project_services.project_create(
            actor=None, cooperation=cooperation, title="Halle", visibility="public"
        )
    assert not Meeting.objects.exists()


def test_public_registration_needs_a_public_meeting(cooperation):
    cooperation.visibility = "public"
    cooperation.save()
    with pytest.raises(ValidationError) as refused:
        _meeting(cooperation, visibility="partners", open_registration=True)
    assert "open_registration" in refused.value.message_dict
    assert _meeting(cooperation, visibility="public", open_registration=True).open_registration


def test_left_at_the_default_an_object_takes_its_cooperations_narrower_visibility(cooperation):
    cooperation.visibility = "restricted"
    cooperation.save()
    body = governance_services.body_create(
        actor=None, cooperation=cooperation, name="Comité", kind="other"
    )
    assert body.visibility == "restricted"


def test_narrowing_the_cooperation_narrows_what_it_holds(cooperation):
    cooperation_services.cooperation_update(
        actor=None, cooperation=cooperation, visibility="public"
    )
    meeting = _meeting(cooperation, visibility="public")
    partners_body = governance_services.body_create(
        actor=None, cooperation=cooperation, name="Comité", kind="other", visibility="partners"
    )
    project = project_services.project_create(
        actor=None, cooperation=cooperation, title="Halle", visibility="public"
    )
    cooperation_services.cooperation_update(
        actor=None, cooperation=cooperation, visibility="partners"
    )
    meeting.refresh_from_db()
    project.refresh_from_db()
    assert (meeting.visibility, project.visibility) == ("partners", "partners")
    assert Body.objects.get(pk=partners_body.pk).visibility == "partners"
    cooperation_services.cooperation_update(
        actor=None, cooperation=cooperation, visibility="restricted"
    )
    assert Body.objects.get(pk=partners_body.pk).visibility == "restricted"


def test_the_forms_offer_only_what_can_be_reached(client, cooperation, claire):
    client.force_login(claire)
    page = client.get(f"/cooperations/{cooperation.slug}/reunions/nouvelle/").content.decode()
    assert 'value="public"' not in page and 'value="partners"' in page
    assert "Pour publier, rendez d’abord la coopération publique" in page
    assert 'name="open_registration"' in page and "Seule une réunion publique" in page
    project_page = client.get(f"/cooperations/{cooperation.slug}/projets/nouveau/")
    assert 'value="public"' not in project_page.content.decode()
    cooperation_services.cooperation_update(
        actor=None, cooperation=cooperation, visibility="public"
    )
    page = client.get(f"/cooperations/{cooperation.slug}/reunions/nouvelle/").content.decode()
    assert 'value="public"' in page and "Pour publier" not in page


def test_the_api_refuses_it_with_the_reason(client, cooperation, claire):
    client.force_login(claire)
    response = client.post(
        "/api/v1/meetings",
        {
            "cooperation": cooperation.pk,
            "title": "Séance",
            "start": "2030-03-02T09:30",
            "end": "2030-03-02T12:00",
            "visibility": "public",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "plus largement visible" in response.content.decode()
    assert not Meeting.objects.exists()
