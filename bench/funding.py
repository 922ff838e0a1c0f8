"""Benchmark: a fund's applications list (page and API) and its envelope figures at scale.

    python bench/funding.py --database sqlite|postgres [--applications 10000]

Builds a fund with N applications × 5 budget lines × 3 reviews (a tenth of them granted, half
of those paid), in bulk, and a small fund (a tenth as many). Prints, in the same run:
- the number of queries of the applications page, the API list, the fund's page (envelopes)
  and an application's page, for the small fund and the big one: they must be equal;
- the median time of the applications page (HTML, 50 rows), of the API list (100 rows) and of
  the envelope figures (`selectors.envelope_figures`, what the fund's page and the API show),
  each next to a floor timed in turn: raw SQL returning the same rows, count and status
  counts (for the lists) or the same sums (for the envelopes), checked to be the same answer;
  and their ratio (goal: within 2×).
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from import_territories import configure  # noqa: E402 - after the path is set
from portfolio import median_seconds, paired_medians  # noqa: E402

# A page of a fund's applications as the list shows them (newest first), the total and the
# count per status: what the page cannot be faster than.
LIST_FLOOR = """
WITH page AS (
  SELECT a.id FROM funding_application a JOIN funding_call c ON c.id = a.call_id
  WHERE c.fund_id = %(fund)s ORDER BY a.id DESC LIMIT %(limit)s
)
SELECT a.id, a.number, a.title, o.name, c.title, a.requested_amount, a.granted_amount,
       a.status, a.outcome,
       (SELECT COUNT(*) FROM funding_review r
         WHERE r.application_id = a.id AND r.submitted_at IS NOT NULL),
       (SELECT AVG(r.total) FROM funding_review r
         WHERE r.application_id = a.id AND NOT r.conflict)
FROM page
JOIN funding_application a ON a.id = page.id
JOIN funding_call c ON c.id = a.call_id
JOIN directory_organisation o ON o.id = a.applicant_id
ORDER BY a.id DESC
"""
COUNT_FLOOR = """
SELECT a.status, COUNT(*) FROM funding_application a JOIN funding_call c ON c.id = a.call_id
WHERE c.fund_id = %(fund)s GROUP BY a.status
"""
ENVELOPE_FLOOR = """
SELECT SUM(a.granted_amount),
       SUM(CASE WHEN a.status IN ('contracted', 'in_payment', 'closed')
           THEN a.granted_amount END),
       (SELECT SUM(p.paid_amount) FROM funding_payment p
          JOIN funding_application pa ON pa.id = p.application_id
          JOIN funding_call pc ON pc.id = pa.call_id WHERE pc.fund_id = %(fund)s)
FROM funding_application a JOIN funding_call c ON c.id = a.call_id
WHERE c.fund_id = %(fund)s AND a.outcome IN ('approved', 'conditions')
  AND a.status IN ('decided', 'contracted', 'in_payment', 'closed')
