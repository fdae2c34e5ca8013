"""racetiming: multi-tenant race-timing data, embedded.

    import racetiming
    engine = racetiming.Engine("sqlite:racetiming.db")
    engine.import_csv(1, "results.csv")
    answer = engine.ask(1, "How many runners finished the Boston Marathon under 3 hours?")
    print(answer["summary"], answer["rows"])

Every call that reaches the database releases the GIL, so threads sharing one Engine run at once.
Failures raise racetiming.Error (or a subclass) carrying the library's stable ``code``; a question
the engine does not fully understand raises racetiming.Refused with suggestions.
"""

from typing import Dict, List, Optional, Type


class Error(Exception):
    """A failure of the library: ``code`` is stable across releases (e.g. "not_found"),
    ``parameter`` names the offending argument, column or field when there is one."""

    code = "internal"

    def __init__(self, message: str, parameter: Optional[str] = None):
        super().__init__(message)
        self.message = message
        self.parameter = parameter or None


# One class per stable code, so that callers can catch the kind they handle.
class InvalidParameter(Error): code = "invalid_parameter"  # noqa: E701
class InvalidInput(Error): code = "invalid_input"  # noqa: E701  (a CSV failed validation; nothing was imported)
class Unauthenticated(Error): code = "unauthenticated"  # noqa: E701
class Forbidden(Error): code = "forbidden"  # noqa: E701
class TenantMismatch(Error): code = "tenant_mismatch"  # noqa: E701
class NotFound(Error): code = "not_found"  # noqa: E701
class Conflict(Error): code = "conflict"  # noqa: E701
class PayloadTooLarge(Error): code = "payload_too_large"  # noqa: E701
class RateLimited(Error): code = "rate_limited"  # noqa: E701
class Unavailable(Error): code = "unavailable"  # noqa: E701  (the database cannot be reached, or stayed busy)


class Refused(Error):
    """A question the engine will not answer because it does not fully understand it."""

    code = "nl_unsupported"

    def __init__(self, message: str, suggestions: List[str], unknown_words: List[str]):
        super().__init__(message)
        self.suggestions = list(suggestions)
        self.unknown_words = list(unknown_words)


_BY_CODE: Dict[str, Type[Error]] = {
    c.code: c
    for c in (InvalidParameter, InvalidInput, Unauthenticated, Forbidden, TenantMismatch, NotFound, Conflict,
              PayloadTooLarge, RateLimited, Unavailable, Error)
}


def _error(code: str, message: str, parameter: str) -> Error:
    """The exception for a library error (called by the compiled module)."""
    cls = _BY_CODE.get(code)
    if cls is None:
        err = Error(message, parameter)
        err.code = code
        return err
    return cls(message, parameter)


from ._racetiming import Engine, format_duration, permissions  # noqa: E402

__all__ = ["Engine", "Error", "InvalidParameter", "InvalidInput", "Unauthenticated", "Forbidden", "TenantMismatch",
           "NotFound", "Conflict", "PayloadTooLarge", "RateLimited", "Unavailable", "Refused", "format_duration",
           "permissions"]
