"""The public questionnaire (no account: the token is the key) and the staff pages around it."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from accounts.security import client_ip

from ..views.common import USER_ERRORS, can_edit, project, report_error
from . import selectors, services
from .forms import SurveyForm
from .models import Survey

# Results: the organizer of the project (project() gives others a 404), the department, the auditor.
RESULT_ROLES = (Role.ORGANIZER, Role.REVIEWER, Role.AUDITOR, Role.ADMIN)
SUGGESTIONS_PER_PAGE = 50


def public_url(survey: Survey) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("performance:survey_answer", args=[survey.token])


def _survey_by_token(token: str) -> Survey:
    return get_object_or_404(Survey.objects.select_related("application"), token=token)


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token):
    survey = _survey_by_token(token)
    application = survey.application
    if not services.is_open(application):
        return render(request, "performance/survey/closed.html", {"application": application})
    form = SurveyForm(request.POST or None)
    refused = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.submit_answer(survey=survey, name=data["name"], id_tail=data["id_tail"],
                                   answers=form.answers(), address=client_ip(request))
        except services.SurveyRefused as exc:
            refused = str(exc)
        else:
            return redirect("performance:survey_thanks", token)
    return render(request, "performance/survey/answer.html",
                  {"application": application, "form": form, "refused": refused}, status=200)


@never_cache
def thanks(request, token):
    survey = _survey_by_token(token)
    return render(request, "performance/survey/thanks.html", {"application": survey.application})


@role_required(*RESULT_ROLES)
def results(request, pk):
    application = project(request, pk)
    survey = selectors.survey_of(application)
    page = Paginator(selectors.suggestions_page(application).only("suggestion"), SUGGESTIONS_PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "performance/survey/results.html", {
        "application": application,
        "survey": survey,
        "public_url": public_url(survey) if survey else "",
        "results": selectors.results(application),
        "rate_rule": selectors.RATE_RULE,
        "page": page,
        "is_open": services.is_open(application),
        "can_open": request.user.role == Role.ORGANIZER and services.is_open(application),
        "can_fill": can_edit(application, request.user),
    })


@require_POST
@role_required(Role.ORGANIZER)
def open_survey(request, pk):
    application = project(request, pk)
    try:
        services.open_survey(actor=request.user, application=application)
    except USER_ERRORS as exc:
        report_error(request, exc)
    else:
        messages.success(request, "满意度调查已开启：请下载二维码海报，在比赛现场张贴。")
    return redirect("performance:survey", pk)


def _open_survey_of(request, pk) -> tuple:
    application = project(request, pk)
    survey = selectors.survey_of(application)
    if survey is None:
        raise Http404("本项目尚未开启满意度调查")
    return application, survey


@role_required(*RESULT_ROLES)
def qr_png(request, pk):
    _application, survey = _open_survey_of(request, pk)
    buffer = io.BytesIO()
    segno.make(public_url(survey), error="m").save(buffer, kind="png", scale=12, border=4)
    response = HttpResponse(buffer.getvalue(), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="survey-qr-{pk}.png"'
    return response


@role_required(*RESULT_ROLES)
def poster(request, pk):
    from ..exports import render_pdf

    application, survey = _open_survey_of(request, pk)
    url = public_url(survey)
    qr = segno.make(url, error="m").svg_data_uri(scale=10, border=2)
    pdf = render_pdf("performance/pdf/survey_poster.html", {"application": application, "url": url, "qr": qr})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="survey-poster-{pk}.pdf"'
    return response


@require_POST
@role_required(Role.ORGANIZER)
def fill_report(request, pk):
    application = project(request, pk)
    try:
        services.fill_report_suggestions(actor=request.user, application=application)
    except USER_ERRORS as exc:
        report_error(request, exc)
        return redirect("performance:survey", pk)
    messages.success(request, "已将问卷结果和参赛职工的意见建议填入总结报告的“选手建议”一节，请核对后保存。")
    return redirect(reverse("performance:materials", args=[pk]) + "#report")
