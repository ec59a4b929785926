from django.shortcuts import render

from accounts.permissions import role_required
from accounts.roles import Role


@role_required(Role.REVIEWER, Role.ADMIN)
def queue(request):
    return render(request, "includes/work_queue.html", {"heading": "可行性审核", "description": "已提交、待职工发展部审核的申报。"})


@role_required(Role.REVIEWER, Role.ADMIN)
def collective(request):
    return render(request, "includes/work_queue.html", {"heading": "集体决策", "description": "审核推荐、待集体决策的申报。"})


@role_required(Role.APPROVER, Role.REVIEWER, Role.ADMIN)
def meetings(request):
    return render(request, "includes/work_queue.html", {"heading": "党组会", "description": "待党组会审议的项目。"})
