import pytest
from django.core import mail
from django.urls import reverse

from maillage.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def log_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_a_person_logs_in_with_their_email(client, claire):
    response = log_in(client, "Claire@Exemple.test", PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("portal:home")
    assert client.get(reverse("accounts:profile")).context["user"] == claire


def test_a_wrong_password_is_refused_with_a_message(client, claire):
    response = log_in(client, claire.email, "pas-le-bon")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "L’adresse e-mail ou le mot de passe sont incorrects."
    ]
    assert "_auth_user_id" not in client.session


def test_failed_logins_are_throttled_even_with_the_right_password_afterwards(client, claire):
    for _attempt in range(5):
        log_in(client, claire.email, "pas-le-bon")

    response = log_in(client, claire.email, PASSWORD)

    assert response.context["form"].non_field_errors() == [
        "Trop de tentatives de connexion échouées. Veuillez réessayer ultérieurement."
    ]
    assert "_auth_user_id" not in client.session


def test_a_few_failures_do_not_lock_the_account(client, claire):
    for _attempt in range(4):
        log_in(client, claire.email, "pas-le-bon")
    log_in(client, claire.email, PASSWORD)
    assert client.session["_auth_user_id"] == str(claire.pk)


def test_an_unverified_address_cannot_log_in_until_confirmed(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {"email": "nouvelle@exemple.test", "password1": PASSWORD, "password2": PASSWORD},
        )
    assert "_auth_user_id" not in client.session
    [message] = mail.outbox  # sent through the task queue (inline in tests)
    assert message.to == ["nouvelle@exemple.test"]


def test_password_reset_mail_goes_through_the_task_queue(
    client, claire, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("account_reset_password"), {"email": claire.email})
    assert not mail.outbox  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()

    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [claire.email]
    assert "/compte/password/reset/key/" in message.body


def test_password_change_needs_the_old_password(client, claire):
    client.force_login(claire)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "faux",
            "password1": "nouveau-mot-de-passe-9",
            "password2": "nouveau-mot-de-passe-9",
        },
    )
    assert response.status_code == 200
    claire.refresh_from_db()
    assert claire.check_password(PASSWORD)


def test_logout_asks_for_confirmation_then_logs_out(client, claire):
    client.force_login(claire)
    assert client.get(reverse("account_logout")).status_code == 200
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_login_page_is_rendered_with_the_design_system(client):
    html = client.get(reverse("account_login")).content.decode()
    assert 'class="fr-input' in html
    assert 'class="fr-header"' in html
    assert "<label" in html


def test_an_inactive_account_cannot_log_in(client):
    user = UserFactory(is_active=False)
    log_in(client, user.email, PASSWORD)
    assert "_auth_user_id" not in client.session


def test_a_new_password_revokes_the_api_tokens(client, claire):
    from maillage.accounts.services import api_token_create

    _token, raw = api_token_create(actor=None, user=claire, name="outil")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/accounts/me", **bearer).status_code == 200
    client.force_login(claire)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "nouveau-mot-de-passe-9",
            "password2": "nouveau-mot-de-passe-9",
        },
    )
    assert response.status_code == 302
    client.logout()
    assert client.get("/api/v1/accounts/me", **bearer).status_code == 401
