"""Domain errors: each carries a message a person can act on."""


class DomainError(Exception):
    """A rule of the domain refused the operation; `str(error)` says why and what to do.

    `field` names the input at fault when there is one, so forms and the API can point at it.
    """

    def __init__(self, message: str = "", *, field: str | None = None):
        super().__init__(message)
        self.field = field


class ConflictError(DomainError):
    """The record changed since it was read: reload and try again."""


class NotAllowed(DomainError):
    """The actor's organisation or role may not do this."""


class ReasonedRefusal(DomainError):
    """A refusal for several reasons, each a line its reader may read (the guard's refusal).

    Pages list `lines`; the API answers the problem type `problem_slug` with the members
    `problem_members()` gives, so neither needs to know the rule that refused.
    """

    problem_slug = "rule-refused"  # a problem type the API lists (api.problems)

    @property
    def lines(self) -> list[str]:
        return [str(self)]

    def problem_members(self) -> dict:
        return {}
