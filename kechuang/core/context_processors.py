from .navigation import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"nav_menu": lambda: menu_for(user)}
