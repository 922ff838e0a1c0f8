from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def figure(value: float | None, unit: str = "") -> str:
    """A statistic as the page writes it: counts whole and grouped, the rest to one decimal;
    "—" when there is none."""
    if value is None:
        return "—"
    if unit not in ("%", "hab./km²", "‰") and abs(value) >= 100:
        return floatformat(value, "0g")
    return floatformat(value, "1g")


@register.filter
def percent(value: float | None) -> str:
    """A share (0.42) as a percentage ("42,0 %")."""
    if value is None:
        return "—"
    return f"{floatformat(value * 100, '1g')} %"
