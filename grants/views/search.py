"""The secretariat's search page (``/search/?q=``), reachable from the header of every page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from grants.selectors.search import PER_KIND, can_search, search_for


@login_required
@require_GET
def search(request):
    if not can_search(request.user):
        raise Http404
    results = search_for(request.user, request.GET.get("q", ""), limit=PER_KIND)
    return render(request, "grants/search.html", {"results": results, "per_kind": PER_KIND})
