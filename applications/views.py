from django.shortcuts import render

from accounts.permissions import role_required
from accounts.roles import Role

ALL_ROLES = tuple(Role)


@role_required(*ALL_ROLES)
def application_list(request):
    return render(request, "includes/work_queue.html", {"heading": "申报项目", "description": "本单位的竞赛项目申报。"})


@role_required(Role.ORGANIZER)
def application_create(request):
    return render(request, "includes/work_queue.html", {"heading": "新建申报", "description": "填写申报表。"})


@role_required(Role.REVIEWER, Role.ADMIN)
def catalogue(request):
    return render(request, "includes/work_queue.html", {"heading": "职业目录", "description": "职业分类大典（2022年版）。"})


@role_required(*ALL_ROLES)
def application_detail(request, pk):
    from .selectors import get_application_for

    application = get_application_for(request.user, pk)
    return render(request, "includes/work_queue.html", {"heading": application.title, "description": application.status_label})
