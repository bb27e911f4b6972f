"""Registry permissions beyond the built-in role definitions: enterprise users and brokers
read their enterprises' awards and standards (the 科小 direct grounds shown to them)."""

ROLE_PERMISSIONS = {
    "enterprise": ["enterprises.view_award", "enterprises.view_standard"],
    "broker": ["enterprises.view_award", "enterprises.view_standard"],
}
