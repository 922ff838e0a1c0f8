"""The search (core.search, the page and `/api/v1/search`): what it finds, what it never
shows, how it follows the writes, and its bad inputs."""

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client

from maillage.cooperations import services as cooperation_services
from maillage.cooperations.enums import DocumentKind
from maillage.cooperations.models import Document
from maillage.cooperations.tests.factories import CooperationFactory, OrganisationFactory
from maillage.core import search
from maillage.core.enums import Visibility
from maillage.core.extraction import extract_text
from maillage.core.models import SearchEntry
from maillage.core.testing import assert_constant_queries, assert_text_matrix
from maillage.projects import services as project_services
from maillage.projects.models import Project
from maillage.projects.tests.factories import ProjectFactory
from maillage.territories.models import Territory

VISITOR = AnonymousUser()
SEARCH = "/recherche/"
API = "/api/v1/search"


def pdf_with(text: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


def docx_with(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def odt_with(text: str) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    document.text.addElement(P(text=text))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the block saves through the index as when its transaction commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def public_cooperation(cooperation, committed):
    """The test cooperation made public, its public, partners' and restricted projects."""
    with committed():
        cooperation.visibility = Visibility.PUBLIC
        cooperation.save()
        for number, (visibility, word) in enumerate(
            [
                (Visibility.PUBLIC, "Méthaniseur"),
                (Visibility.PARTNERS, "Agrivoltaïsme"),
                (Visibility.RESTRICTED, "Préemption"),
            ],
            start=1,
        ):
            ProjectFactory(
                cooperation=cooperation,
                code=f"P{number}",
                title=f"{word} du plateau",
                visibility=visibility,
                description=f"Étude {visibility}",
            )
    return cooperation


def found(user, text: str, **options) -> list[str]:
    return [hit.entry.title for hit in search.search(user, text, **options).hits]


# Reading the words ----------------------------------------------------------------------------


def test_the_words_inside_pdf_odt_and_docx_files_are_read():
    assert "bocage" in extract_text(io.BytesIO(pdf_with("Haies de bocage")), "a.pdf")
    assert "bocage" in extract_text(io.BytesIO(docx_with("Haies de bocage")), "a.docx")
    assert "bocage" in extract_text(io.BytesIO(odt_with("Haies de bocage")), "a.odt")


def test_a_damaged_or_unknown_file_gives_no_words_and_no_error():
    assert extract_text(io.BytesIO(b"%PDF-1.4 broken"), "a.pdf") == ""
    assert extract_text(io.BytesIO(b"PK not a zip"), "a.docx") == ""
    assert extract_text(io.BytesIO(b"\x89PNG"), "a.png") == ""


# Finding ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_accents_and_case_do_not_matter(public_cooperation):
    assert found(VISITOR, "METHANISEUR") == ["P1 Méthaniseur du plateau"]
    assert found(VISITOR, "méthaniseur plateau") == ["P1 Méthaniseur du plateau"]
    assert found(VISITOR, "méthaniseur bocage") == []  # every word must be there


@pytest.mark.django_db
def test_french_words_are_stemmed_where_the_database_can(public_cooperation):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's FTS5 has no French stemmer (it matches word beginnings)")
    assert found(VISITOR, "méthaniseurs") == ["P1 Méthaniseur du plateau"]


@pytest.mark.django_db
def test_a_word_inside_a_public_pdf_is_found_never_inside_a_private_one(
    public_cooperation, claire, nadia, settings, tmp_path, committed
):
    settings.MEDIA_ROOT = tmp_path
    with committed():
        for visibility, title in [
            (Visibility.PUBLIC, "Étude publique"),
            (Visibility.RESTRICTED, "Note confidentielle"),
        ]:
            cooperation_services.document_add(
                actor=claire,
                cooperation=public_cooperation,
                kind=DocumentKind.STUDY,
                title=title,
                file=SimpleUploadedFile(f"{visibility}.pdf", pdf_with("Biomasse forestière")),
                visibility=visibility,
            )
    assert found(VISITOR, "biomasse") == ["Étude publique"]
    assert found(nadia, "biomasse forestiere") == ["Étude publique"]
    assert sorted(found(claire, "biomasse")) == ["Note confidentielle", "Étude publique"]
    hit = search.search(VISITOR, "biomasse").hits[0]
    assert "<mark>" in hit.excerpt and hit.url.endswith(f"/documents/{hit.obj.pk}/")


@pytest.mark.django_db
def test_a_private_title_never_reaches_a_reader_who_may_not_open_it(public_cooperation, cast):
    """The page, as every role: the partners' project for members, the restricted one for
    the coordination and the staff."""
    for word, shown_to in [
        ("Méthaniseur", set(cast)),
        (
            "Agrivoltaïsme",
            {"observer", "funder", "project_contact", "body_member", "coordinator", "staff"},
        ),
        ("Préemption", {"coordinator", "staff"}),
    ]:
        assert_text_matrix(cast, f"{SEARCH}?q={word}", f"{word} du plateau", shown_to)


@pytest.mark.django_db
def test_a_private_cooperation_hides_everything_it_holds(cooperation, committed, nadia, claire):
    with committed():
        ProjectFactory(cooperation=cooperation, code="B1", title="Bergerie", visibility="partners")
    assert found(VISITOR, "bergerie") == found(nadia, "bergerie") == []
    assert found(claire, "bergerie") == ["B1 Bergerie"]
    assert found(claire, "Brest") == ["Brest ↔ COB"]
    assert found(nadia, "Brest") == []


@pytest.mark.django_db
def test_an_entry_left_behind_by_a_bulk_write_shows_nothing_it_should_not(
    public_cooperation, nadia, committed
):
    """The readers are filtered on the objects' own tables, not on the index; a deletion
    removes the entry once it commits."""
    Project.objects.filter(title__startswith="Méthaniseur").update(visibility=Visibility.RESTRICTED)
    assert found(nadia, "méthaniseur") == []
    with committed():
        Project.objects.filter(title__startswith="Méthaniseur").delete()
    assert SearchEntry.objects.filter(title__contains="Méthaniseur").count() == 0


@pytest.mark.django_db
def test_the_index_follows_the_services_writes(public_cooperation, claire, alix, committed):
    project = Project.objects.get(title__startswith="Méthaniseur")
    with committed():
        project_services.project_update(actor=claire, project=project, title="Chaufferie bois")
    assert found(claire, "méthaniseur") == []
    assert found(claire, "chaufferie") == ["P1 Chaufferie bois"]
    with committed():
        project_services.project_delete(actor=claire, project=project)
    assert found(claire, "chaufferie") == []
    with committed():
        cooperation_services.cooperation_delete(actor=alix, cooperation=public_cooperation)
    assert SearchEntry.objects.filter(cooperation_id=public_cooperation.pk).count() == 0


@pytest.mark.django_db
def test_imports_and_the_rebuild_command_index_what_bulk_writes_made(
    referential, committed, django_capture_on_commit_callbacks
):
    """The referential fixture's imports ran inside the test's transaction: nothing indexed;
    an import that commits indexes its territories; the command rebuilds the whole index."""
    assert found(VISITOR, "guipavas") == []
    call_command("rebuild_search_index", verbosity=0)
    assert found(VISITOR, "guipavas") == ["Guipavas (29075)"]
    SearchEntry.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_regions", _regions_file(), verbosity=0)
    assert SearchEntry.objects.filter(source="territory").count() == Territory.objects.count()


def _regions_file() -> str:
    import tempfile

    from maillage.territories.tests import files

    folder = tempfile.mkdtemp()
    path = f"{folder}/v_region_2025.csv"
    with open(path, "w", encoding="utf-8") as file:
        file.write(files.REGIONS)
    return path


@pytest.mark.django_db
def test_the_counts_by_type_and_cooperation_add_up(public_cooperation, committed, claire):
    with committed():
        OrganisationFactory(name="Plateau des savoirs")
        other = CooperationFactory.create(title="Autre plateau", visibility=Visibility.PUBLIC)
        ProjectFactory(cooperation=other, title="Plateau sportif", visibility=Visibility.PUBLIC)
    results = search.search(claire, "plateau")
    assert {source.key: n for source, n in results.by_source} == {
        "organisation": 1,
        "cooperation": 1,
        "project": 4,
    }
    assert results.total == 6 == len(results.hits)
    assert dict(results.by_cooperation) == {public_cooperation.pk: 3, other.pk: 2}
    assert search.search(claire, "plateau", source="project").total == 4
    assert search.search(claire, "plateau", cooperation_id=other.pk).total == 2


@pytest.mark.django_db
def test_an_excerpt_is_escaped_with_the_words_marked(public_cooperation, committed, claire):
    with committed():
        ProjectFactory(
            cooperation=public_cooperation,
            title="Chemins",
            description="<script>alert(1)</script> sentiers de randonnée",
            visibility=Visibility.PUBLIC,
        )
    (hit,) = search.search(claire, "randonnée").hits
    assert "<mark>randonnée</mark>" in hit.excerpt
    assert "<script>" not in hit.excerpt.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in hit.excerpt.replace("<mark>", "").replace("</mark>", "")
    assert "&lt;script&gt;" in search._marked("<script>\x02a\x03")


@pytest.mark.django_db
def test_search_syntax_in_the_question_is_only_words(public_cooperation):
    for text in ['"', "NEAR(", "méthaniseur*", "a OR b", "-", "col:méthaniseur", "'; DROP"]:
        search.search(VISITOR, text)  # no error


# Pages and API ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_page_and_api_give_the_same_results(public_cooperation, claire):
    client = Client()
    client.force_login(claire)
    page = client.get(SEARCH, {"q": "plateau"})
    api = client.get(API, {"q": "plateau"}).json()
    facets = client.get(f"{API}/facets", {"q": "plateau"}).json()
    assert api["count"] == facets["count"] == 3
    for item in api["items"]:
        assert item["title"] in page.content.decode()
        assert item["url"] in page.content.decode()
    assert "3 résultats pour « plateau »" in page.content.decode()
    assert facets["by_type"] == [{"type": "project", "label": "Projets", "count": 3}]
    assert facets["by_cooperation"][0]["id"] == public_cooperation.pk


@pytest.mark.django_db
def test_the_api_hides_private_titles_from_visitors(public_cooperation):
    titles = [item["title"] for item in Client().get(API, {"q": "plateau"}).json()["items"]]
    assert titles == ["P1 Méthaniseur du plateau"]
    facets = Client().get(f"{API}/facets", {"q": "plateau"}).json()
    assert facets["count"] == 1  # the private projects are not even counted
    assert facets["by_type"] == [{"type": "project", "label": "Projets", "count": 1}]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 201},
        {"q": ""},
        {},
        {"q": "plateau", "type": "secret"},
        {"q": "plateau", "limit": 101},
        {"q": "plateau", "offset": -1},
        {"q": "plateau", "cooperation": "abc"},
    ],
)
def test_the_api_refuses_a_bad_question_with_a_reason(db, params):
    response = Client().get(API, params)
    assert response.status_code in (400, 422)
    assert response.json()["detail"]


