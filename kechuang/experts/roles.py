"""Extra permissions this app grants to built-in roles (merged by ``sync_roles``)."""

ROLE_PERMISSIONS = {
    "staff": ["experts.view_personal_data"],
    "broker": ["experts.view_expert"],
    "expert": ["experts.view_expert", "experts.change_expert"],
    "enterprise": [],
}
