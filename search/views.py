import logging

from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from search.site_search import SERVER_FAILURES, SiteSearch, page_sections, page_text

logger = logging.getLogger(__name__)

RESULTS_PER_PAGE = 10


def paginate(request, results, parameter):
    """The page of ``results`` named by GET ``parameter`` (bad values give the first or
    last page), with links to its neighbours that keep the rest of the query string."""
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get(parameter))

    def link(number):
        query = request.GET.copy()
        query[parameter] = number
        return f"?{query.urlencode()}"

    return {
        "page": page,
        "previous": link(page.previous_page_number()) if page.has_previous() else "",
        "next": link(page.next_page_number()) if page.has_next() else "",
    }


def search(request):
    """Site search: pages of the current language and documents, each paginated.
    When the search server fails, the database answers."""
    site_search = SiteSearch.for_query(request.GET.get("q", ""))
    try:
        context = search_context(request, site_search)
    except SERVER_FAILURES:
        logger.warning("Site search answered from the database: the search server failed.", exc_info=True)
        context = search_context(request, site_search.on_database())
    return TemplateResponse(request, "search/search.html", context)


def search_context(request, site_search):
    page_links = paginate(request, site_search.pages(), "page")
    document_links = paginate(request, site_search.documents(), "docs_page")
    pages, documents = page_links["page"], document_links["page"]
    promoted = site_search.promoted_pages if pages.number == 1 else []

    page_results = [*promoted, *pages]
    sections = page_sections(page_results)
    results = [
        {
            "page": page,
            "promoted": page in promoted,
            "section": sections.get(page.pk),
            "snippet": site_search.snippet(page_text(page)),
        }
        for page in page_results
    ]
    document_results = [
        {"document": document, "snippet": site_search.snippet(getattr(document, "description", ""))}
        for document in documents
    ]
    return {
        "query": site_search.text,
        "searched": bool(site_search.words),
        "results": results,
        "document_results": document_results,
        "page_links": page_links,
        "document_links": document_links,
        "result_count": pages.paginator.count + len(site_search.promoted_pages),
        "document_count": documents.paginator.count,
    }
