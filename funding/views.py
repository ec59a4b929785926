from django.shortcuts import render

from accounts.permissions import role_required
from accounts.roles import Role


@role_required(Role.FINANCE, Role.REVIEWER, Role.ADMIN)
def queue(request):
    return render(request, "includes/work_queue.html", {"heading": "资金拨付", "description": "待拨付的补助资金。"})


@role_required(Role.FINANCE, Role.REVIEWER, Role.APPROVER, Role.AUDITOR, Role.ADMIN)
def ledger(request):
    return render(request, "includes/work_queue.html", {"heading": "资金台账", "description": "年度补助资金台账。"})
