from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page's <link rel="icon"> says."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
