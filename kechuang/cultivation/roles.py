"""Cultivation permissions for the built-in roles (staff already get view/add/change/export)."""

ROLE_PERMISSIONS = {
    "staff": ["cultivation.run_assessment"],
    "leader": ["cultivation.run_assessment"],
    "broker": [
        "cultivation.run_assessment", "cultivation.view_zerordcampaign",
        "cultivation.view_campaignentry", "cultivation.change_campaignentry",
        "cultivation.view_intervention", "cultivation.add_intervention",
    ],
    "enterprise": ["cultivation.run_assessment", "cultivation.view_subsidyentitlement"],
    "subdistrict": [
        "cultivation.run_assessment", "cultivation.view_*", "cultivation.export_*",
        "cultivation.change_campaignentry", "cultivation.add_intervention",
    ],
}
