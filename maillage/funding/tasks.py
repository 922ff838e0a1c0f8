"""The funding app's background work: the receipt of an application, e-mailed with its PDF
(rendering it is too slow for the request that submits the application)."""

from django.core.mail import EmailMultiAlternatives
from django.utils import translation
from django_tasks import task

from maillage.funding import documents
from maillage.funding.models import Application
from maillage.reports.render import render_pdf


@task()
def mail_receipt(
    *, application_id: int, subject: str, body: str, to: list[str], language: str
) -> int:
    application = Application.objects.select_related("call__fund__managing_body", "applicant").get(
        pk=application_id
    )
    with translation.override(language):
        title, blocks = documents.receipt_blocks(application)
        pdf = render_pdf(title, blocks, {})
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    message.attach(f"{documents.receipt_stem(application)}.pdf", pdf, "application/pdf")
    return message.send()
