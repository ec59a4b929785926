"""Year overview (figures, charts, lists, export) and the staff search box. Views parse, read, render."""

from urllib.parse import quote

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.permissions import role_required
from accounts.roles import Role
from accounts.security import client_ip, log_event
from haidian_contest import rules
from rosters import id_search

from .charts import CHARTS
from .exports import overview_workbook
from .figures import Overview
from .performance import year_performance
from .lists import DUE_SOON_DAYS, STARTS_WITHIN_DAYS, materials, portfolio_waivers, tranche_1_due, waivers
from .scope import ORG_TYPE_LABELS, UNION_ROLES, cycles, cycles_with_projects, default_cycle, scope_from
from .search import LIMIT, search

# The year's figures are the union's own business: organizers see their projects on their own pages.
OVERVIEW_ROLES = (Role.REVIEWER, Role.APPROVER, Role.FINANCE, Role.AUDITOR, Role.ADMIN)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scope(request, found=None):
    if found is None and "cycle" in request.GET:
        return scope_from(request.GET)
    found = cycles_with_projects(request.user) if found is None else found
    return scope_from(request.GET, default_cycle=default_cycle(found))


@role_required(*OVERVIEW_ROLES)
def overview(request):
    found = cycles_with_projects(request.user)
    scope = _scope(request, found)
    ov = Overview(request.user, scope)
    soon, overdue = materials(ov)
    return render(request, "dashboard/overview.html", {
        "scope": scope,
        "ov": ov,
        "h": ov.headline(),
        "plan": ov.plan,
        "pending": ov.pending,
        "materials_soon": soon,
        "materials_overdue": overdue,
        "tranche_1_due": tranche_1_due(ov),
        "waivers": waivers(ov),
        "portfolio_waivers": portfolio_waivers(scope.cycle),
        "performance": year_performance(scope.cycle),
        "due_soon_days": DUE_SOON_DAYS,
        "starts_within_days": STARTS_WITHIN_DAYS,
        "cycles": cycles(found),
        "org_types": list(ORG_TYPE_LABELS.items()),
        "union_roles": UNION_ROLES,
        "innovative_fields": rules.INNOVATIVE_FIELDS,
        "query": scope.querystring(),
        "filter_query": scope.querystring(with_include=False),
        # One bar per trade, readable at 26 px each; the axis and legend need the rest.
        "subsidy_height": max(160, 26 * len(ov.trades) + 90),
    })


@role_required(*OVERVIEW_ROLES)
def chart_data(request, name):
    builder = CHARTS.get(name)
    if builder is None:
        raise Http404("没有这个图表")
    return JsonResponse(builder(Overview(request.user, _scope(request))),
                        json_dumps_params={"ensure_ascii": False})


@role_required(*OVERVIEW_ROLES)
def export(request):
    scope = _scope(request)
    content = overview_workbook(Overview(request.user, scope))
    log_event("export", request=request, detail=f"年度概览（{scope.describe()}）")
    response = HttpResponse(content, content_type=XLSX)
    name = f"年度概览-{scope.cycle}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@never_cache
@role_required(*Role)
@require_http_methods(["GET", "POST"])
def search_page(request):
    # The form posts, so a resident ID number typed in the box never lands in a URL, a log or the history;
    # one typed into the address is sent on to an address holding only a sealed token (rosters.id_search).
    if request.method == "POST":
        query = request.POST.get("q", "")
    elif id_search.must_be_sealed(request):
        return id_search.redirect_to_search(request, q=request.GET["q"], status=302)
    else:
        query = id_search.searched(request).text
        if query is None:
            messages.error(request, "检索链接已失效，请重新输入身份证号。")
            query = ""
    results = search(actor=request.user, query=query, ip=client_ip(request)) if query.strip() else None
    context = {"results": results, "limit": LIMIT, "is_organizer": request.user.role == Role.ORGANIZER}
    template = "dashboard/_search_results.html" if request.htmx else "dashboard/search.html"
    return render(request, template, context)
