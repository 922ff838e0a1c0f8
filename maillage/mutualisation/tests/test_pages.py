"""The pages as each role, the forms' refusals, the files, and fixed query counts."""

from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from maillage.core.testing import (
    assert_constant_queries,
    assert_permission_matrix,
    count_queries,
)
from maillage.mutualisation import selectors, services
from maillage.mutualisation.models import KeyTerm
from maillage.mutualisation.services import DeclaredUnits
from maillage.mutualisation.tests.factories import item_costing, party_of

pytestmark = pytest.mark.django_db


def _url(name: str, convention, *args) -> str:
    return reverse(
        f"mutualisation:{name}", args=[convention.cooperation.slug, convention.pk, *args]
    )


def _getter(url: str) -> Callable[[Client], Any]:
    return lambda client: client.get(url)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _declare_all(year, item, a, b):
    for party, units in ((a, 10), (b, 30)):
        services.uses_declare(
            actor=None, year=year, party=party, uses={item: DeclaredUnits(actual=Decimal(units))}
        )


def test_who_sees_which_page(ads, cast):
    convention, _year, item, (_agglo, a, _b) = ads
    members = {"observer": 200, "funder": 200, "project_contact": 200, "body_member": 200}
    hidden = {"anonymous": 404, "outsider": 404}
    readers = {**hidden, **members, "coordinator": 200, "staff": 200}
    for url in (
        reverse("mutualisation:conventions", args=[convention.cooperation.slug]),
        _url("convention", convention),
        _url("year", convention, 2024),
    ):
        assert_permission_matrix(cast, _getter(url), readers)
    editors = {**dict.fromkeys(members, 403), "coordinator": 200, "staff": 200}
    for url in (
        _url("convention_update", convention),
        _url("key", convention, 2024, item.pk),
        _url("year_close", convention, 2024),
        _url("allocation_file", convention, 2024),
    ):
        expected = {"anonymous": 302 if "xlsx" not in url else 404, "outsider": 404, **editors}
        assert_permission_matrix(cast, _getter(url), expected)
    # A party's statement: its finance contact and the coordinators only.
    statement = _url("statement", convention, 2024, a.pk)
    assert_permission_matrix(
        cast,
        lambda c: c.get(statement),
        {**hidden, **dict.fromkeys(members, 404), "coordinator": 200, "staff": 200},
    )


def test_the_allocation_table_is_the_coordinators_and_a_party_sees_its_own(
    ads, claire, nadia, oscar
):
    convention, year, item, (_agglo, a, b) = ads
    services.convention_party_update(actor=claire, member=b, finance_contact=nadia)
    _declare_all(year, item, a, b)
    page = _client(claire).get(_url("year", convention, 2024)).content.decode()
    assert "Répartition du coût total" in page and "Qui paie quoi" in page
    nadia_page = _client(nadia).get(_url("year", convention, 2024)).content.decode()
    assert "Répartition du coût total" not in nadia_page
    assert "Commune B" in nadia_page and "Commune A" not in nadia_page.split("<h2>Décomptes")[-1]
    oscar_page = _client(oscar).get(_url("year", convention, 2024)).content.decode()
    assert "Décomptes" not in oscar_page and "Déclarer les usages" not in oscar_page
    assert _client(nadia).get(_url("statement", convention, 2024, b.pk)).status_code == 200
    assert _client(nadia).get(_url("statement", convention, 2024, a.pk)).status_code == 404


def test_a_wrong_key_is_refused_on_the_page_with_its_reason(ads, claire):
    convention, year, item, parties = ads
    before = list(KeyTerm.objects.values_list("pk", "method", "weight"))
    response = _client(claire).post(
        _url("key", convention, 2024, item.pk), {"weight_use": "70", "weight_population": "20"}
    )
    assert response.status_code == 200
    assert "Les poids de la clé font 90 %, pas 100 %." in response.content.decode()
    assert list(KeyTerm.objects.values_list("pk", "method", "weight")) == before
    fixed = {"weight_fixed": "100", f"fixed_{parties[1].pk}": "60", f"fixed_{parties[2].pk}": "40"}
    saved = _client(claire).post(_url("key", convention, 2024, item.pk), fixed)
    assert saved.status_code == 302
    assert list(year.key_terms.values_list("method", "weight")) == [("fixed", Decimal(100))]


