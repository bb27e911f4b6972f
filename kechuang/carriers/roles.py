ROLE_PERMISSIONS = {
    "subdistrict": ["carriers.view_carrier", "carriers.export_carrier"],
    "expert": ["carriers.view_carrier", "carriers.change_carrier"],
}
