"""The Django admin, with no way to test a secret through a list's query string.

Django's changelist applies any lookup on a model's own fields that it finds in the query string:
`?key__startswith=c8` lists a TOTP device only when its key starts so, and a few hundred such
requests read the whole key. Here every ModelAdmin registered on the site — the project's and
third-party ones alike (auth, django-otp, axes) — is wrapped at registration with GuardedModelAdmin:

- a query-string lookup is admitted only on a field the admin declares as a filter (list_filter,
  date_hierarchy), with field lookups only (never a further field across a relation);
- `?o=` (ordering) must name a sortable column that is displayed, and never orders by a secret;
- anything else is refused with a 400 page and recorded as a security event, before any query.

The system check `accounts.E101` fails when an admin shows, searches, filters or orders by a secret
column (accounts.secret_fields), and `accounts.E102` when a ModelAdmin escaped the wrapping.
Installed in place of django.contrib.admin (INSTALLED_APPS: accounts.admin_site.GuardedAdminConfig).
"""

from functools import cache

from django.contrib.admin import ModelAdmin, SimpleListFilter
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR
from django.contrib.admin.sites import AdminSite, all_sites
from django.contrib.admin.utils import NotRelationField, flatten_fieldsets, get_fields_from_path
from django.contrib.admin.views.main import ERROR_FLAG, ORDER_VAR, PAGE_VAR, SEARCH_VAR
from django.contrib.admin.widgets import url_params_from_lookup_dict
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F
from django.db.models.constants import LOOKUP_SEP
from django.shortcuts import render

from .secret_fields import reaches_secret

# What a filter's own parameters end with, beyond the lookups registered on the field.
FILTER_SUFFIXES = {"isempty"}
# Query-string parameters that are not lookups: paging, search, popups, the error flag.
NOT_LOOKUPS = {ORDER_VAR, PAGE_VAR, SEARCH_VAR, ERROR_FLAG, IS_POPUP_VAR, TO_FIELD_VAR, "all", "_facets"}


def _declared(model_admin, request):
    """The field paths an admin declares as filters, and the parameter names of its own filters."""
    paths, parameters = set(), set()
    list_filter = model_admin.get_list_filter(request) if request is not None else model_admin.list_filter
    for item in list_filter:
        if isinstance(item, type) and issubclass(item, SimpleListFilter):
            parameters.add(item.parameter_name)
        elif isinstance(item, (list, tuple)):
            paths.add(item[0])
        elif isinstance(item, str):
            paths.add(item)
    if model_admin.date_hierarchy:
        paths.add(model_admin.date_hierarchy)
    return paths, parameters


def _only_lookups(field, parts) -> bool:
    """After a declared field, only its lookups (`__exact`, `__gte`, `__year`…) — or, on a relation,
    the related row's key that the relation filter uses (`groups__id__exact`) and then lookups."""
    if parts and field.is_relation:
        target = field.target_field
        if parts[0] in {target.name, target.attname, "pk"}:
            field, parts = target, parts[1:]
    # A reverse relation registers no lookups of its own: they are those of the field it mirrors.
    known = (field.get_lookups if hasattr(field, "get_lookups") else field.remote_field.get_lookups)()
    return all(part in known or part in FILTER_SUFFIXES for part in parts)


def declared_lookup(model_admin, lookup: str, request=None) -> bool:
    paths, parameters = _declared(model_admin, request)
    if lookup in parameters or lookup in paths:
        return True
    for path in paths:
        if lookup.startswith(path + LOOKUP_SEP):
            try:
                field = get_fields_from_path(model_admin.model, path)[-1]
            except (FieldDoesNotExist, NotRelationField):
                continue
            if _only_lookups(field, lookup[len(path) + len(LOOKUP_SEP):].split(LOOKUP_SEP)):
                return True
    return False


def _raw_id_lookup(model_admin, lookup, value) -> bool:
    """A raw-id popup's `limit_choices_to`, which Django puts in the popup's query string."""
    for fk_lookup in model_admin.model._meta.related_fkey_lookups:
        if callable(fk_lookup):
            fk_lookup = fk_lookup()
        if (lookup, value) in url_params_from_lookup_dict(fk_lookup).items():
            return True
    return False


def _order_names(order_field) -> list[str]:
    """The field paths an ordering entry (a name or an expression) reads."""
    if isinstance(order_field, str):
        return [order_field.lstrip("-")]
    if isinstance(order_field, F):
        return [order_field.name]
    return [node.name for node in getattr(order_field, "flatten", lambda: [])() if isinstance(node, F)]


class OrderingGuard:
    """A ChangeList mixin: `?o=` is checked before the query is built (Django skips what it cannot
    read and honours a column that sortable_by leaves out)."""

    def get_ordering(self, request, queryset):
        raw = self.params.get(ORDER_VAR)
        if raw:
            for part in raw.split("."):
                index = part.rpartition("-")[2]
                if not index.isdigit() or int(index) >= len(self.list_display):
                    raise DisallowedModelAdminLookup(f"Ordering by {part} not allowed")
                name = self.list_display[int(index)]
                order_field = self.get_ordering_field(name)
                sortable = self.sortable_by is None or name in self.sortable_by
                if not order_field or not sortable or any(
                        reaches_secret(self.model, path) for path in _order_names(order_field)):
                    raise DisallowedModelAdminLookup(f"Ordering by {part} not allowed")
        return super().get_ordering(request, queryset)


@cache
def _guarded_changelist(base):
    return type(f"Guarded{base.__name__}", (OrderingGuard, base), {"__module__": __name__})


