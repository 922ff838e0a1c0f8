import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from maillage.accounts.models import Membership, User
from maillage.cooperations.models import Cooperation
from maillage.core.enums import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media(settings, media_root):
    settings.MEDIA_ROOT = media_root


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, media_root):
    """The demo, loaded once for the module (about ten seconds): each test reads it inside its
    own transaction, and the whole load is rolled back when the module ends."""
    from conftest import fast_settings

    out = StringIO()
    with (
        override_settings(**fast_settings(), MEDIA_ROOT=media_root),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def test_the_demo_holds_the_seed_cooperations_and_one_account_per_role(demo, settings):
    assert settings.DEMO_PASSWORD in demo
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.filter(is_staff=True).count() == 1
    assert set(Cooperation.objects.values_list("slug", flat=True)) == {
        "brest-cob",
        "cambresis",
        "arc-jurassien",
        "pays-bassin-briey",
        "briey-st2b",
        "belledonne-grenoble",
        "ads-cambrai",
    }
    brest = Cooperation.objects.get(slug="brest-cob")
    assert "207 000 habitants" in brest.summary and "4 novembre 2016" in brest.summary
    assert "280 projets" in Cooperation.objects.get(slug="cambresis").summary


def test_the_demo_holds_the_seed_territories_and_organisations(demo):
    from maillage.directory.models import Organisation, Person
    from maillage.territories.models import Territory

    brest = Territory.objects.get(kind="epci", code="242900314")
    assert Territory.objects.communes_under(brest).count() == 8
    assert Territory.objects.get(kind="commune", code="29235").name == "Le Relecq-Kerhuon"
    cob = Territory.objects.get(kind="pays", name="Pays du Centre Ouest Bretagne")
    assert cob.members.count() == 5
    assert "ne la donnent pas" in cob.description
    arc = Territory.objects.get(name="Arc jurassien")
    assert set(arc.members.filter(country="CH").values_list("name", flat=True)) == {
        "Berne",
        "Vaud",
        "Neuchâtel",
        "Jura",
    }
    assert Territory.objects.filter(kind="scot").count() == 6
    for name in [
        "Brest métropole",
        "Adeupa Brest-Bretagne",
        "Département du Nord",
        "Conférence TransJurassienne (CTJ)",
        "Pays du bassin de Briey",
        "SCoT Nord 54",
        "Cap Rural",
        "Caisse des Dépôts",
        "Espace Belledonne",
    ]:
        assert Organisation.objects.filter(name=name).exists(), name
    nord = Organisation.objects.get(name="Département du Nord").territory
    assert nord is not None
    assert nord.code == "59"
    brunet = Person.objects.get(last_name="Brunet")
    assert brunet.positions.get().title == "Secrétaire général"
    # 8 people standing for roles, and the 50 representatives of the Brest–COB groups.
    assert Person.objects.filter(note__startswith="Personne fictive").count() == 58


def test_the_demo_holds_the_seed_cooperations_facts(demo):
    from datetime import date

    brest = Cooperation.objects.get(slug="brest-cob")
    assert list(brest.milestones.exclude(date=None).values_list("kind", "date")) == [
        ("protocol_signature", date(2015, 12, 14)),
        ("contract_signature", date(2016, 11, 4)),
    ]
    assert brest.milestones.filter(kind="study", title__contains="Adeupa").exists()
    assert [g.members.count() for g in brest.working_groups.order_by("pk")] == [17, 17, 16]
    cambresis = Cooperation.objects.get(slug="cambresis")
    assert (cambresis.start_date, cambresis.end_date) == (date(2011, 7, 7), date(2017, 7, 6))
    assert cambresis.computed_duration_years == 6
    assert cambresis.working_groups.count() == 31
    arc = Cooperation.objects.get(slug="arc-jurassien")
    assert set(arc.strategy_nodes.exclude(code="").values_list("code", flat=True)) >= {
        "1.3",
        "4.1.2",
        "4.2.2",
        "4.2.3",
    }
    assert arc.working_groups.count() == 6
    portal = arc.proposals.get(title__startswith="Mettre en place un portail")
    assert [n.code for n in portal.strategy_nodes.all()] == ["4.2.3"]
    briey = Cooperation.objects.get(slug="pays-bassin-briey")
    assert briey.strategy_nodes.filter(parent=None).count() == 5  # 4 stakes and the missions
    assert Cooperation.objects.get(slug="belledonne-grenoble").stage == "diagnosis"

    from maillage.projects.models import Project

    portfolio = Project.objects.filter(cooperation=cambresis)
    assert portfolio.count() == 280
    assert portfolio.filter(status="engaged").count() == 91
    assert portfolio.filter(structuring=True).count() == 12
    assert portfolio.filter(title="Contournement du Cateau", structuring=True).exists()
    wood = Project.objects.get(cooperation=brest, code="BC-01")
    assert wood.proposal is not None and wood.proposal.status == "retained"
    leader = Project.objects.get(code="LEADER").financing.get()
    assert leader.programme is not None
    assert (leader.programme.code, leader.amount) == ("leader", 1300000)
    from maillage.governance.models import Meeting
    from maillage.portal.models import Resource

    session = Meeting.objects.get(title__startswith="Session d’exploration")
    programme = Resource.objects.get(organisation__name="Cap Rural", title__startswith="Programme")
    text = programme.file.read().decode()
    assert programme.file.name.endswith(".txt") and "écrit pour la démonstration" in text
    assert text.count("\n1. ") == 1 and session.title in text
    invitations = brest.invitations.filter(accepted_at=None)
    assert sorted(i.is_pending for i in invitations) == [False, True]  # one expired, one valid


def test_loading_twice_changes_nothing(demo, capsys):
    call_command("load_demo")
    assert "déjà chargées" in capsys.readouterr().out
    assert Cooperation.objects.count() == 7


def test_demo_accounts_can_log_in(demo, client, settings):
    client.post(
        "/compte/login/",
        {"login": "coordination@maillage.test", "password": settings.DEMO_PASSWORD},
    )
    assert client.session.get("_auth_user_id")


def test_the_demo_holds_the_seed_meetings(demo):
    from zoneinfo import ZoneInfo

    from maillage.governance.models import Body, Meeting

    session = Meeting.objects.get(title__startswith="Session d’exploration")
    paris = ZoneInfo("Europe/Paris")
    assert session.start.astimezone(paris).strftime("%Y-%m-%d %H:%M") == "2016-12-06 09:30"
    assert session.end.astimezone(paris).strftime("%H:%M") == "17:00"
    assert session.registration_deadline is not None
    deadline = session.registration_deadline.astimezone(paris).date().isoformat()
    assert (session.capacity, deadline) == (20, "2016-11-30")
    assert "Cap Rural" in session.registration_condition
    # Cap Rural's own event, not a cooperation's meeting; its programme in its description.
    assert session.cooperation is None and session.organiser is not None
    assert session.organiser.name == "Cap Rural"
    assert "\n6. " in session.description and "Jean-Yves Pineau" in session.description
    committee = Body.objects.get(cooperation__slug="brest-cob")
    assert committee.meetings_per_year == 1 and committee.meetings.count() >= 9
    assert committee.decisions.filter(projects__code="BC-01").exists()
    assert committee.meetings.get(title__endswith="2017").minutes.status == "published"
    conferences = Body.objects.get(cooperation__slug="cambresis", kind="partnership_conference")
    assert conferences.meetings.count() == 8
    assert Body.objects.filter(cooperation__slug="arc-jurassien", name__contains="CTT").exists()
    assert Meeting.objects.filter(title__contains="Matinée de la CTJ 2017").exists()

    # The dashboards show the seed figures (as the staff sees them).
    from maillage.accounts.models import User
    from maillage.reports.selectors import dashboard

    staff = User.objects.get(is_staff=True)
    cambresis = dashboard(staff, Cooperation.objects.get(slug="cambresis"))
    engaged = next(row.value for row in cambresis.projects.by_status if row.key == "engaged")
    assert (cambresis.projects.total, engaged, cambresis.projects.structuring) == (280, 91, 12)
    assert [body["name"] for body in cambresis.governance.bodies if "Conférence" in body["name"]]
    brest = dashboard(staff, Cooperation.objects.get(slug="brest-cob"))
    assert brest.projects.total == 8 and brest.financing.financing_total > 0
    assert brest.funnel.submitted == 9 and brest.funnel.turned_into_projects == 8
    arc = dashboard(staff, Cooperation.objects.get(slug="arc-jurassien"))
    assert [rate.currency for rate in arc.financing.rates_used] == ["CHF"]


def test_cap_rurals_public_session_reaches_visitors(demo, client):
    from maillage.governance.models import Meeting

    session = Meeting.objects.get(title__startswith="Session d’exploration")
    assert session.visibility == "public" and session.open_registration
    assert session.get_absolute_url() == f"/evenements/{session.pk}/"
    assert client.get(session.get_absolute_url()).status_code == 200
    detail = client.get(f"/api/v1/meetings/{session.pk}").json()
    assert (detail["cooperation_id"], detail["capacity"]) == (None, 20)
    assert detail["organiser_id"] == session.organiser_id
    # On Cap Rural's page, with its resources.
    assert session.organiser is not None
    page = client.get(session.organiser.get_absolute_url()).content.decode()
    assert "Session d’exploration" in page and "20 places" in page


def _figures() -> dict:
    """What a restore must give back: every table's row count, the seed figures of the
    dashboards, and the bytes of every stored file."""
    from django.apps import apps
    from django.core.files.storage import default_storage

    from maillage.accounts.models import User
    from maillage.core.backup import LEFT_OUT, stored_files
    from maillage.reports.selectors import dashboard

    counts = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed
        and model._meta.app_label not in LEFT_OUT
        and model._meta.label_lower not in LEFT_OUT
    }
    staff = User.objects.get(is_staff=True)
    boards = {}
    for cooperation in Cooperation.objects.order_by("slug"):
        board = dashboard(staff, cooperation)
        boards[cooperation.slug] = (
            board.projects.total,
            [row.value for row in board.projects.by_status],
            board.financing.financing_total,
            board.governance.meetings_held,
        )
    files = {}
    for name in stored_files():
        with default_storage.open(name, "rb") as stored:
            files[name] = stored.read()
    return {"counts": counts, "boards": boards, "files": files}


