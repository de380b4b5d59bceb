from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.cache import patch_vary_headers


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, except that a 404 under /api/ stays a 404.

    Django retries a 404 with the language prefix, and Wagtail's catch-all page route matches
    /cs/api/…, so an unknown API id would turn into a redirect to a page URL.
    """

    def process_response(self, request, response):
        if request.path_info.startswith("/api/"):
            patch_vary_headers(response, ("Accept-Language",))
            return response
        return super().process_response(request, response)
