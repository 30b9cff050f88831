"""The dashboard, its charts and their downloads: thin. The policy says who may see which figure;
the selectors count; small counts are suppressed here, by one rule (docs/reports.md):

- on the page and in its chart images, exact only for a viewer whose organisation holds
  everything the figure counts; suppressed for everyone else;
- in every download (CSV, PNG, SVG), always suppressed: a file travels.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from safepassage.access.policy import Action, require
from safepassage.reports import selectors
from safepassage.reports.figures import CHART_FORMATS, ReportFigure
from safepassage.reports.forms import ReportFilterForm
from safepassage.reports.selectors import ReportFilters

EXPORT_FORMATS = {**CHART_FORMATS, "csv": "text/csv; charset=utf-8"}

# matplotlib's SVG carries a <style> element and style attributes, which the site's policy
# (style-src 'self') would block when an SVG is opened on its own. A chart loads nothing and
# runs nothing; it only styles itself (as safepassage.web.security does for its one view).
CHART_CSP = {
    "default-src": [CSP.NONE],
    "style-src": [CSP.UNSAFE_INLINE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}


def _charts():
    """matplotlib, loaded at the first chart: half a second no other page or command needs."""
    from safepassage.reports import charts

    return charts


def threshold() -> int:
    return settings.REPORTS_SMALL_COUNT_THRESHOLD


def _links(figure: ReportFigure, query: str) -> dict[str, str]:
    def url(name: str, fmt: str) -> str:
        return f"{reverse(name, args=[figure.key, fmt])}?{query}"

    return {
        "image": url("reports:chart", "svg"),
        "svg": url("reports:export", "svg"),
        "png": url("reports:export", "png"),
        "csv": url("reports:export", "csv"),
    }


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.REPORTS_VIEW)
    form = ReportFilterForm(request.GET or None, actor=request.user)
    filters = form.filters()
    query = urlencode(filters.query())
    figures = [
        {"figure": figure.for_page(threshold()), "links": _links(figure, query)}
        for figure in selectors.dashboard(actor=request.user, filters=filters)
    ]
    return render(
        request,
        "reports/dashboard.html",
        {"form": form, "filters": filters, "figures": figures, "threshold": threshold()},
    )


def _figure(request: HttpRequest, key: str) -> tuple[ReportFigure, ReportFilters] | HttpResponse:
    """The figure asked for, with its filters; a plain 400 when the filters are not valid."""
    require(request.user, Action.REPORTS_VIEW)
    form = ReportFilterForm(request.GET or None, actor=request.user)
    if form.is_bound and not form.is_valid():
        errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponseBadRequest(
            _("The filters are not valid: %(errors)s") % {"errors": errors},
            content_type="text/plain; charset=utf-8",
        )
    filters = form.filters()
    return selectors.report_figure(actor=request.user, key=key, filters=filters), filters


@require_GET
@csp_override(CHART_CSP)
def chart(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    """The chart shown on the page (an <img>): suppressed as the page is."""
    found = _figure(request, key)
    if isinstance(found, HttpResponse):
        return found
    body = _charts().render(found[0].for_page(threshold()), fmt)
    return HttpResponse(body, content_type=CHART_FORMATS[fmt])


@require_GET
@csp_override(CHART_CSP)
def export(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    """A download of the chart (SVG, PNG) or its data (CSV): always suppressed."""
    found = _figure(request, key)
    if isinstance(found, HttpResponse):
        return found
    figure, filters = found[0].suppressed(threshold()), found[1]
    body = figure.csv() if fmt == "csv" else _charts().render(figure, fmt)
    response = HttpResponse(body, content_type=EXPORT_FORMATS[fmt])
    name = f"safepassage-{figure.key}-{filters.date_from}-{filters.date_to}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
