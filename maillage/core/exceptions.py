class Conflict(Exception):
    """The request is valid but clashes with the current state (HTTP 409)."""
