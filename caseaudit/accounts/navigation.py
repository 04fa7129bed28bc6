"""The service navigation, by role. Later apps add their entries here."""

from django.urls import reverse

from caseaudit.accounts.roles import Permission


def navigation_for(request, membership) -> list[dict]:
    if membership is None:
        return []
    items = [("Home", "home", None)]
    items += [
        ("Programme", "programme", Permission.VIEW_PROGRAMME),
        ("Your returns", "my_returns", Permission.COMPLETE_RETURNS),
        ("Trends", "trends", Permission.VIEW_RESULTS),
        ("Themes", "theme_list", Permission.MANAGE_RESULTS),
        ("Cases of Concern", "concern_register", Permission.VIEW_CONCERN_FIGURES),
        ("Actions", "action_tracker", Permission.VIEW_ACTION_TRACKER),
        ("Your actions", "my_actions", Permission.OWN_ACTIONS),
        ("Population", "population", Permission.MANAGE_POPULATION),
        ("Templates", "template_list", Permission.MANAGE_TEMPLATES),
        ("People", "people", Permission.MANAGE_PEOPLE),
        ("Agencies", "agencies", Permission.MANAGE_AGENCIES),
        ("Access log", "access_log", Permission.VIEW_ACCESS_LOG),
        ("Settings", "partnership_settings", Permission.MANAGE_SETTINGS),
    ]
    entries = []
    for label, name, permission in items:
        if permission is None or membership.can(permission):
            url = reverse(name)
            current = request.path == url or (url != "/" and request.path.startswith(url))
            entries.append({"label": label, "url": url, "current": current})
    return entries