def test_the_restore_drill_gives_back_the_same_platform(demo, tmp_path, media_root):
    """Back up, empty the database and the files, restore into it: the same figures."""
    import shutil

    from maillage.core.backup import RestoreRefused, restore

    before = _figures()
    assert before["files"] and before["boards"]["cambresis"][0] == 280
    archive = tmp_path / "sauvegarde.tar.gz"
    call_command("backup", str(archive), stdout=StringIO())
    with pytest.raises(RestoreRefused):
        restore(archive)  # never over a platform in use
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the test's transaction has deferred checks
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", "--no-input", verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # as a new transaction has them, for loaddata
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    shutil.rmtree(media_root)
    media_root.mkdir()
    out = StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "restaurés" in out.getvalue()
    assert _figures() == before


def test_each_demo_account_has_something_of_its_role(demo, client):
    """The "porteur" account was the contact of no project: its role showed nothing of its own.
    The project contact edits their projects; the coordinator and the elected member find
    their meetings in "Mon espace"."""
    from maillage.governance.selectors import meetings_of_user
    from maillage.projects.models import Project
    from maillage.projects.permissions import can_edit

    porteur = User.objects.get(email="porteur@maillage.test")
    theirs = Project.objects.filter(contacts=porteur)
    assert set(theirs.values_list("code", flat=True)) == {"BC-05", "FPPT-01"}
    assert all(can_edit(porteur, project) for project in theirs)
    assert not can_edit(porteur, Project.objects.get(code="BC-01"))
    for email in ("coordination@maillage.test", "elu@maillage.test"):
        assert meetings_of_user(User.objects.get(email=email)).exists(), email
    client.force_login(porteur)
    assert "Écoles de musique du COB" in client.get("/mon-espace/").content.decode()
    # "Mes projets" is one's own: the coordinator, contact of none, has no such panel.
    client.force_login(User.objects.get(email="coordination@maillage.test"))
    coordinator_space = client.get("/mon-espace/").content.decode()
    assert "Mes projets" not in coordinator_space
    assert "Écoles de musique du COB" not in coordinator_space


MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
# Words a person should never read: "réunion(s)", "1 inscrits", "1 décembre", stored values.
BAD_WORDING = {
    "a plural in brackets": re.compile(r"\w\(s\)"),
    "a plural after 0 or 1": re.compile(
        r"(?<![\d,.\u00a0\u202f ])[01] (inscrits|catégories|engagés|structurants|réunions|"
        r"décisions|projets|indicateurs|instances|membres|documents|rappels|éléments|personnes|"
        r"structures|coopérations|territoires|communes)\b"
    ),
    "the first of a month without its ordinal": re.compile(rf"(?<![\d/])1 ({MONTHS})\b"),
    "a stored value": re.compile(r"\b(None|False|True|nan)\b|\b[A-Z]{2,}_[A-Z_]{2,}\b"),
}
TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S)


def _bad_wording(html: str) -> list[str]:
    text = " ".join(TAGS.sub(" ", html).split())
    return [
        f"{name}: …{text[max(0, m.start() - 40) : m.end() + 40]}…"
        for name, pattern in BAD_WORDING.items()
        for m in pattern.finditer(text)
    ]


def test_the_main_pages_of_the_demo_read_well(demo, client):
    """The main pages of every cooperation, as its coordinator and as a visitor, hold none of
    the wordings found when the product was tried ("1 inscrits", "réunion(s) prévue(s)",
    "1 décembre", "None", "EN_COURS")."""
    from maillage.governance.models import Body, Meeting
    from maillage.projects.models import Project

    pages = ["/", "/tableau-de-bord/", "/territoires/?q=brest", "/mon-espace/"]
    pages += ["/mon-espace/calendrier/", "/annuaire/structures/", "/annuaire/personnes/"]
    pages += ["/forum/", "/notifications/", *_forum_pages()]
    for slug in Cooperation.objects.values_list("slug", flat=True):
        base = f"/cooperations/{slug}/"
        pages += [base, base + "projets/", base + "tableau-de-bord/", base + "reunions/"]
        pages += [base + "strategie/", base + "decisions/", base + "membres/"]
    pages += [m.get_absolute_url() for m in Meeting.objects.select_related("cooperation")]
    pages += [b.get_absolute_url() for b in Body.objects.select_related("cooperation")]
    projects = Project.objects.select_related("cooperation").exclude(cooperation__slug="cambresis")
    pages += [p.get_absolute_url() for p in projects]
    pages += _convention_pages()
    pages += _fund_pages()
    found = []
    for user in (
        User.objects.get(email="coordination@maillage.test"),
        User.objects.get(email="fonds@maillage.test"),
        None,
    ):
        client.logout()
        if user is not None:
            client.force_login(user)
        for path in pages:
            response = client.get(path)
            assert response.status_code in (200, 302, 403, 404), path
            if response.status_code == 200:
                found += [f"{path}: {bad}" for bad in _bad_wording(response.content.decode())]
    assert not found, "\n".join(found)