class GuardedModelAdmin:
    """Mixed in front of every registered ModelAdmin by GuardedAdminSite.register."""

    def lookup_allowed(self, lookup, value, request=None):
        if _raw_id_lookup(self, lookup, value):
            return True
        return declared_lookup(self, lookup, request) and super().lookup_allowed(lookup, value, request)

    def get_changelist(self, request, **kwargs):
        return _guarded_changelist(super().get_changelist(request, **kwargs))

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except DisallowedModelAdminLookup:
            return refuse_lookup(request, self.model)


def refuse_lookup(request, model):
    from .security import log_event

    # Parameter names only: a value may be someone's guess at a secret, right or nearly so.
    names = sorted(name for name in request.GET if name not in NOT_LOOKUPS - {ORDER_VAR})
    log_event("permission_denied", request=request, outcome="failure",
              detail=f"后台列表按未声明的字段筛选或排序：{model._meta.label}（{'、'.join(names)}）")
    return render(request, "400.html", {"message": "后台列表只能按页面右侧提供的筛选条件筛选、按列表中可排序的列排序。"},
                  status=400)


class GuardedAdminSite(AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or ModelAdmin
        if not issubclass(admin_class, GuardedModelAdmin):
            admin_class = type(admin_class.__name__, (GuardedModelAdmin, admin_class),
                               {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__})
        super().register(model_or_iterable, admin_class, **options)


class GuardedAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.GuardedAdminSite"

    def ready(self):
        super().ready()
        checks.register(check_admin_secrets, checks.Tags.admin, checks.Tags.security)


# --- the system check: no admin shows, searches, filters or orders by a secret ---------------------


def _check_request():
    from django.test import RequestFactory

    from .models import User

    request = RequestFactory().get("/admin/")
    request.user = User(username="check", is_active=True, is_staff=True, is_superuser=True)
    return request


def _display_paths(model_admin, name):
    """What a list_display entry shows and sorts by: a field path, or a method's admin_order_field."""
    if callable(name):
        attr = name
    elif isinstance(name, str):
        yield name
        attr = getattr(model_admin, name, None) or getattr(model_admin.model, name, None)
    else:
        return
    if isinstance(attr, property):
        attr = attr.fget
    order = getattr(attr, "admin_order_field", None)
    if order is not None:
        yield from _order_names(order)


def _masked(form_class, name) -> bool:
    """Shown only as Django's masked summary (the user form's password: algorithm and a few characters)."""
    from django.contrib.auth.forms import ReadOnlyPasswordHashField

    return isinstance(getattr(form_class, "base_fields", {}).get(name), ReadOnlyPasswordHashField)


def _form_paths(model_admin, request, obj):
    form_class = model_admin.get_form(request, obj) if isinstance(model_admin, ModelAdmin) else \
        model_admin.get_formset(request, obj).form
    for name in flatten_fieldsets(model_admin.get_fieldsets(request, obj)):
        if isinstance(name, str) and not _masked(form_class, name):
            yield "fields", name
    for name in model_admin.get_readonly_fields(request, obj):
        if isinstance(name, str):
            yield "readonly_fields", name


def exposed_paths(model_admin, request):
    """(attribute, field path) for everything an admin's pages show, search, filter or sort by."""
    list_display = model_admin.get_list_display(request)
    for name in list_display:
        for path in _display_paths(model_admin, name):
            yield "list_display", path
    for name in model_admin.get_list_display_links(request, list_display) or ():
        yield "list_display_links", name
    for name in model_admin.list_editable:
        yield "list_editable", name
    for name in model_admin.get_search_fields(request):
        yield "search_fields", name.lstrip("^=@")
    paths, _ = _declared(model_admin, request)
    for path in paths:
        yield "list_filter", path
    for entry in model_admin.get_ordering(request) or model_admin.model._meta.ordering or ():
        for path in _order_names(entry):
            yield "ordering", path
    for name in model_admin.get_sortable_by(request) or ():
        yield "sortable_by", name
    obj = model_admin.model()
    for target in (None, obj):  # the add form and the change form
        yield from _form_paths(model_admin, request, target)
        for inline in model_admin.get_inline_instances(request, target):
            for attribute, path in _form_paths(inline, request, target):
                yield f"inlines.{attribute}", f"{inline.model._meta.label}:{path}"
            for entry in inline.ordering or ():
                for path in _order_names(entry):
                    yield "inlines.ordering", f"{inline.model._meta.label}:{path}"


def _model_and_path(model_admin, path):
    if ":" in path:  # an inline's own model
        from django.apps import apps

        label, path = path.split(":", 1)
        return apps.get_model(label), path
    return model_admin.model, path


def check_admin_secrets(app_configs=None, **kwargs):
    errors = []
    request = _check_request()
    for site in all_sites:
        for model, model_admin in site._registry.items():
            label = f"{site.name}: {model._meta.label}"
            if not isinstance(model_admin, GuardedModelAdmin):
                errors.append(checks.Error(
                    f"{label} 的后台管理类未经 GuardedModelAdmin 包装，查询字符串可按任意字段筛选。",
                    hint="用 admin.site.register / @admin.register 注册（GuardedAdminSite 会包装）。",
                    obj=model_admin, id="accounts.E102"))
                continue
            seen = set()
            for attribute, path in exposed_paths(model_admin, request):
                owner, field_path = _model_and_path(model_admin, path)
                if (attribute, path) not in seen and reaches_secret(owner, field_path):
                    seen.add((attribute, path))
                    errors.append(checks.Error(
                        f"{label} 的 {attribute} 含密钥字段 {path}：后台不得显示、搜索、筛选或按其排序。",
                        hint="从该属性中去掉此字段（密钥字段见 accounts/secret_fields.py）。",
                        obj=model_admin, id="accounts.E101"))
    return errors
