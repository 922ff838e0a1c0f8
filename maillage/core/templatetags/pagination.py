"""Pagination links in the design system's markup, keeping the other query parameters (the
filters of a list). The links that lead nowhere — first and previous on the first page, next
and last on the last — are marked disabled, as the design system asks."""

from django import template
from django.core.paginator import Page, Paginator

register = template.Library()


@register.inclusion_tag("core/includes/pagination.html", takes_context=True)
def pagination(context, page: Page) -> dict:
    query = context["request"].GET.copy()

    def link(number: int) -> str:
        query["page"] = str(number)
        return "?" + query.urlencode()

    last = page.paginator.num_pages
    return {
        "page": page,
        "first": link(1) if page.has_previous() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "last": link(last) if page.has_next() else None,
        "numbers": [
            (number, None if number == Paginator.ELLIPSIS else link(int(number)))
            for number in page.paginator.get_elided_page_range(page.number, on_ends=1)
        ],
    }