def _forum_pages() -> list[str]:
    from maillage.forum.models import Space, Thread

    return [s.get_absolute_url() for s in Space.objects.all()] + [
        t.get_absolute_url() for t in Thread.objects.all()
    ]


def _fund_pages() -> list[str]:
    from maillage.funding.models import Application, Call, Fund

    pages = ["/mes-dossiers/"]
    for fund in Fund.objects.all():
        pages += [fund.get_absolute_url(), f"/fonds/{fund.pk}/dossiers/"]
    pages += [call.get_absolute_url() for call in Call.objects.all()]
    return pages + [a.get_absolute_url() for a in Application.objects.all()]


def _convention_pages() -> list[str]:
    from django.urls import reverse

    from maillage.mutualisation.models import AllocationYear, Convention

    pages = [c.get_absolute_url() for c in Convention.objects.select_related("cooperation")]
    for year in AllocationYear.objects.select_related("convention__cooperation"):
        pages.append(year.get_absolute_url())
        args = [year.convention.cooperation.slug, year.convention_id, year.year]
        pages += [
            reverse("mutualisation:statement", args=[*args, party.pk])
            for party in year.convention.parties.all()
        ]
    return pages


def test_the_briey_convention_issues_its_statements_to_the_cent(demo, client):
    """Seed 004's convention: three closed years (2024 corrected once), the current one open;
    each closed year's statements add up to its cost; the ST2b's finance contact reads the
    ST2b's statements and declares its uses, and nothing of the Pays's."""
    from maillage.mutualisation import selectors
    from maillage.mutualisation.models import Convention

    convention = Convention.objects.get(cooperation__slug="briey-st2b")
    years: dict[int, Any] = {y.year: y for y in selectors.years_of(convention)}  # with `total`
    assert {y: (v.status, v.version) for y, v in years.items()} == {
        2023: ("closed", 1),
        2024: ("closed", 2),
        2025: ("closed", 1),
        2026: ("open", 0),
    }
    for number in (2023, 2024, 2025):
        statements = list(selectors.issued_statements(years[number]))
        assert sum(s.share for s in statements) == years[number].total, number
        assert selectors.allocation_of(years[number]).total == years[number].total
    st2b = convention.parties.get(party__organisation__name__startswith="ST2b")
    pays = convention.parties.exclude(pk=st2b.pk).get()
    client.force_login(User.objects.get(email="observateur@maillage.test"))
    base = f"/cooperations/briey-st2b/conventions/{convention.pk}/2026/"
    assert client.get(f"{base}decomptes/{st2b.pk}/").status_code == 200
    assert client.get(f"{base}decomptes/{pays.pk}/").status_code == 404
    assert f"{base}usages/" in client.get("/mon-espace/").content.decode()  # the way in
    uses = client.get(f"{base}usages/").content.decode()
    assert "Véhicule de service" in uses and "Pays du bassin" not in uses.split("<tbody>")[1]
    ads = Convention.objects.get(cooperation__slug="ads-cambrai")
    assert ads.parties.count() == 13 and ads.settlement == "compensation"


