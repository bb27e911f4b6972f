"""Brokers and enterprises see and answer suggestions; staff also rebuild the index."""

ROLE_PERMISSIONS = {
    "broker": ["matching.view_matchsuggestion", "matching.respond_matchsuggestion",
               "matching.view_matchresponse"],
    "enterprise": ["matching.view_matchsuggestion", "matching.respond_matchsuggestion"],
    "staff": ["matching.respond_matchsuggestion"],
}
