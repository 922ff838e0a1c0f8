"""An edit made on a copy read before someone else's change is refused, on the page and in the
API, for every object edited in a long form (it was only checked for projects): the second
editor is told so (409 / a message on the form) and nothing of theirs is written."""

from dataclasses import dataclass
from typing import Any

import pytest

from maillage.cooperations import services as cooperation_services
from maillage.governance import services as governance_services
from maillage.governance.tests.factories import meeting_in


@dataclass
class Edited:
    obj: Any
    api: str
    page: str
    field: str
    change: Any  # someone else's change, through the service


def _edited(name: str, cooperation, coordinator) -> Edited:
    slug = cooperation.slug
    if name == "cooperation":
        return Edited(
            cooperation,
            f"/api/v1/cooperations/{slug}",
            f"/cooperations/{slug}/modifier/",
            "summary",
            lambda obj: cooperation_services.cooperation_update(
                actor=None, cooperation=obj, summary="Entre-temps"
            ),
        )
    if name == "proposal":
        proposal = cooperation_services.proposal_create(
            actor=None, cooperation=cooperation, title="Piste", visibility="partners"
        )
        return Edited(
            proposal,
            f"/api/v1/cooperations/{slug}/proposals/{proposal.number}",
            f"/cooperations/{slug}/pistes/{proposal.number}/modifier/",
            "text",
            lambda obj: cooperation_services.proposal_update(
                actor=coordinator, proposal=obj, text="Entre-temps"
            ),
        )
    if name == "body":
        body = governance_services.body_create(
            actor=None, cooperation=cooperation, name="Comité", kind="assembly"
        )
        return Edited(
            body,
            f"/api/v1/bodies/{body.pk}",
            f"/cooperations/{slug}/instances/{body.pk}/modifier/",
            "purpose",
            lambda obj: governance_services.body_update(
                actor=coordinator, body=obj, purpose="Entre"
            ),
        )
    meeting = meeting_in(cooperation, days=10)
    return Edited(
        meeting,
        f"/api/v1/meetings/{meeting.pk}",
        f"/cooperations/{slug}/reunions/{meeting.pk}/modifier/",
        "place",
        lambda obj: governance_services.meeting_update(
            actor=coordinator, meeting=obj, place="Morlaix"
        ),
    )


@pytest.mark.parametrize("name", ["cooperation", "proposal", "body", "meeting"])
def test_an_edit_on_a_stale_copy_is_refused_by_the_api(client, claire, cooperation, name):
    client.force_login(claire)
    edited = _edited(name, cooperation, claire)
    read = client.get(edited.api).json()["updated_at"]
    edited.change(type(edited.obj).objects.get(pk=edited.obj.pk))
    payload = {edited.field: "Le mien", "updated_at": read}
    stale = client.patch(edited.api, payload, "application/json")
    assert stale.status_code == 409, stale.content
    assert "Quelqu’un d’autre" in stale.json()["detail"]
    assert getattr(type(edited.obj).objects.get(pk=edited.obj.pk), edited.field) != "Le mien"
    fresh = {edited.field: "Le mien", "updated_at": client.get(edited.api).json()["updated_at"]}
    assert client.patch(edited.api, fresh, "application/json").status_code == 200
    assert getattr(type(edited.obj).objects.get(pk=edited.obj.pk), edited.field) == "Le mien"


@pytest.mark.parametrize("name", ["cooperation", "proposal", "body", "meeting"])
def test_an_edit_on_a_stale_copy_is_refused_by_the_page(client, claire, cooperation, name):
    client.force_login(claire)
    edited = _edited(name, cooperation, claire)
    form = client.get(edited.page).context["form"]
    assert form.initial["read_at"]
    posted = {
        key: form[key].value()
        for key in form.fields
        if form[key].value() is not None and key != "logo"  # no file to send again
    }
    posted = {key: value for key, value in posted.items() if not isinstance(value, list)}
    posted[edited.field] = "Le mien"
    edited.change(type(edited.obj).objects.get(pk=edited.obj.pk))
    response = client.post(edited.page, posted)
    assert "Quelqu’un d’autre a modifié" in response.content.decode()
    assert getattr(type(edited.obj).objects.get(pk=edited.obj.pk), edited.field) != "Le mien"
