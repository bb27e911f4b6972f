"""Extra permissions for built-in roles: sub-district staff see their own territory's figures."""

ROLE_PERMISSIONS = {
    "subdistrict": ["indicators.view_monthlyenterprisestat",
                    "indicators.export_monthlyenterprisestat"],
}
