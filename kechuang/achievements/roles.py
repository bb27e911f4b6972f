"""Extra permissions this app grants to built-in roles (merged by ``sync_roles``)."""

ROLE_PERMISSIONS = {
    "staff": ["achievements.review_achievement"],
    "broker": ["achievements.view_achievement", "achievements.add_achievement",
               "achievements.change_achievement"],
    # experts and institutes (who sign in with the 专家 role) file their own achievements
    "expert": ["achievements.view_achievement", "achievements.add_achievement",
               "achievements.change_achievement"],
    "subdistrict": ["achievements.view_achievement", "achievements.export_achievement"],
}
