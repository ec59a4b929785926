"""The first-prize register (一等奖名录, 2.4b): staff browse it and import past years' winners."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render

from accounts.permissions import role_required
from accounts.roles import Role

from . import exports, id_search, selectors, services
from .workbooks import XLSX

STAFF = (Role.REVIEWER, Role.APPROVER, Role.AUDITOR, Role.ADMIN)
MAY_IMPORT = (Role.REVIEWER, Role.ADMIN)


def _page(request, problems=None, status=200):
    search = id_search.searched(request)
    trade_code = request.GET.get("trade", "")
    records = selectors.first_prize_records(query=search.text or "", trade_code=trade_code)
    if search.text is None:
        records = records.none()
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    return render(request, "rosters/first_prizes.html", {
        "page": page, "q": search.box, "search": search, "trade_code": trade_code,
        "query": search.query_string(trade=trade_code), "problems": problems,
        "may_import": request.user.role in MAY_IMPORT,
    }, status=status)


@role_required(*STAFF)
def first_prize_register(request):
    # The search form posts, and a number typed into the address is sent on: an ID number never stays in a URL.
    if request.method == "POST" and "search" in request.POST:
        return id_search.redirect_to_search(request, q=request.POST.get("q", ""), trade=request.POST.get("trade"))
    if request.method != "POST" and id_search.must_be_sealed(request):
        return id_search.redirect_to_search(request, q=request.GET["q"], status=302, trade=request.GET.get("trade"),
                                            page=request.GET.get("page"))
    if request.method == "POST":
        if request.user.role not in MAY_IMPORT:
            raise PermissionDenied("您的角色不能导入一等奖名录。")
        uploaded = request.FILES.get("file")
        if uploaded is None:
            messages.error(request, "请选择要上传的表格文件。")
            return redirect("rosters:first_prize_register")
        try:
            created, problems = services.import_first_prizes(actor=request.user, uploaded_file=uploaded)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("rosters:first_prize_register")
        if problems:
            messages.error(request, f"表格有 {problems.hard_count} 处错误，未导入任何记录。请更正后重新上传。")
            return _page(request, problems=problems.summary(), status=400)
        messages.success(request, f"已导入 {created} 条一等奖记录（已在名录中的记录不重复登记）。")
        return redirect("rosters:first_prize_register")
    return _page(request)


@role_required(*MAY_IMPORT)
def first_prize_template(request):
    content, filename = exports.first_prize_template()
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = exports.attachment(filename)
    return response
