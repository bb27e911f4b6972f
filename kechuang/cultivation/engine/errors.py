"""Input errors carrying the offending field path and a Chinese message."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldError:
    """One invalid input field, e.g. ``FieldError("years.2023.st_staff", "…")``."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}：{self.message}"


class InputError(ValueError):
    """The case cannot be assessed as given. ``errors`` lists every offending field."""

    def __init__(self, errors: list[FieldError] | FieldError):
        self.errors: list[FieldError] = errors if isinstance(errors, list) else [errors]
        super().__init__("；".join(str(e) for e in self.errors))

    @classmethod
    def single(cls, field: str, message: str) -> InputError:
        return cls(FieldError(field, message))

    @property
    def message(self) -> str:
        return str(self)
