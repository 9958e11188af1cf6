from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

from .errors import too_large_page
from .inputs import declared_length, too_large


class KoreanFirstLocaleMiddleware:
    """Korean unless the user picked another language in the language menu.

    Django's LocaleMiddleware follows the browser's Accept-Language, so an
    office PC with an English browser would get an English interface. The
    minutes are Korean documents: Korean is the default, and the choice made
    in the menu (stored by Django's set_language view in a cookie) wins.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response


class NoStoreByDefaultMiddleware:
    """``Cache-Control: private, no-store`` on every response that sets no caching of its own.

    Minutes, drafts, task lists and even the login and verification pages show
    real names, and office PCs are shared: nothing is kept in the browser's
    cache or a proxy's. Static files never come here (WhiteNoise answers them
    first, cacheable). The one view that chooses its own caching is the PDF
    download (meetings.downloads): it keeps files with real names out of the
    cache too, and lets a browser keep the public one and revalidate it by ETag.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class RequestSizeLimitMiddleware:
    """413 for a body declared larger than settings.MAX_REQUEST_BYTES, before anything reads it.

    Django limits form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams file
    uploads of any size to disk, and the CSRF check reads a posted form before
    any view could refuse it. The largest thing anyone posts is a PDF to the
    verification page (20 MB); the limit sits just above that.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.MAX_REQUEST_BYTES
        if declared_length(request) > limit:
            return too_large_response(request, limit)
        return self.get_response(request)


def too_large_response(request, limit):
    """The editor's scripts send JSON and read an ``errors`` list; forms get the page."""
    if request.content_type == "application/json":
        return JsonResponse({"errors": [{"message": str(too_large(limit))}]}, status=413)
    return too_large_page(request, limit)
