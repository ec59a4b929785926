from django.contrib import admin
from django.http import HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path

from accounts import views as account_views

admin.site.site_header = "海淀区职工职业技能竞赛管理系统"
admin.site.site_title = "系统管理"
admin.site.index_title = "系统管理"

handler403 = "accounts.views.permission_denied"



def healthz(request):
    """Liveness for the load balancer, and the hello-world baseline of bench/pages.py."""
    return HttpResponse("ok", content_type="text/plain")


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links; the file itself lives in static/."""
    return HttpResponseRedirect(static("favicon.ico"))


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("", account_views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("applications/", include("applications.urls")),
    path("review/", include("review.urls")),
    path("funding/", include("funding.urls")),
    path("rosters/", include("rosters.urls")),
    path("public/", include("rosters.publicity.urls")),
    path("performance/", include("performance.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("notifications/", account_views.notifications, name="notifications"),
    path("admin/", admin.site.urls),
]
