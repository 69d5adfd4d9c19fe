"""One way to cut a list page into pages."""

from django.core.paginator import Page, Paginator

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE) -> Page:
    """The requested page; a bad or too large page number shows the nearest valid one."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