def test_uses_are_declared_closed_and_the_statement_downloaded(ads, claire, nadia):
    convention, year, item, (_agglo, a, b) = ads
    services.convention_party_update(actor=claire, member=a, finance_contact=nadia)
    form = _client(nadia).get(_url("uses", convention, 2024)).content.decode()
    assert f"actual_{a.pk}_{item.pk}" in form and f"actual_{b.pk}_{item.pk}" not in form
    bad = _client(nadia).post(_url("uses", convention, 2024), {f"actual_{a.pk}_{item.pk}": "-2"})
    assert bad.status_code == 200 and not year.uses.exists()
    posted = _client(nadia).post(
        _url("uses", convention, 2024),
        {f"forecast_{a.pk}_{item.pk}": "12", f"actual_{a.pk}_{item.pk}": "10"},
    )
    assert posted.status_code == 302
    services.uses_declare(
        actor=claire, year=year, party=b, uses={item: DeclaredUnits(actual=Decimal(30))}
    )
    refused = _client(claire).post(_url("year_close", convention, 2024))
    assert refused.status_code == 302
    year.refresh_from_db()
    assert not year.is_open and year.version == 1
    for kind, start in (("pdf", b"%PDF"), ("odt", b"PK"), ("xlsx", b"PK")):
        response = _client(nadia).get(_url("statement_file", convention, 2024, a.pk, kind))
        assert response.status_code == 200 and response.content.startswith(start), kind
    page = _client(nadia).get(_url("statement", convention, 2024, a.pk)).content.decode()
    assert "Version 1" in page and "Reste à payer : 4\xa0000,01\xa0€" in page
    report = _client(claire).get(_url("report", convention, "pdf"))
    assert report.status_code == 200 and report.content.startswith(b"%PDF")


def test_the_pages_read_a_fixed_number_of_queries_as_parties_and_items_grow(ads, claire):
    convention, year, item, (_agglo, a, _b) = ads
    client = _client(claire)
    urls = [
        _url("convention", convention),
        _url("year", convention, 2024),
        _url("statement", convention, 2024, a.pk),
        _url("uses", convention, 2024),
        reverse("mutualisation:conventions", args=[convention.cooperation.slug]),
    ]

    def grow():
        for n in range(5):
            member = services.convention_party_add(
                actor=None,
                convention=convention,
                party=party_of(convention.cooperation, f"Commune {n}", 100 + n),
            )
            item.sharing_parties.add(member)
            extra = item_costing(year, member, f"Service {n}", staff="100.00")
            services.key_set(actor=None, year=year, item=extra, terms={"population": 100})
            services.uses_declare(
                actor=None, year=year, party=member, uses={item: DeclaredUnits(actual=Decimal(n))}
            )

    def counts() -> list[int]:
        return [count_queries(partial(client.get, url)) for url in urls]

    before = counts()
    grow()
    after = counts()
    assert before == after, list(zip(urls, before, after, strict=True))
    assert_constant_queries(lambda: selectors.allocation_of(year), grow)


def test_the_history_of_a_year_lists_every_change_made_to_it(ads, claire, oscar):
    convention, year, item, (_agglo, a, b) = ads
    services.uses_declare(
        actor=claire, year=year, party=a, uses={item: DeclaredUnits(actual=Decimal(4))}
    )
    services.advance_add(
        actor=claire, year=year, party=b, amount=Decimal("10"), paid_on="2024-03-01"
    )
    history = _client(claire).get(_url("year_history", convention, 2024)).content.decode()
    for comment in (
        "Exercice 2024 ouvert",
        "Coût ajouté à l’exercice 2024",
        "Clé de « Instruction ADS » fixée pour 2024",
        "Usages déclarés pour 2024 : Commune A",
        "Acompte enregistré (exercice 2024)",
    ):
        assert comment in history, comment
    assert _client(oscar).get(_url("year_history", convention, 2024)).status_code == 403
    convention_history = _client(claire).get(_url("convention_history", convention)).content
    assert "Élément mutualisé ajouté : Instruction ADS" in convention_history.decode()


def test_the_person_shared_is_named_to_the_cooperations_members_only(ads, claire, nadia):
    from maillage.cooperations.tests.factories import PersonFactory

    convention, _year, item, (_agglo, a, _b) = ads
    services.item_update(actor=claire, item=item, person=PersonFactory(last_name="Instructrice"))
    services.convention_party_update(actor=claire, member=a, finance_contact=nadia)
    url = _url("convention", convention)
    assert "Instructrice" in _client(claire).get(url).content.decode()
    page = _client(nadia).get(url)  # a finance contact who is no member of the cooperation
    assert page.status_code == 200 and "Instructrice" not in page.content.decode()


