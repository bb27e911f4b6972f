"""Extra permissions this app grants to built-in roles (merged by ``sync_roles``)."""

ROLE_PERMISSIONS = {
    "broker": ["demands.view_techdemand", "demands.add_techdemand",
               "demands.change_techdemand"],
    "enterprise": ["demands.view_techdemand", "demands.add_techdemand",
                   "demands.change_techdemand"],
    "subdistrict": ["demands.view_techdemand", "demands.export_techdemand"],
}
ROLE_PERMISSIONS["staff"] = ["demands.review_techdemand"]
