"""What the portal puts in the search (its news and resources), and what the search page and
endpoint read: the reader's question checked once (core.search finds; this says what a
question may be and names the cooperations of the facets)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.cooperations.models import Cooperation
from maillage.core import search
from maillage.core.extraction import extract_text
from maillage.core.search import Indexed, SearchSource
from maillage.portal.models import News, Resource
from maillage.portal.selectors import readable_news, resources_visible_to

PAGE_SIZE = 20
MAX_OFFSET = 10_000  # beyond, refine the question


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Rechercher"),
        required=False,
        max_length=search.MAX_QUERY_LENGTH,
        help_text=_("Accents et majuscules indifférents ; tous les mots sont cherchés."),
    )
    type = forms.ChoiceField(label=_("Type"), required=False)
    cooperation = forms.IntegerField(label=_("Coopération"), required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        type_field = self.fields["type"]
        assert isinstance(type_field, forms.ChoiceField)  # noqa: S101 - for the type checker
        type_field.choices = [("", _("Tout")), *source_choices()]


def source_choices() -> list[tuple[str, str]]:
    return [(source.key, str(source.label)) for source in search.sources()]


def named_cooperations(counts: list[tuple[int, int]]) -> list[tuple[Cooperation, int]]:
    """The cooperations of the results' facet, named: only entries the reader may read are
    counted, and those belong to cooperations the reader may see."""
    named = Cooperation.objects.only("pk", "title", "short_name", "slug").in_bulk(
        [pk for pk, _count in counts]
    )
    return [(named[pk], count) for pk, count in counts if pk in named]


def _news(news: News) -> Indexed:
    return Indexed(
        title=news.title,
        text="\n".join([news.summary, news.body]),
        cooperation_id=news.cooperation_id,
        date=news.published_at or news.created_at,
    )


search.register(
    SearchSource(
        key="news",
        label=_("Actualités"),
        model=News,
        describe=_news,
        readable=readable_news,
        rows=lambda: News.objects.all(),
    )
)


def _resource(resource: Resource) -> Indexed:
    text = [resource.description, resource.themes]
    if resource.file:
        with resource.file.open("rb") as file:
            text.append(extract_text(file, resource.file.name))
    return Indexed(
        title=resource.title,
        text="\n".join(text),
        cooperation_id=resource.cooperation_id,
        date=resource.date,
    )


search.register(
    SearchSource(
        key="resource",
        label=_("Ressources"),
        model=Resource,
        describe=_resource,
        readable=resources_visible_to,
        rows=lambda: Resource.objects.all(),
        deferred=True,
    )
)
