"""Server-side masking of personal data (个人信息保护法): phone numbers, ID numbers, e-mail."""


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    digits = value.strip()
    if len(digits) >= 7:
        return digits[:3] + "****" + digits[-4:]
    return "*" * len(digits)


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    v = value.strip()
    if len(v) <= 8:
        return "*" * len(v)
    return v[:4] + "*" * (len(v) - 8) + v[-4:]


def mask_email(value: str | None) -> str:
    if not value or "@" not in value:
        return value or ""
    name, domain = value.split("@", 1)
    return (name[:1] + "***@" + domain) if name else "***@" + domain


def mask_name(value: str | None) -> str:
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1)


# Showing personal data in clear ------------------------------------------------------------
#
# Personal data is masked by default everywhere. It is shown in clear only on an explicit
# request (``?unmask=1&reason=…``) by a user holding the model's "view personal data"
# permission and stating why (security.md PI-2: permission + reason + access log), and every
# such showing writes one ``view_personal`` change record naming the user, the object and the
# reason.

UNMASK_PARAM = "unmask"
REASON_PARAM = "reason"
MAX_REASON = 200


def asks_unmask(request) -> bool:
    """Whether the request explicitly asks for clear values (``?unmask=1``)."""
    return request.method in ("GET", "HEAD") and request.GET.get(UNMASK_PARAM) == "1"


def unmask_reason(request) -> str:
    """The stated reason for seeing personal data in clear (``?reason=``), trimmed."""
    return " ".join(request.GET.get(REASON_PARAM, "").split())[:MAX_REASON]


def reason_missing(request, permission: str) -> bool:
    """A permitted user asked for clear values without saying why (nothing is shown or
    written: the page asks for the reason, the API answers 400)."""
    return (asks_unmask(request) and request.user.has_perm(permission)
            and not unmask_reason(request))


def reveal_personal(request, obj, permission: str, *, message: str) -> bool:
    """Decide whether ``obj``'s personal data is shown in clear on this request.

    True only when the request asks for it (``?unmask=1`` on a GET) with a reason
    (``&reason=…``) and the user holds ``permission``; then one ``view_personal`` record is
    written for ``obj``, its message ending with the reason. Otherwise False, with nothing
    written (an unpermitted request is masked, not refused).
    """
    reason = unmask_reason(request)
    if not asks_unmask(request) or not reason or not request.user.has_perm(permission):
        return False
    from kechuang.audit import record
    from kechuang.audit.events import VIEW_PERSONAL

    record.write(VIEW_PERSONAL, obj, actor=request.user, after=False,
                 message=f"{message}；事由：{reason}")
    return True


def personal_values(obj, fields: dict[str, object], *, clear: bool) -> dict[str, str]:
    """``{key: value}`` for ``fields`` = ``{key: (attribute, mask function)}``: the attribute
    in clear when ``clear``, else masked."""
    out = {}
    for key, (attr, mask) in fields.items():
        value = getattr(obj, attr)
        out[key] = (value or "") if clear else mask(value)
    return out


def personal_context(request, obj, permission: str, fields: dict[str, object], *,
                     message: str) -> dict:
    """Template context of a detail page's personal data: ``personal`` (values masked unless
    ``reveal_personal`` allows and logs clear ones), ``unmasked`` and ``can_unmask`` (for
    ``core/_unmask_link.html``)."""
    clear = reveal_personal(request, obj, permission, message=message)
    return {"personal": personal_values(obj, fields, clear=clear), "unmasked": clear,
            "can_unmask": request.user.has_perm(permission),
            "unmask_reason_missing": reason_missing(request, permission),
            "max_reason": MAX_REASON}


# A contact person's name and phone (demands, achievements, carriers): ``personal_values``
# fields keyed by the attribute.
CONTACT_FIELDS = {
    "contact_name": ("contact_name", mask_name),
    "contact_phone": ("contact_phone", mask_phone),
}
