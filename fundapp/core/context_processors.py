from fundapp.accounts.roles import Role, roles_of


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    roles = roles_of(user)
    return {
        "nav_roles": roles,
        "is_secretariat": Role.SECRETARIAT in roles,
        "is_ngo": Role.NGO in roles,
        "is_reviewer": Role.REVIEWER in roles,
        "is_board": Role.BOARD in roles,
        "is_donor": Role.DONOR in roles,
    }
