def username_from_attempt(request, credentials) -> str | None:
    """Axes locks by account. allauth authenticates with `email=`; its form posts `login`."""
    if credentials:
        value = credentials.get("email") or credentials.get("username")
        if value:
            return value.strip().lower()
    if request is not None and request.method == "POST":
        value = request.POST.get("login") or request.POST.get("email")
        if value:
            return value.strip().lower()
    return None
