from django.shortcuts import render

from accounts.permissions import role_required
from accounts.roles import Role


@role_required(Role.REVIEWER, Role.ADMIN)
def audit_queue(request):
    return render(request, "includes/work_queue.html", {"heading": "绩效审核", "description": "已提交绩效审核材料的项目。"})
