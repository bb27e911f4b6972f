"""Permissions the brokerage app grants to the built-in roles (merged by ``sync_roles``).

Staff, leaders and the bureau admin already hold ``brokerage.*`` through the business-app
defaults. Rows stay limited by each role's data scope (broker: own portfolio and cases;
sub-district: territory; enterprise: its own cases; expert: requests addressed to them).
"""

ROLE_PERMISSIONS = {
    "broker": [
        "brokerage.view_broker",
        "brokerage.view_portfolioassignment", "brokerage.export_portfolioassignment",
        "brokerage.view_visit", "brokerage.add_visit", "brokerage.change_visit",
        "brokerage.export_visit",
        "brokerage.view_case", "brokerage.add_case", "brokerage.change_case",
        "brokerage.export_case",
        "brokerage.view_casecandidate", "brokerage.add_casecandidate",
        "brokerage.change_casecandidate",
        "brokerage.view_caseactivity", "brokerage.add_caseactivity",
        "brokerage.view_casereminder", "brokerage.change_casereminder",
        "brokerage.view_techcontract", "brokerage.add_techcontract",
        "brokerage.export_techcontract",
        "brokerage.view_overseasservice", "brokerage.add_overseasservice",
        "brokerage.export_overseasservice",
        "brokerage.view_introduction", "brokerage.add_introduction",
        "brokerage.view_taskitem", "brokerage.change_taskitem",
        "brokerage.view_event", "brokerage.view_eventregistration",
        "brokerage.add_eventregistration", "brokerage.view_meetingrequest",
        "brokerage.add_meetingrequest", "brokerage.change_meetingrequest",
        "brokerage.view_eventfollowup", "brokerage.change_eventfollowup",
        "demands.view_techdemand",
        "achievements.view_achievement", "experts.view_expert",
    ],
    "subdistrict": [
        "brokerage.view_*", "brokerage.add_*", "brokerage.change_*", "brokerage.export_*",
        "brokerage.import_*",
    ],
    "enterprise": [
        "brokerage.view_case", "brokerage.view_casecandidate",
        "brokerage.change_casecandidate", "brokerage.view_caseactivity",
        "brokerage.view_techcontract",
        "brokerage.view_event", "brokerage.view_eventregistration",
        "brokerage.add_eventregistration", "brokerage.view_meetingrequest",
        "brokerage.add_meetingrequest", "brokerage.change_meetingrequest",
    ],
    "expert": [
        "brokerage.view_casecandidate", "brokerage.change_casecandidate",
        "brokerage.view_event", "brokerage.view_eventregistration",
        "brokerage.add_eventregistration", "brokerage.view_meetingrequest",
        "brokerage.add_meetingrequest", "brokerage.change_meetingrequest",
    ],
}
