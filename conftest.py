"""The people every test can count on.

One cooperation, "Brest ↔ COB", and the people around it: Claire coordinates it; Étienne
sits on its comité de suivi (body member); Paula looks after one of its projects (project
contact); Fanny funds it; Oscar observes it. Nadia has an account but no role in it
(outsider), Alix administers the platform (staff), and an anonymous visitor is the public.
"""

import pytest
from django.core.cache import cache, caches
from django.core.management import call_command
from django.utils import translation

from maillage.accounts.tests.factories import MembershipFactory, UserFactory
from maillage.cooperations.tests.factories import CooperationFactory
from maillage.core import figures
from maillage.core.enums import Role
from maillage.territories.tests import files


def fast_settings() -> dict:
    """What every test runs with: a fast password hasher, tasks run inline (unless a test asks
    for a real backend), plain static files."""
    from django.conf import settings

    return {
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        # A test's transaction never commits: cached figures would never go stale.
        "FIGURES_CACHE_SECONDS": 0,
        "VISITOR_PAGE_CACHE_SECONDS": 0,
        "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    }


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    for name, value in fast_settings().items():
        setattr(settings, name, value)
    cache.clear()  # login throttling counts live in the cache
    caches["chrome"].clear()  # the pages' rendered header and footer
    figures.forget_kept_here()  # the figures a process keeps beside the shared cache
    translation.activate(
        settings.LANGUAGE_CODE
    )  # a request in English must not leak into the next test
    yield
    cache.clear()


@pytest.fixture
def figures_cache(settings):
    """The cache of figures on, as with Redis in production (core.figures). The tests that use
    it commit their writes (transaction=True): a commit is what makes the figures stale."""
    settings.FIGURES_CACHE_SECONDS = 3600


@pytest.fixture
def cooperation(db):
    return CooperationFactory(title="Brest ↔ COB", slug="brest-cob")


def _member_fixture(role: Role, first_name: str, email: str):
    @pytest.fixture
    def member(cooperation):
        user = UserFactory(first_name=first_name, email=email)
        MembershipFactory(user=user, cooperation=cooperation, role=role)
        return user

    return member


claire = _member_fixture(Role.COORDINATOR, "Claire", "claire@exemple.test")
etienne = _member_fixture(Role.BODY_MEMBER, "Étienne", "etienne@exemple.test")
paula = _member_fixture(Role.PROJECT_CONTACT, "Paula", "paula@exemple.test")
fanny = _member_fixture(Role.FUNDER, "Fanny", "fanny@exemple.test")
oscar = _member_fixture(Role.OBSERVER, "Oscar", "oscar@exemple.test")


@pytest.fixture
def nadia(db):
    return UserFactory(first_name="Nadia", email="nadia@exemple.test")


@pytest.fixture
def alix(db):
    return UserFactory(first_name="Alix", email="alix@exemple.test", is_staff=True)


@pytest.fixture
def cast(claire, etienne, paula, fanny, oscar, nadia, alix):
    """Role name → user, for assert_permission_matrix."""
    return {
        "anonymous": None,
        "outsider": nadia,
        "observer": oscar,
        "funder": fanny,
        "project_contact": paula,
        "body_member": etienne,
        "coordinator": claire,
        "staff": alix,
    }


@pytest.fixture
def write(tmp_path):
    """Write a test file and return its path."""

    def write_file(name: str, content: str | bytes, encoding: str = "utf-8"):
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return str(path)

    return write_file


@pytest.fixture
def referential(db, write):
    """Regions, départements, communes, EPCI and populations of the small test files."""
    call_command("import_regions", write("v_region_2025.csv", files.REGIONS), verbosity=0)
    call_command("import_departements", write("v_departement_2025.csv", files.DEPARTEMENTS))
    call_command("import_communes", write("v_commune_2025.csv", files.COMMUNES))
    call_command(
        "import_epci", write("Intercommunalite_Metropole_au_01-01-2025.xlsx", files.epci_workbook())
    )
    call_command(
        "import_populations",
        write("populations.csv", files.POPULATIONS),
        "--code-column",
        "COM",
        "--population-column",
        "PMUN",
        "--year",
        "2022",
    )
