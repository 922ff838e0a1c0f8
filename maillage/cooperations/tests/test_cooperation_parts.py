"""Business rules of the cooperation's parts: period, stage, parties, milestones, documents,
members and invitations, working groups, proposals."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from maillage.accounts.models import Membership
from maillage.accounts.tests.factories import UserFactory
from maillage.cooperations import selectors, services
from maillage.cooperations.models import Cooperation, Invitation, Proposal
from maillage.cooperations.tests.factories import (
    CooperationFactory,
    OrganisationFactory,
    PersonFactory,
)
from maillage.core.enums import Role
from maillage.core.exceptions import Conflict
from maillage.territories.models import Territory

pytestmark = pytest.mark.django_db


@pytest.fixture
def brest(db):
    return Territory.objects.create(kind="epci", code="242900314", name="Brest métropole")


def test_six_years_from_the_start_give_the_end(claire, cooperation):
    services.cooperation_update(
        actor=claire, cooperation=cooperation, start_date=date(2011, 7, 7), duration_years=6
    )
    cooperation.refresh_from_db()
    assert cooperation.end_date == date(2017, 7, 6)
    assert cooperation.computed_duration_years == 6


def test_a_duration_that_does_not_match_the_dates_is_refused(claire, cooperation):
    with pytest.raises(ValidationError) as error:
        services.cooperation_update(
            actor=claire,
            cooperation=cooperation,
            start_date=date(2011, 7, 7),
            end_date=date(2016, 7, 6),
            duration_years=6,
        )
    assert "duration_years" in error.value.message_dict
    assert Cooperation.objects.get(pk=cooperation.pk).start_date is None


def test_an_end_before_the_start_is_refused(claire, cooperation):
    with pytest.raises(ValidationError) as error:
        services.cooperation_update(
            actor=claire,
            cooperation=cooperation,
            start_date=date(2020, 1, 1),
            end_date=date(2019, 1, 1),
        )
    assert "end_date" in error.value.message_dict


def test_stages_are_dated_and_cannot_go_back_in_time(claire, cooperation):
    services.cooperation_stage_set(
        actor=claire, cooperation=cooperation, stage="protocol", entered_on=date(2015, 12, 14)
    )
    services.cooperation_stage_set(
        actor=claire, cooperation=cooperation, stage="signed", entered_on=date(2016, 11, 4)
    )
    with pytest.raises(ValidationError):
        services.cooperation_stage_set(
            actor=claire, cooperation=cooperation, stage="evaluation", entered_on=date(2016, 1, 1)
        )
    cooperation.refresh_from_db()
    assert cooperation.stage == "signed"
    assert [
        (c.stage, c.entered_on) for c in cooperation.stage_changes.exclude(entered_on=None)
    ] == [
        ("protocol", date(2015, 12, 14)),
        ("signed", date(2016, 11, 4)),
    ]


def test_a_party_takes_its_organisations_territory_and_comes_once(claire, cooperation, brest):
    organisation = OrganisationFactory.create(territory=brest)
    party = services.party_add(
        actor=claire, cooperation=cooperation, organisation=organisation, role="signatory"
    )
    assert party.territory == brest
    with pytest.raises(ValidationError) as error:
        services.party_add(
            actor=claire, cooperation=cooperation, organisation=organisation, role="funder"
        )
    assert "organisation" in error.value.message_dict


def test_an_unknown_party_role_is_refused(claire, cooperation):
    with pytest.raises(ValidationError) as error:
        services.party_add(
            actor=claire,
            cooperation=cooperation,
            organisation=OrganisationFactory.create(),
            role="king",
        )
    assert "role" in error.value.message_dict
    assert not cooperation.parties.exists()


@pytest.mark.parametrize("role", ["etienne", "paula", "fanny", "oscar", "nadia"])
def test_only_coordinators_add_parties(request, cooperation, role):
    with pytest.raises(PermissionDenied):
        services.party_add(
            actor=request.getfixturevalue(role),
            cooperation=cooperation,
            organisation=OrganisationFactory.create(),
            role="partner",
        )


def test_a_deliberation_names_its_assembly_and_an_amendment_what_it_changes(claire, cooperation):
    with pytest.raises(ValidationError) as error:
        services.milestone_create(
            actor=claire, cooperation=cooperation, kind="deliberation", title="Délibération"
        )
    assert "assembly" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.milestone_create(
            actor=claire, cooperation=cooperation, kind="amendment", title="Avenant 1"
        )
    assert "changes" in error.value.message_dict
    services.milestone_create(
        actor=claire, cooperation=cooperation, kind="amendment", title="Avenant 1", changes="Durée"
    )
    assert cooperation.milestones.count() == 1


def test_the_timeline_mixes_milestones_and_stages_in_date_order(claire, cooperation):
    services.milestone_create(
        actor=claire,
        cooperation=cooperation,
        kind="contract_signature",
        title="Contrat",
        date=date(2016, 11, 4),
    )
    services.milestone_create(actor=claire, cooperation=cooperation, kind="study", title="Étude")
    services.cooperation_stage_set(
        actor=claire, cooperation=cooperation, stage="protocol", entered_on=date(2015, 12, 14)
    )
    entries = selectors.timeline(cooperation, claire)
    assert [e.title for e in entries if e.date][-2:] == ["Protocole", "Contrat"]
    assert entries[0].date is None


def test_documents_are_checked_for_type_and_size(claire, cooperation, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("protocole.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    document = services.document_add(
        actor=claire, cooperation=cooperation, kind="agreement", title="Protocole", file=pdf
    )
    assert document.size == len(b"%PDF-1.4 test")
    assert document.file.read() == b"%PDF-1.4 test"
    exe = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as error:
        services.document_add(
            actor=claire, cooperation=cooperation, kind="other", title="X", file=exe
        )
    assert "file" in error.value.message_dict
    big = SimpleUploadedFile("big.pdf", b"0" * (21 * 1024 * 1024))
    with pytest.raises(ValidationError):
        services.document_add(
            actor=claire, cooperation=cooperation, kind="other", title="Y", file=big
        )
    with pytest.raises(ValidationError):  # only a reference may come without its file
        services.document_add(actor=claire, cooperation=cooperation, kind="study", title="Z")
    assert cooperation.documents.count() == 1


def test_an_invitation_is_mailed_through_the_queue_and_accepted_by_its_address(
    claire, cooperation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            actor=claire, cooperation=cooperation, email="Zoe@Exemple.test", role=Role.FUNDER
        )
    assert mail.outbox[-1].to == ["zoe@exemple.test"]
    assert f"/cooperations/invitation/{invitation.token}/" in mail.outbox[-1].body
    intruder = UserFactory.create(email="autre@exemple.test")
    with pytest.raises(PermissionDenied):
        services.invitation_accept(user=intruder, invitation=invitation)
    zoe = UserFactory.create(email="zoe@exemple.test")
    membership = services.invitation_accept(user=zoe, invitation=invitation)
    assert membership.role == Role.FUNDER
    with pytest.raises(Conflict):
        services.invitation_accept(user=zoe, invitation=Invitation.objects.get(pk=invitation.pk))


def test_a_rollback_sends_no_invitation(claire, cooperation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.invitation_create(
            actor=claire, cooperation=cooperation, email="pas-une-adresse", role="observer"
        )
    assert mail.outbox == []
    assert not Invitation.objects.exists()


def test_an_invitation_is_sent_again_with_a_new_link(
    claire, cooperation, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    invitation = services.invitation_create(
        actor=claire, cooperation=cooperation, email="zoe@exemple.test", role=Role.OBSERVER
    )
    old_token = invitation.token
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timedelta(days=40)
    )
    invitation.refresh_from_db()
    assert not invitation.is_pending and selectors.open_invitations(cooperation).get() == invitation
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(actor=claire, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.is_pending and invitation.token != old_token
    assert f"/cooperations/invitation/{invitation.token}/" in mail.outbox[-1].body
    assert old_token not in mail.outbox[-1].body
    assert not Invitation.objects.filter(token=old_token).exists()  # the old link is dead


def test_an_invitation_is_withdrawn_before_it_is_accepted_only(claire, etienne, cooperation):
    wrong = services.invitation_create(
        actor=claire, cooperation=cooperation, email="erreur@exemple.test", role=Role.COORDINATOR
    )
    with pytest.raises(PermissionDenied):  # a member who does not coordinate
        services.invitation_withdraw(actor=etienne, invitation=wrong)
    with pytest.raises(PermissionDenied):
        services.invitation_resend(actor=etienne, invitation=wrong)
    services.invitation_withdraw(actor=claire, invitation=wrong)
    assert not Invitation.objects.filter(pk=wrong.pk).exists()
    accepted = services.invitation_create(
        actor=claire, cooperation=cooperation, email="zoe@exemple.test", role=Role.OBSERVER
    )
    services.invitation_accept(
        user=UserFactory.create(email="zoe@exemple.test"), invitation=accepted
    )
    for change in (services.invitation_withdraw, services.invitation_resend):
        with pytest.raises(Conflict):
            change(actor=claire, invitation=accepted)
    assert Invitation.objects.filter(pk=accepted.pk, accepted_at__isnull=False).exists()
    assert not selectors.open_invitations(cooperation).exists()


def test_members_are_not_invited_twice(claire, etienne, cooperation):
    with pytest.raises(ValidationError):
        services.invitation_create(
            actor=claire, cooperation=cooperation, email=etienne.email, role="observer"
        )


def test_the_last_coordinator_stays(claire, etienne, cooperation):
    mine = Membership.objects.get(user=claire, cooperation=cooperation)
    with pytest.raises(Conflict):
        services.member_role_set(actor=claire, membership=mine, role=Role.OBSERVER)
    with pytest.raises(Conflict):
        services.member_remove(actor=claire, membership=mine)
    theirs = Membership.objects.get(user=etienne, cooperation=cooperation)
    services.member_role_set(actor=claire, membership=theirs, role=Role.COORDINATOR)
    services.member_remove(actor=claire, membership=mine)
    assert not Membership.objects.filter(user=claire).exists()


def test_working_group_representatives_are_counted_by_territory(claire, cooperation, brest):
    group = services.working_group_create(actor=claire, cooperation=cooperation, name="Énergie")
    organisation = OrganisationFactory.create(territory=brest)
    for _ in range(3):
        services.working_group_member_add(
            actor=claire, group=group, person=PersonFactory.create(), organisation=organisation
        )
    services.working_group_member_add(actor=claire, group=group, person=PersonFactory.create())
    assert selectors.representatives_by_territory([group]) == [
        {"territory": brest.name, "count": 3},
        {"territory": None, "count": 1},
    ]
    person = group.members.get(organisation=None).person
    with pytest.raises(ValidationError):
        services.working_group_member_add(actor=claire, group=group, person=person)


def test_proposals_are_numbered_attached_and_decided(claire, paula, cooperation):
    node = services.strategy_node_create(actor=claire, cooperation=cooperation, title="Mobilité")
    first = services.proposal_create(
        actor=paula, cooperation=cooperation, title="Garage solidaire", strategy_nodes=[node]
    )
    second = services.proposal_create(
        actor=paula, cooperation=cooperation, title="Auto-école sociale"
    )
    assert (first.number, second.number) == (1, 2)
    assert first.created_by == paula
    with pytest.raises(ValidationError) as error:
        services.proposal_decide(actor=claire, proposal=second, status="declined")
    assert "decision_reason" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.proposal_decide(actor=claire, proposal=second, status="merged")
    services.proposal_decide(actor=claire, proposal=second, status="merged", merged_into=first)
    with pytest.raises(ValidationError):  # no merging into a merged one
        services.proposal_decide(actor=claire, proposal=first, status="merged", merged_into=second)
    assert Proposal.objects.get(pk=second.pk).merged_into == first
    assert selectors.proposal_funnel(cooperation, claire)["merged"] == 1
    assert list(
        selectors.proposal_list(
            user=claire,
            cooperation=cooperation,
            filters=selectors.ProposalFilters(strategy_node=node.pk),
        )
    ) == [first]


def test_observers_comment_but_do_not_propose(oscar, paula, cooperation):
    with pytest.raises(PermissionDenied):
        services.proposal_create(actor=oscar, cooperation=cooperation, title="Idée")
    proposal = services.proposal_create(actor=paula, cooperation=cooperation, title="Idée")
    comment = services.proposal_comment(actor=oscar, proposal=proposal, text="D’accord.")
    assert comment.author == oscar
    with pytest.raises(ValidationError):
        services.proposal_comment(actor=oscar, proposal=proposal, text="   ")


def test_the_author_edits_while_submitted_only(claire, paula, etienne, cooperation):
    proposal = services.proposal_create(actor=paula, cooperation=cooperation, title="Idée")
    services.proposal_update(actor=paula, proposal=proposal, title="Idée précisée")
    with pytest.raises(PermissionDenied):
        services.proposal_update(actor=etienne, proposal=proposal, title="Autre")
    services.proposal_decide(actor=claire, proposal=proposal, status="retained")
    with pytest.raises(PermissionDenied):
        services.proposal_update(actor=paula, proposal=proposal, title="Encore")


def test_linked_objects_must_belong_to_the_cooperation(claire, paula, cooperation):
    other = CooperationFactory.create()
    foreign = services.strategy_node_create(actor=None, cooperation=other, title="Ailleurs")
    with pytest.raises(ValidationError):
        services.proposal_create(
            actor=paula, cooperation=cooperation, title="X", strategy_nodes=[foreign]
        )
    with pytest.raises(ValidationError):
        services.strategy_node_create(
            actor=claire, cooperation=cooperation, title="Y", parent=foreign
        )
    assert not cooperation.proposals.exists()
    assert not cooperation.strategy_nodes.exists()


def test_a_download_can_be_handed_to_the_web_server_after_the_check(
    client, claire, cooperation, settings, tmp_path
):
    """With PROTECTED_FILES_PREFIX, the view checks the permission and nginx sends the bytes
    (X-Accel-Redirect to an internal location); without the right, no header is given."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    settings.PROTECTED_FILES_PREFIX = "/protected/"
    document = services.document_add(
        actor=None,
        cooperation=cooperation,
        kind="other",
        title="Convention",
        file=SimpleUploadedFile("convention signée.pdf", b"%PDF-1.4"),
        visibility="partners",
    )
    url = f"/cooperations/{cooperation.slug}/documents/{document.pk}/"
    assert "X-Accel-Redirect" not in client.get(url)  # a visitor: refused, no header
    client.force_login(claire)
    response = client.get(url)
    assert response.status_code == 200 and not response.content
    assert response["X-Accel-Redirect"].startswith("/protected/")
    assert "attachment" in response["Content-Disposition"]
