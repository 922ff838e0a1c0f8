import pytest
from django.core.management import call_command

from maillage.accounts.enums import Role
from maillage.accounts.models import Membership, User
from maillage.cooperations.models import Cooperation

pytestmark = pytest.mark.django_db


def test_the_demo_holds_the_seed_cooperations_and_one_account_per_role(capsys, settings):
    call_command("load_demo")

    out = capsys.readouterr().out
    assert settings.DEMO_PASSWORD in out
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.filter(is_staff=True).count() == 1
    assert set(Cooperation.objects.values_list("slug", flat=True)) == {
        "brest-cob",
        "cambresis",
        "arc-jurassien",
        "pays-bassin-briey",
        "briey-st2b",
        "belledonne-grenoble",
    }
    brest = Cooperation.objects.get(slug="brest-cob")
    assert "207 000 habitants" in brest.summary and "4 novembre 2016" in brest.summary
    assert "280 projets" in Cooperation.objects.get(slug="cambresis").summary


def test_loading_twice_changes_nothing(capsys):
    call_command("load_demo")
    call_command("load_demo")
    assert "already loaded" in capsys.readouterr().out
    assert Cooperation.objects.count() == 6


def test_demo_accounts_can_log_in(client, settings):
    call_command("load_demo")
    client.post(
        "/compte/login/",
        {"login": "coordination@maillage.test", "password": settings.DEMO_PASSWORD},
    )
    assert client.session.get("_auth_user_id")