def test_the_year_page_reads_in_english(ads, claire):
    convention = ads[0]
    client = _client(claire)
    client.cookies["django_language"] = "en"
    page = client.get(_url("year", convention, 2024)).content.decode()
    for text in ("Distribution of the total cost", "Total share", "Set the key", "Staff costs"):
        assert text in page, text


def test_costs_and_advances_are_entered_on_their_pages_and_refused_with_reasons(ads, claire):
    convention, year, item, (_agglo, a, b) = ads
    client = _client(claire)
    cost = {"item": item.pk, "component": "contracts", "source": "budget", "amount": "-1"}
    refused = client.post(_url("cost_add", convention, 2024), cost)
    assert refused.status_code == 200 and year.costs.count() == 2
    saved = client.post(_url("cost_add", convention, 2024), {**cost, "amount": "1200.50"})
    assert saved.status_code == 302 and year.costs.count() == 3
    advance = {"party": b.pk, "amount": "0", "paid_on": "2024-06-30"}
    assert client.post(_url("advance_add", convention, 2024), advance).status_code == 200
    assert (
        client.post(_url("advance_add", convention, 2024), {**advance, "amount": "99"}).status_code
        == 302
    )
    assert list(year.advances.values_list("party", "amount")) == [(b.pk, Decimal("99.00"))]
    services.uses_declare(
        actor=None, year=year, party=a, uses={item: DeclaredUnits(actual=Decimal(1))}
    )
    services.uses_declare(
        actor=None, year=year, party=b, uses={item: DeclaredUnits(actual=Decimal(1))}
    )
    services.year_close(actor=claire, year=year)
    late = client.post(_url("cost_add", convention, 2024), {**cost, "amount": "5"})
    assert late.status_code == 200 and "est clos" in late.content.decode()
    assert year.costs.count() == 3


def test_the_admin_edits_a_convention_through_its_service(ads, alix):
    from reversion.models import Version

    convention = ads[0]
    alix.is_superuser = True
    alix.save()
    client = _client(alix)
    url = f"/admin/mutualisation/convention/{convention.pk}/change/"
    form = client.get(url).content.decode()
    assert 'name="documents"' not in form and 'name="cooperation"' not in form
    data = {
        "title": "Service commun ADS",
        "kind": "common_service",
        "purpose": "",
        "date_note": "",
        "settlement": "compensation",
        "visibility": "partners",
    }
    assert client.post(url, data).status_code == 302
    convention.refresh_from_db()
    assert (convention.title, convention.settlement) == ("Service commun ADS", "compensation")
    assert Version.objects.get_for_object(convention).first().revision.user == alix


def test_a_finance_contact_finds_their_parties_in_mon_espace(ads, claire, nadia, oscar):
    convention, _year, _item, (_agglo, a, _b) = ads
    services.convention_party_update(actor=claire, member=a, finance_contact=nadia)
    space = _client(nadia).get("/mon-espace/").content.decode()
    assert "Mes conventions de mutualisation" in space and convention.title in space
    assert _url("uses", convention, 2024) in space
    assert (
        "Mes conventions de mutualisation"
        not in _client(oscar).get("/mon-espace/").content.decode()
    )


def test_the_report_gives_each_partys_share_year_by_year_as_its_statements(ads, claire):
    from maillage.core.templatetags.amounts import cents
    from maillage.mutualisation.documents import report_blocks
    from maillage.reports.yearly import Table

    convention, year, item, (_agglo, a, b) = ads
    for party, units in ((a, 1), (b, 3)):
        services.uses_declare(
            actor=None, year=year, party=party, uses={item: DeclaredUnits(actual=Decimal(units))}
        )
    services.year_close(actor=claire, year=year)
    next_year = services.year_open(actor=claire, convention=convention, year=2025)
    _title, blocks = report_blocks(convention)
    (table,) = [b for b in blocks if isinstance(b, Table) and b.caption.startswith("Part de")]
    assert table.header == ["Partie", "2024", "2025 (provisoire)"]
    issued = {s.party.pk: s.share for s in selectors.issued_statements(year)}
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows["Commune A"][0] == cents(issued[a.pk])
    assert rows["Commune B"][0] == cents(issued[b.pk])
    assert rows["Commune A"][1] == cents(
        selectors.allocation_of(next_year).statement_of(a.pk).share
    )
