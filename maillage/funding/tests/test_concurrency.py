"""Two committee decisions at the same moment that together exceed the envelope: the fund's
row is locked while the pot is read, so exactly one succeeds and the other is refused with the
figures."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from maillage.core.enums import Visibility
from maillage.core.exceptions import Conflict
from maillage.funding import selectors, services
from maillage.funding.enums import ApplicationStatus
from maillage.funding.models import Application
from maillage.funding.tests.factories import draft, open_call, small_projects_fund


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_decisions_at_once_never_exceed_the_envelope(cooperation, claire, nadia):
    if connection.vendor != "postgresql":
        pytest.skip("the race needs two real concurrent connections (PostgreSQL)")
    cooperation.visibility = Visibility.PUBLIC
    cooperation.save()
    fund = small_projects_fund(cooperation, visibility=Visibility.PUBLIC)
    for envelope in fund.envelopes.all():  # 15 000 CHF in all
        services.envelope_update(actor=None, envelope=envelope, amount=Decimal(5000))
    call = open_call(fund)
    pending = []
    for _number in range(2):
        application = draft(call, nadia)
        services.application_submit(actor=nadia, application=application)
        services.application_screen(actor=claire, application=application, eligible=True)
        services.reviewer_assign(actor=claire, application=application, reviewer=claire)
        pending.append(application.pk)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(pk: int) -> None:
        from django.db import connections

        try:
            mine = Application.objects.select_related("call__fund").get(pk=pk)
            barrier.wait()
            services.application_decide(
                actor=claire, application=mine, outcome="approved", granted_amount=9000
            )
            outcomes.append("granted")
        except Conflict as refusal:  # the reason, so that another refusal cannot pass
            outcomes.append("refused" if "reste de l’enveloppe" in str(refusal) else str(refusal))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(pk,)) for pk in pending]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["granted", "refused"]
    statuses = sorted(Application.objects.filter(pk__in=pending).values_list("status", flat=True))
    assert statuses == [ApplicationStatus.ASSESSMENT, ApplicationStatus.DECIDED]
    (pot,) = selectors.envelope_figures(fund)
    assert (pot.programmed, pot.remaining) == (Decimal(9000), Decimal(6000))
