"""A call's own questions (text, number, choice, file): required ones keep a dossier from being
submitted until answered; answers are checked against their kind, through the pages and the API,
and nothing is half-written."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from maillage.core.exceptions import Conflict
from maillage.funding import services
from maillage.funding.enums import ApplicationStatus

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def questions(call):
    return [
        services.question_add(actor=None, call=call, label="Public visé", kind="text"),
        services.question_add(actor=None, call=call, label="Participants attendus", kind="number"),
        services.question_add(
            actor=None, call=call, label="Saison", kind="choice", choices="Été\nHiver"
        ),
        services.question_add(actor=None, call=call, label="Devis", kind="file"),
        services.question_add(
            actor=None, call=call, label="Remarques", kind="text", required=False
        ),
    ]


def test_required_questions_keep_the_dossier_until_answered(application, questions, nadia):
    text, number, choice, file, _optional = questions
    with pytest.raises(ValidationError) as refused:
        services.application_submit(actor=nadia, application=application)
    assert len(refused.value.message_dict["answers"]) == 4
    services.answers_save(
        actor=nadia,
        application=application,
        answers={
            text: "Les familles",
            number: "120",
            choice: "Été",
            file: SimpleUploadedFile("devis.pdf", b"%PDF-1.4 devis"),
        },
    )
    services.application_submit(actor=nadia, application=application)
    assert application.status == ApplicationStatus.SUBMITTED


def test_answers_are_checked_and_nothing_half_written(application, questions, nadia):
    text, number, choice, file, _optional = questions
    for bad in ({number: "beaucoup"}, {choice: "Printemps"}, {number: "1e15"}):
        with pytest.raises(ValidationError):
            services.answers_save(
                actor=nadia, application=application, answers={text: "Familles", **bad}
            )
    assert not application.answers.exists()
    with pytest.raises(ValidationError):
        services.answers_save(
            actor=nadia,
            application=application,
            answers={file: SimpleUploadedFile("script.exe", b"MZ")},
        )
    services.answers_save(actor=nadia, application=application, answers={text: "Familles"})
    services.answers_save(actor=nadia, application=application, answers={text: ""})
    assert not application.answers.exists()  # an empty answer clears it


def test_only_the_applicant_answers_and_only_while_the_dossier_is_theirs(
    application, questions, nadia, claire
):
    with pytest.raises(PermissionDenied):
        services.answers_save(actor=claire, application=application, answers={questions[0]: "x"})
    with pytest.raises(PermissionDenied):
        services.question_add(actor=nadia, call=application.call, label="?", kind="text")
    with pytest.raises(ValidationError):
        services.question_add(actor=claire, call=application.call, label="?", kind="choice")
    services.answers_save(actor=nadia, application=application, answers={questions[0]: "x"})
    with pytest.raises(Conflict):
        services.question_delete(actor=claire, question=questions[0])
    services.question_delete(actor=claire, question=questions[4])


def test_the_pages_and_the_api_take_the_answers(application, questions, nadia, claire):
    text, number, choice, file, _optional = questions
    client = _client(nadia)
    response = client.post(
        reverse("funding:answers", args=[application.pk]),
        {
            f"question_{text.pk}": "Les familles",
            f"question_{number.pk}": "120",
            f"question_{choice.pk}": "Hiver",
            f"question_{file.pk}": SimpleUploadedFile("devis.pdf", b"%PDF-1.4 devis"),
        },
    )
    assert response.status_code == 302, response.content.decode()
    api = client.get(f"/api/v1/applications/{application.pk}/answers").json()
    assert {row["question_id"]: row["value"] for row in api} == {
        text.pk: "Les familles",
        number.pk: "120",
        choice.pk: "Hiver",
        file.pk: application.answers.get(question=file).shown,
    }
    file_url = next(row["file_url"] for row in api if row["question_id"] == file.pk)
    assert _client(claire).get(file_url).status_code == 200  # the fund's staff read it
    assert Client().get(file_url).status_code == 404
    refused = client.put(
        f"/api/v1/applications/{application.pk}/answers",
        {"answers": {str(number.pk): "beaucoup", str(text.pk): "Autre"}},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert application.answers.get(question=text).text == "Les familles"
    other_call = client.put(
        f"/api/v1/applications/{application.pk}/answers",
        {"answers": {"999999": "x"}},
        content_type="application/json",
    )
    assert other_call.status_code == 400
    uploaded = client.post(
        f"/api/v1/applications/{application.pk}/answers/{file.pk}/file",
        {"file": SimpleUploadedFile("devis2.pdf", b"%PDF-1.4 devis 2")},
    )
    assert uploaded.status_code == 200, uploaded.json()
    assert "devis2" in application.answers.get(question=file).file.name
    page = _client(claire).get(application.get_absolute_url()).content.decode()
    assert "Les familles" in page and "Hiver" in page
    call_page = Client().get(application.call.get_absolute_url()).content.decode()
    assert "Participants attendus" in call_page
