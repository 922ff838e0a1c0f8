"""A call in two steps: a short expression of interest (who, where, for how much) is submitted
without its partners, budget or answers; the fund's staff invite the applicant to the full
application, which then meets every rule before it is submitted again and screened."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from maillage.core.exceptions import Conflict
from maillage.funding import services
from maillage.funding.enums import ApplicationStatus, Stage
from maillage.funding.tests.factories import open_call, organisation

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture
def interest(fund, nadia):
    """Nadia's expression of interest to a two-step call: no partner, no budget."""
    call = open_call(fund, title="Appel en deux temps", two_steps=True)
    services.question_add(actor=None, call=call, label="Public visé", kind="text")
    area = fund.eligible_territories.get()
    return services.application_create(
        actor=nadia,
        call=call,
        applicant=organisation("Harmonie", place=area),
        contact_name="Nadia",
        contact_email="nadia@exemple.test",
        title="Concerts",
        summary="Des concerts des deux côtés.",
        requested_amount=Decimal(8000),
        territories=[area],
    )


def test_an_expression_of_interest_is_held_to_what_it_says(interest, nadia):
    assert interest.stage == Stage.INTEREST
    assert services.submission_problems(interest) == []  # no partner, budget nor answer yet
    services.application_update(actor=nadia, application=interest, requested_amount=20000)
    with pytest.raises(ValidationError, match="plafond"):  # the cap holds at every step
        services.application_submit(actor=nadia, application=interest)
    services.application_update(actor=nadia, application=interest, requested_amount=8000)
    services.application_submit(actor=nadia, application=interest)
    assert interest.status == S.SUBMITTED


def test_the_staff_invite_to_the_full_application(
    interest, nadia, claire, mailoutbox, django_capture_on_commit_callbacks
):
    services.application_submit(actor=nadia, application=interest)
    with pytest.raises(Conflict, match="déclaration d’intention"):
        services.application_screen(actor=claire, application=interest, eligible=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_invite(actor=claire, application=interest)
    interest.refresh_from_db()
    assert (interest.stage, interest.status) == (Stage.FULL, S.RETURNED)
    assert "dossier complet" in mailoutbox[-1].subject
    with pytest.raises(ValidationError) as refused:  # now every rule holds
        services.application_submit(actor=nadia, application=interest)
    assert {"partners", "budget", "answers"} <= set(refused.value.message_dict)
    with pytest.raises(Conflict):
        services.application_invite(actor=claire, application=interest)


def test_an_expression_of_interest_may_be_declined(interest, nadia, claire):
    services.application_submit(actor=nadia, application=interest)
    services.application_screen(
        actor=claire, application=interest, eligible=False, reason="Hors du champ du fonds"
    )
    assert interest.status == S.INELIGIBLE


def test_the_invitation_through_the_page_and_the_api(interest, nadia, claire, oscar):
    services.application_submit(actor=nadia, application=interest)
    url = reverse("funding:application_invite", args=[interest.pk])
    page = Client()
    page.force_login(claire)
    assert (
        "Inviter à déposer le dossier complet"
        in page.get(interest.get_absolute_url()).content.decode()
    )
    observer = Client()
    observer.force_login(oscar)
    assert observer.post(url, {}).status_code == 404
    api = page.post(
        f"/api/v1/applications/{interest.pk}/invite",
        {"reason": "Précisez le budget."},
        content_type="application/json",
    )
    assert api.status_code == 200, api.json()
    assert (api.json()["stage"], api.json()["status"]) == ("full", "returned")
    assert page.post(url, {}).status_code == 200  # a second invitation: refused on the form
