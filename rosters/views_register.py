"""The first-prize register (一等奖名录, 2.4b): staff browse it and import past years' winners."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render

from accounts.permissions import role_required
from accounts.roles import Role

from . import exports, selectors, services
from .workbooks import XLSX

STAFF = (Role.REVIEWER, Role.APPROVER, Role.AUDITOR, Role.ADMIN)
MAY_IMPORT = (Role.REVIEWER, Role.ADMIN)


def _page(request, problems=None, status=200):
    query = request.GET.get("q", "")
    trade_code = request.GET.get("trade", "")
    records = selectors.first_prize_records(query=query, trade_code=trade_code)
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    keep = "&".join(f"{k}={v}" for k, v in (("q", query), ("trade", trade_code)) if v)
    return render(request, "rosters/first_prizes.html", {
        "page": page, "q": query, "trade_code": trade_code, "query": keep, "problems": problems,
        "may_import": request.user.role in MAY_IMPORT,
    }, status=status)


@role_required(*STAFF)
def first_prize_register(request):
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
