class NoStoreMiddleware:
    """Pages can hold details about children: no browser or proxy may keep a copy.
    Static files are served before this by WhiteNoise and keep their own caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated or "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response