def test_bad_wording_is_found():
    assert _bad_wording("<p>1 inscrits sur 20 places</p>")
    assert _bad_wording("<li>2 réunion(s) prévue(s)</li>")
    assert _bad_wording("<td>le 1 décembre 2026</td>")
    assert _bad_wording("<dd>None</dd>") and _bad_wording("<dd>EN_COURS</dd>")
    assert not _bad_wording("<p>1 inscrit sur 20 places, 1er décembre, 11 décembre, 21 projets</p>")
    assert not _bad_wording("<script>if (x === None) {}</script><p>1 250 000 €, 2,1 projets</p>")


def test_the_funds_carry_their_seeds_rules_and_applications_in_every_status(demo, client):
    """Seed 002's FPPT (its published rules, a 2017 call and one open today) and seed 004's
    LEADER programme (1.3 M€, double quorum); the applications go through every status and
    the grants are the portfolio's financing lines."""
    from decimal import Decimal

    from maillage.funding import selectors
    from maillage.funding.enums import ApplicationStatus
    from maillage.funding.models import Application, Fund

    fppt = Fund.objects.get(code="fppt")
    assert (fppt.currency, fppt.max_aid, fppt.max_budget, fppt.cross_border) == (
        "CHF",
        Decimal(10000),
        Decimal(100000),
        True,
    )
    assert fppt.eligible_territories.count() == 4
    statuses = set(Application.objects.filter(call__fund=fppt).values_list("status", flat=True))
    assert statuses == set(ApplicationStatus.values)
    assert [pot.amount for pot in selectors.envelope_figures(fppt)] == [Decimal(100000)] * 2
    assert fppt.calls.filter(closes_at__year=2017).exists()
    assert any(call.is_open() for call in fppt.calls.all())
    leader = Fund.objects.get(code="leader")
    (pot,) = selectors.envelope_figures(leader)
    assert pot.amount == Decimal(1300000) and 0 < pot.paid < pot.committed <= pot.programmed
    assert leader.double_quorum and leader.measures.count() == 4
    for application in Application.objects.filter(financing_line__isnull=False):
        line = application.financing_line
        assert line is not None and line.amount == application.granted_amount
    client.force_login(User.objects.get(email="fonds@maillage.test"))
    assert client.get(f"/fonds/{fppt.pk}/dossiers/").status_code == 200
    client.force_login(User.objects.get(email="porteur@maillage.test"))
    assert "FPPT" in client.get("/mes-dossiers/").content.decode()


