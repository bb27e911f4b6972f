"""Sub-district staff see the dashboard for their own territory."""

ROLE_PERMISSIONS = {
    "subdistrict": ["reports.view_dashboard"],
}
