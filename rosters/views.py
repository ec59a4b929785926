from django.shortcuts import render

from accounts.permissions import role_required
from accounts.roles import Role


@role_required(Role.REVIEWER, Role.ADMIN)
def first_prize_register(request):
    return render(request, "includes/work_queue.html", {"heading": "一等奖名录", "description": "历年一等奖获奖者名录（二（四））。"})
