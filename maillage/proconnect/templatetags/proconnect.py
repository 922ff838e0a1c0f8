from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("proconnect/button.html", takes_context=True)
def proconnect_button(context) -> dict:
    """The ProConnect button of the sign-in page, when ProConnect is on."""
    request = context.get("request")
    return {
        "enabled": settings.PROCONNECT_ENABLED,
        "next": request.GET.get("next", "") if request is not None else "",
    }
