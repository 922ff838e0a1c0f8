"""Logging filters (settings.LOGGING)."""

import logging


class RefusalsWithoutTraceback(logging.Filter):
    """A refusal (403) or a page not found (404) is a line in the log, not a traceback: Django
    logs them with the exception that caused them, which buried real errors under refusals
    working as intended."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in (403, 404):
            record.exc_info = None
            record.exc_text = None
        return True
