"""Domain errors raised by services, carrying field attribution in Chinese."""

from django.core.exceptions import PermissionDenied, ValidationError


class OutOfScope(PermissionDenied):
    """The actor may not write a record into that region or about that object."""


def raise_if(errors: dict[str, str | list[str]]) -> None:
    """Raise a field-attributed ``ValidationError`` when ``errors`` is not empty."""
    if errors:
        raise ValidationError({k: v if isinstance(v, list) else [v] for k, v in errors.items()})


def first_messages(exc: ValidationError) -> dict[str, str]:
    """``{field: first message}`` from a ValidationError (``__all__`` for non-field errors)."""
    if hasattr(exc, "error_dict"):
        return {k: str(v[0].message % (v[0].params or {})) if v[0].params else str(v[0].message)
                for k, v in exc.error_dict.items()}
    return {"__all__": "；".join(exc.messages)}
