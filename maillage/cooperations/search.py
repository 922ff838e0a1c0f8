"""What the cooperations app puts in the search (core.search): cooperations, proposals and
documents (with the words inside their files), each read by the app's own rule."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from maillage.cooperations.models import Cooperation, Document, Proposal
from maillage.cooperations.selectors import contents_readable_q, documents_visible_to
from maillage.core.extraction import extract_text
from maillage.core.search import Indexed, SearchSource, register


def _visible_cooperations(user):
    return Cooperation.objects.visible_to(user).values("pk")


def _cooperation(cooperation: Cooperation) -> Indexed:
    return Indexed(
        title=" — ".join(filter(None, [cooperation.title, cooperation.short_name])),
        text="\n".join([cooperation.summary, cooperation.description]),
        cooperation_id=cooperation.pk,
        date=cooperation.start_date,
    )


def _proposal(proposal: Proposal) -> Indexed:
    return Indexed(
        title=proposal.title,
        text="\n".join([proposal.text, proposal.decision_reason]),
        cooperation_id=proposal.cooperation_id,
        date=proposal.created_at,
    )


def _readable_proposals(user):
    named = Q(created_by=user) if user.is_authenticated else None
    return Proposal.objects.filter(cooperation__in=_visible_cooperations(user)).filter(
        contents_readable_q(user, named)
    )


def _document(document: Document) -> Indexed:
    text = ""
    if document.file:
        with document.file.open("rb") as file:
            text = extract_text(file, document.file.name)
    return Indexed(
        title=document.title,
        text=text,
        cooperation_id=document.cooperation_id,
        date=document.created_at,
    )


register(
    SearchSource(
        key="cooperation",
        label=_("Coopérations"),
        model=Cooperation,
        describe=_cooperation,
        readable=Cooperation.objects.visible_to,
        rows=Cooperation.objects.all,
    )
)
register(
    SearchSource(
        key="proposal",
        label=_("Propositions"),
        model=Proposal,
        describe=_proposal,
        readable=_readable_proposals,
        rows=lambda: Proposal.objects.select_related("cooperation"),
    )
)
register(
    SearchSource(
        key="document",
        label=_("Documents"),
        model=Document,
        describe=_document,
        readable=documents_visible_to,
        rows=lambda: Document.objects.select_related("cooperation"),
        url=lambda document: reverse(
            "cooperations:document",
            kwargs={"slug": document.cooperation.slug, "pk": document.pk},
        ),
        deferred=True,
    )
)
