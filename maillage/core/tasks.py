"""Background tasks of the shared kernel, run by the task worker (django-tasks)."""

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django_tasks import task


@task()
def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    html_body: str = "",
    from_email: str | None = None,
    attachments: list[list[str]] | None = None,
) -> int:
    """`attachments`: text files as [filename, content, MIME type] (an invitation's .ics)."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to, from_email=from_email)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    return message.send()


def send_email_later(
    *,
    subject: str,
    body: str,
    to: list[str],
    html_body: str = "",
    from_email: str | None = None,
    attachments: list[list[str]] | None = None,
) -> None:
    """Queue an e-mail once the current transaction commits, so a rollback sends nothing."""
    transaction.on_commit(
        lambda: send_email.enqueue(
            subject=subject,
            body=body,
            to=to,
            html_body=html_body,
            from_email=from_email,
            attachments=attachments,
        )
    )


@task()
def index_for_search(*, source: str, ids: list[int]) -> int:
    """Index objects whose text takes time to read (the words inside files): core.search."""
    from maillage.core import search

    found = next((s for s in search.sources() if s.key == source), None)
    return search.reindex(found.model, ids) if found is not None else 0
