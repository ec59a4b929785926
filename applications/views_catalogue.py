"""The occupation catalogue: the trade picker's search, and the staff page that lists and imports it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render

from accounts.permissions import role_required
from accounts.roles import Role

from . import catalogue
from .forms import OccupationImportForm
from .models import Occupation

ALL_ROLES = tuple(Role)


@role_required(*ALL_ROLES)
def occupation_search(request):
    """htmx: up to 20 matches for the trade picker."""
    query = request.GET.get("occupation") or request.GET.get("q") or ""
    return render(request, "applications/_occupation_results.html", {
        "results": catalogue.search(query), "query": query.strip(),
    })


@role_required(Role.REVIEWER, Role.ADMIN)
def catalogue_page(request):
    form = OccupationImportForm()
    if request.method == "POST":
        form = OccupationImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = catalogue.import_occupations(actor=request.user, uploaded=form.cleaned_data["file"],
                                                      source=form.cleaned_data["source"])
            except ValidationError as exc:
                messages.error(request, "导入失败，目录未做任何修改。" + "；".join(exc.messages))
            else:
                messages.success(request, f"导入完成：共 {result.total} 条，新增 {result.created} 条，"
                                          f"更新 {result.updated} 条，未变 {result.unchanged} 条。")
                return redirect("applications:catalogue")
    q = request.GET.get("q", "").strip()
    qs = Occupation.objects.all()
    if q:
        qs = qs.filter(Q(code__startswith=q) | Q(name__icontains=q) | Q(minor__icontains=q))
    source = request.GET.get("source", "")
    if source in dict(Occupation.Source.choices):
        qs = qs.filter(source=source)
    page = Paginator(qs.order_by("code"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "applications/catalogue.html", {
        "form": form, "page": page, "q": q, "source": source, "sources": Occupation.Source.choices,
        "total": Occupation.objects.count(), "query": query.urlencode(),
    })