def test_the_demo_shows_the_territories_of_its_cooperations_and_the_flows_between_them(
    demo, client
):
    """Brest–COB: Brest métropole and the Pays COB side by side (the Adeupa's comparison) with
    the commuters each way; the Arc jurassien's flows to Switzerland; the made-up flows and
    the illustrative statistics said so wherever shown."""
    from maillage.observatory import selectors
    from maillage.observatory.models import FlowDataset
    from maillage.territories.models import Territory

    client.force_login(User.objects.get(email="coordination@maillage.test"))
    page = client.get("/cooperations/brest-cob/").content.decode()
    panel = page.split("Les territoires de la coopération")[1]
    assert "Brest Métropole" in panel and "Pays du Centre Ouest Bretagne" in panel
    assert "Données de démonstration" in panel and "valeurs d’illustration" in panel
    metropole = Territory.objects.get(kind="epci", code="242900314")
    pays = Territory.objects.get(kind="pays", name="Pays du Centre Ouest Bretagne")
    matrix = selectors.flow_matrix([metropole, pays], FlowDataset.objects.get())
    # The made-up sample has commuters from the Pays COB to Brest métropole, none the other way.
    assert matrix[(pays.pk, metropole.pk)] > 0
    table = panel.split("Les flux entre les parties")[1].split("</table>")[0]
    assert table.count("Brest Métropole") == 2 and table.count("Pays du Centre Ouest Bretagne") == 2
    arc = client.get("/cooperations/arc-jurassien/").content.decode()
    flows = arc.split("Les flux entre les parties")[1].split("</table>")[0]
    assert "Suisse" in flows
    assert FlowDataset.objects.get().demonstration


def test_the_forum_holds_a_space_per_thematic_table_of_the_ctj(demo, client):
    from maillage.forum.models import Space, Thread

    tables = Space.objects.filter(cooperation__slug="arc-jurassien", working_group__isnull=False)
    assert tables.count() == 4 and all(space.visibility == "public" for space in tables)
    assert all("démonstration" in post.body for t in Thread.objects.all() for post in t.posts.all())
    index = client.get("/forum/").content.decode()
    assert "Table « Emploi »" in index and "Préparer le comité de suivi" not in index
    solved = Thread.objects.get(title__startswith="Reconnaissance des diplômes")
    page = client.get(solved.get_absolute_url()).content.decode()
    assert "La réponse qui résout" in page
    client.force_login(User.objects.get(email="elu@maillage.test"))
    assert "Préparer le comité de suivi" in client.get("/forum/").content.decode()