@pytest.mark.django_db
def test_the_page_explains_a_bad_question(public_cooperation):
    client = Client()
    too_long = client.get(SEARCH, {"q": "x" * 201}).content.decode()
    assert "fr-error-text" in too_long and "200" in too_long
    assert "Écrivez un ou plusieurs mots" in client.get(SEARCH, {"q": " "}).content.decode()
    nothing = client.get(SEARCH, {"q": "inexistant"}).content.decode()
    assert "Rien ne correspond à « inexistant »" in nothing
    assert client.get(SEARCH, {"q": "plateau", "page": "999"}).status_code == 200


@pytest.mark.django_db
def test_the_search_page_keeps_its_queries_as_results_grow(public_cooperation, committed, claire):
    """One query per type on the page (the objects' addresses): at most one per type."""
    client = Client()
    client.force_login(claire)
    with committed():
        other = CooperationFactory.create(title="Autre plateau", visibility=Visibility.PUBLIC)
        OrganisationFactory(name="Plateau")
        Document.objects.create(cooperation=other, kind=DocumentKind.REFERENCE, title="Plateau")

    def grow():
        with committed():
            for n in range(3):  # the page (20) holds them all: every type stays on it
                ProjectFactory(cooperation=other, title=f"Plateau {n}", visibility="public")
                OrganisationFactory(name=f"Plateau {n}")
                Document.objects.create(
                    cooperation=other, kind=DocumentKind.REFERENCE, title=f"Plateau {n}"
                )

    assert_constant_queries(lambda: client.get(SEARCH, {"q": "plateau"}), grow)
    assert_constant_queries(lambda: client.get(API, {"q": "plateau"}), grow)


@pytest.mark.django_db
def test_the_header_search_box_leads_to_the_search(cooperation):
    page = Client().get("/").content.decode()
    assert 'action="/recherche/"' in page and 'name="q"' in page


@pytest.mark.django_db
def test_a_deletion_rolled_back_keeps_its_entry(public_cooperation, claire, committed):
    from django.db import transaction

    project = Project.objects.get(title__startswith="Méthaniseur")
    pk = project.pk
    try:
        with transaction.atomic():
            project.delete()
            raise RuntimeError  # the deletion is rolled back
    except RuntimeError:
        pass
    assert Project.objects.filter(pk=pk).exists()
    with committed():  # the next transaction that commits flushes what was marked
        OrganisationFactory(name="Autre structure")
    assert found(claire, "méthaniseur") == ["P1 Méthaniseur du plateau"]