"""
STATUSES = [
    "submitted",
    "eligible",
    "assessment",
    "decided",
    "contracted",
    "in_payment",
    "closed",
    "ineligible",
    "withdrawn",
    "draft",
]


def build(cooperation, count: int, reviewers):
    """A fund of `count` applications with their budget lines, reviews and payments, in bulk
    (the benchmark measures reading)."""
    from django.utils import timezone

    from maillage.directory.models import Organisation
    from maillage.funding import services
    from maillage.funding.models import (
        Application,
        BudgetLine,
        Criterion,
        Payment,
        Review,
        Score,
    )

    tag = cooperation.slug
    body = Organisation.objects.create(name=f"Gestionnaire {tag}", kind="other")
    fund = services.fund_create(
        actor=None,
        cooperation=cooperation,
        name=f"Fonds {tag}",
        code=tag[:10],
        managing_body=body,
        currency="EUR",
        envelope_period="programme",
        visibility="public",
    )
    services.envelope_add(actor=None, fund=fund, funder=body, amount=Decimal(count) * 10_000)
    measure = services.measure_add(
        actor=None,
        fund=fund,
        code="FA1",
        title="Mesure",
        criteria=[("Critère A", Decimal(10)), ("Critère B", Decimal(13))],
    )
    criteria = list(Criterion.objects.filter(measure=measure))
    now = timezone.now()
    call = services.call_create(
        actor=None,
        fund=fund,
        title=f"Appel {tag}",
        opens_at=now - timedelta(days=30),
        closes_at=now + timedelta(days=30),
    )
    applicants = Organisation.objects.bulk_create(
        Organisation(
            name=f"Porteur {tag} {n}", search_name=f"porteur {tag} {n}", kind="association"
        )
        for n in range(max(10, count // 20))
    )
    user = reviewers[0]
    rows = []
    for n in range(count):
        status = STATUSES[n % len(STATUSES)]
        granted = status in ("decided", "contracted", "in_payment", "closed")
        rows.append(
            Application(
                call=call,
                measure=measure,
                number=f"{tag[:6].upper()}-{n + 1:06d}",
                applicant=applicants[n % len(applicants)],
                created_by=user,
                contact_name="Porteur",
                contact_email="porteur@exemple.test",
                title=f"Projet {n}",
                summary="Résumé.",
                requested_amount=Decimal(5000 + n % 5000),
                status=status,
                submitted_at=None if status == "draft" else now,
                outcome="approved" if granted else "",
                granted_amount=Decimal(4000 + n % 4000) if granted else None,
            )
        )
    applications = Application.objects.bulk_create(rows, batch_size=2000)
    BudgetLine.objects.bulk_create(
        (
            BudgetLine(
                application=application,
                category="services",
                label=f"Dépense {k}",
                amount=Decimal(2000 + k),
                currency="EUR",
            )
            for application in applications
            for k in range(5)
        ),
        batch_size=5000,
    )
    reviews = Review.objects.bulk_create(
        (
            Review(
                application=application,
                reviewer=reviewer,
                total=Decimal(10 + (application.pk + k) % 13),
                submitted_at=now,
            )
            for application in applications
            for k, reviewer in enumerate(reviewers)
        ),
        batch_size=5000,
    )
    Score.objects.bulk_create(
        (
            Score(review=review, criterion=criterion, points=Decimal(5))
            for review in reviews
            for criterion in criteria
        ),
        batch_size=5000,
    )
    Payment.objects.bulk_create(
        Payment(
            application=application,
            kind="advance",
            requested_amount=Decimal(1000),
            checked_amount=Decimal(1000),
            paid_amount=Decimal(1000),
            paid_on=now.date(),
        )
        for application in applications
        if application.status in ("in_payment", "closed")
    )
    return fund


def run(arguments) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from maillage.accounts.models import User
    from maillage.cooperations.models import Cooperation
    from maillage.funding import selectors

    database = arguments.database
    call_command("migrate", verbosity=0)
    staff = User.objects.create_user(email="bench@exemple.test", password="bench-bench-bench")
    staff.is_staff = True
    staff.save()
    reviewers = [staff] + [
        User.objects.create_user(email=f"instructeur{n}@exemple.test", password="x" * 12)
        for n in range(2)
    ]
    small_cooperation = Cooperation.objects.create(
        title="Petit", slug="petit", kind="other", visibility="public"
    )
    big_cooperation = Cooperation.objects.create(
        title="Grand", slug="grand", kind="other", visibility="public"
    )
    start = time.perf_counter()
    small = build(small_cooperation, max(10, arguments.applications // 10), reviewers)
    big = build(big_cooperation, arguments.applications, reviewers)
    built = time.perf_counter() - start
    if database == "postgres":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()
    client.force_login(staff)

    def get(path: str):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response

    def queries(action) -> int:
        with CaptureQueriesContext(connection) as captured:
            action()
        return len(captured.captured_queries)

    def list_page(fund) -> str:
        return f"/fonds/{fund.pk}/dossiers/"

    def api_list(fund) -> str:
        return f"/api/v1/applications?fund={fund.pk}&limit=100"

    print(
        f"== {database}: {arguments.applications} applications × 5 budget lines × 3 reviews "
        f"(built in {built:.1f} s)"
    )
    for name, action in (
        ("applications page", lambda f: get(list_page(f))),
        ("applications API list", lambda f: get(api_list(f))),
        ("fund page (envelopes)", lambda f: get(f.get_absolute_url())),
        ("application page", lambda f: get(f"/dossiers/{f.calls.get().applications.last().pk}/")),
    ):
        few, many = queries(lambda a=action: a(small)), queries(lambda a=action: a(big))
        print(f"queries   {name:28} {few} (small) {many} (big)")
        assert few == many, name

    def list_floor(limit: int):
        def floor():
            with connection.cursor() as cursor:
                cursor.execute(LIST_FLOOR, {"fund": big.pk, "limit": limit})
                rows = cursor.fetchall()
                cursor.execute(COUNT_FLOOR, {"fund": big.pk})
                return rows, cursor.fetchall()

        return floor

    rows, counts = list_floor(100)()
    api = get(api_list(big)).json()
    assert [row["id"] for row in api["items"]] == [row[0] for row in rows], "API rows"
    assert api["count"] == sum(n for _status, n in counts), "API count"
    html = get(list_page(big)).content.decode()
    assert rows[0][1] in html and rows[49][1] in html and rows[50][1] not in html, "page rows"

    def envelope_floor():
        with connection.cursor() as cursor:
            cursor.execute(ENVELOPE_FLOOR, {"fund": big.pk})
            return cursor.fetchone()

    (pot,) = selectors.envelope_figures(big)
    programmed, committed, paid = envelope_floor()
    assert (pot.programmed, pot.committed, pot.paid) == (
        Decimal(programmed).quantize(Decimal("0.01")),
        Decimal(committed).quantize(Decimal("0.01")),
        Decimal(paid).quantize(Decimal("0.01")),
    ), "envelope figures"
    # What any request costs before its own work (session, user, middleware, the layout):
    # a page of the same layout showing a text, and a one-object endpoint.
    empty_page = median_seconds(lambda: get("/accessibilite/"))
    empty_api = median_seconds(lambda: get(f"/api/v1/funds/{small.pk}"))
    print(
        f"a text page of the layout     {empty_page * 1000:8.2f} ms; a one-object endpoint "
        f"{empty_api * 1000:.2f} ms"
    )
    for name, floor, timed, fixed in (
        ("applications page (HTML, 50)", list_floor(50), lambda: get(list_page(big)), empty_page),
        ("applications API list (100)", list_floor(100), lambda: get(api_list(big)), empty_api),
        ("envelope figures", envelope_floor, lambda: selectors.envelope_figures(big), 0.0),
    ):
        floor_time, seconds = paired_medians(floor, timed, runs=9)
        extra = f"; less the empty request: {(seconds - fixed) / floor_time:.1f}×" if fixed else ""
        print(
            f"{name:30} {seconds * 1000:8.2f} ms = {seconds / floor_time:5.1f}× its floor"
            f" ({floor_time * 1000:.2f} ms, timed in turn{extra})"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--applications", type=int, default=10_000)
    arguments = parser.parse_args()
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
    with tempfile.TemporaryDirectory(dir=shm) as tmp:
        configure(arguments.database, Path(tmp))
        run(arguments)


if __name__ == "__main__":
    main()
