"""E-mail address check shared by importers, validation rules and forms (Django's
``EmailValidator``)."""

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

EMAIL_MESSAGE = "电子邮箱格式不正确，应如name@example.com"
_validate = EmailValidator()


def is_email(value: str) -> bool:
    try:
        _validate(value)
    except ValidationError:
        return False
    return True


def email_error(value: str | None) -> str | None:
    """``EMAIL_MESSAGE`` when ``value`` is given and is not a valid address, else None."""
    value = (value or "").strip()
    if value and not is_email(value):
        return EMAIL_MESSAGE
    return None
