"""Domain errors raised by services; views turn them into form errors or messages."""

from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """A request that is understood but not allowed in the current state (translated message)."""


class StaleEdit(DomainError):
    """Someone else changed the object after the form was loaded."""


class AlreadyDone(DomainError):
    """The act was done already: by the same person's second click, or by someone else since
    the page was shown. Said as news, not as an error, and nothing changes."""
