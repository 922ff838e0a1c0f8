from allauth.account.adapter import DefaultAccountAdapter

from maillage.core.tasks import send_email_later


class AccountAdapter(DefaultAccountAdapter):
    """Account e-mails (verification, password reset) leave through the task queue."""

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        message = self.render_mail(template_prefix, email, context)
        html_body = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
        send_email_later(
            subject=str(message.subject),
            body=str(message.body),
            to=list(message.to),
            html_body=str(html_body),
            from_email=message.from_email,
        )
