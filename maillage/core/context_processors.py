"""What every page's template reads."""

from django.conf import settings


def chrome(request) -> dict:
    """How long each process keeps the rendered parts of the page around the content (base.html:
    the design system's assets, the header's brand, the menu, the footer); 0 in the tests."""
    return {"chrome_seconds": settings.CHROME_CACHE_SECONDS}
