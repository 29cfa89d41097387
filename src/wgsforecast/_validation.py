"""Pydantic's validation errors flattened into the problems our error messages name.

Every reader that validates a model (a vintage's JSON file, a scenario's changed group, the
report's manifest) says what is wrong in its own words, but all start from the same facts:
where in the input (a dotted key), what pydantic found, and the value given.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError


@dataclass(frozen=True)
class FieldProblem:
    """One problem pydantic found.

    Attributes
    ----------
    location
        The keys leading to the value, outermost first (empty: the input as a whole).
    message
        Pydantic's message, e.g. ``Input should be greater than 0``.
    kind
        Pydantic's error type, e.g. ``missing`` or ``extra_forbidden``.
    value
        The value given (for a missing key: the object it is missing from).
    """

    location: tuple[str, ...]
    message: str
    kind: str
    value: object

    @property
    def where(self) -> str:
        """The dotted key, e.g. ``groups.lever.cap_share`` (``""``: the input as a whole)."""
        return ".".join(self.location)

    @property
    def missing(self) -> bool:
        """True when a required key is absent."""
        return self.kind == "missing"


def field_problems(error: ValidationError) -> list[FieldProblem]:
    """Each problem of a pydantic :class:`~pydantic.ValidationError`, in pydantic's order.

    Examples
    --------
    >>> from pydantic import BaseModel, PositiveInt
    >>> class Target(BaseModel):
    ...     ge: PositiveInt
    >>> try:
    ...     Target.model_validate({"ge": 0})
    ... except ValidationError as error:
    ...     [(p.where, p.message, p.value) for p in field_problems(error)]
    [('ge', 'Input should be greater than 0', 0)]
    """
    return [
        FieldProblem(
            location=tuple(str(part) for part in item["loc"]),
            message=str(item["msg"]),
            kind=str(item["type"]),
            value=item.get("input"),
        )
        for item in error.errors(include_url=False)
    ]
