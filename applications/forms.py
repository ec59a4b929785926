"""Forms of the application pages. Drafts are lenient: a blank is saved and shown as a rule finding.

A form only refuses what cannot be stored at all (text where a number goes, a row with data but no
name), and the page then re-renders with everything typed, including rows marked for removal.
"""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.validators import validate_credit_code
from haidian_contest import rules

from .attachments import ACCEPT
from .fields import MoneyField
from .models import Application, Attachment, BudgetLine, Occupation, Trade

CODE_RE = re.compile(r"^\s*(\d-\d{2}-\d{2}-\d{2})")
PLAN_KEYS = [key for key, _label in Application.PLAN_SECTIONS]


class StyledMixin:
    """Bootstrap classes on every widget, and is-invalid where the field has an error."""

    def style(self):
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                widget.attrs["class"] = "form-check-input"
                continue
            if isinstance(widget, (forms.CheckboxInput, forms.HiddenInput)):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            # _errors, not errors: reading errors here would validate before a formset adds its DELETE field.
            if self._errors and name in self._errors:
                css += " is-invalid"
            widget.attrs["class"] = css

    def full_clean(self):
        super().full_clean()
        self.style()


def _blank_row(form) -> bool:
    return not any(v is not None and str(v).strip() for k, v in form.cleaned_data.items()
                   if k not in form.ignore_for_blank)


class ApplicationForm(StyledMixin, forms.ModelForm):
    class Meta:
        model = Application
        fields = ["title", "cycle", "start_date", "end_date", "contact_person", "contact_phone", *PLAN_KEYS]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **{key: forms.Textarea(attrs={"rows": 2}) for key in PLAN_KEYS},
        }
        help_texts = {
            "schedule": "如：初赛 2026年7月，决赛 2026年9月。",
            "funding_source": "所需资金总额，区总工会补助与自筹各多少、自筹资金来源。",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].initial = self.fields["cycle"].initial or timezone.localdate().year
        self.fields["cycle"].widget.attrs.update(min=2020, max=2100)
        self.style()

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            # 3.1a (rules.check_event_dates): invalid input, refused here so nothing half-right is saved.
            self.add_error("end_date", f"竞赛结束日期（{end:%Y-%m-%d}）不能早于开始日期（{start:%Y-%m-%d}）。")
        return data


class CoApplicantForm(StyledMixin, forms.Form):
    ignore_for_blank = ("DELETE",)
    name = forms.CharField(label="单位名称", max_length=200, required=False)
    org_type = forms.ChoiceField(label="单位类型", choices=[("", "—")] + list(rules.ORG_TYPES), required=False)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, required=False)
    contact_person = forms.CharField(label="联系人", max_length=50, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=30, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()

    def clean(self):
        data = super().clean()
        if _blank_row(self):
            return data
        if not data.get("name"):
            self.add_error("name", "请填写单位名称（或删除该行）。")
        if not data.get("org_type"):
            self.add_error("org_type", "请选择单位类型。")
        code = (data.get("credit_code") or "").strip().upper()
        if code:
            try:
                validate_credit_code(code)
            except ValidationError as exc:
                self.add_error("credit_code", exc)
            data["credit_code"] = code
        return data


CoApplicantFormSet = forms.formset_factory(CoApplicantForm, extra=0, can_delete=True)


class OccupationField(forms.Field):
    """Typed as "4-04-05-05 人工智能训练师" (the picker fills it); a bare code or an exact name also works."""

    widget = forms.TextInput

    def to_python(self, value):
        text = str(value or "").strip()[:130]
        if not text:
            return None
        match = CODE_RE.match(text)
        if match:
            found = Occupation.objects.filter(code=match.group(1), is_active=True).first()
        else:
            found = Occupation.objects.filter(name=text, is_active=True).first()
        if found is None:
            raise ValidationError("职业目录中没有“%(text)s”；请从下拉列表中选择，或清空后按非标准工种填写。",
                                  params={"text": text})
        return found

    def prepare_value(self, value):
        if isinstance(value, Occupation):
            return str(value)
        if isinstance(value, int):
            found = Occupation.objects.filter(pk=value).first()
            return str(found) if found else ""
        return value


YES_NO = [("1", "是"), ("0", "否")]


class TradeForm(StyledMixin, forms.ModelForm):
    occupation = OccupationField(label="职业（工种）", required=False)
    certifiable = forms.TypedChoiceField(
        label="取证工种", choices=YES_NO, coerce=lambda v: v == "1", widget=forms.RadioSelect, initial="0",
        help_text="获奖者可取得职业技能等级证书。",
    )
    category = forms.ChoiceField(label="类别", choices=rules.CATEGORIES, widget=forms.RadioSelect,
                                 initial=rules.CATEGORIES[0][0])
    planned_participants = forms.IntegerField(
        label="计划参赛人数", required=False, min_value=1,
        error_messages={"min_value": "计划参赛人数至少为 1 人：0 人不是人数不足，而是无人参赛，请填写计划人数。"},
    )
    subsidy_requested = MoneyField(label="申请区总工会补助（元）", required=False, min_value=Decimal(0))

    class Meta:
        model = Trade
        fields = [
            "occupation", "custom_name", "standard_reference", "level", "certifiable", "category", "field",
            "planned_participants", "venue", "preliminary_date", "final_date", "judging_method", "subsidy_requested",
        ]
        widgets = {
            "preliminary_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "final_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "judging_method": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "custom_name": "仅当职业目录中没有该工种时填写。",
            "standard_reference": "非标准工种须注明所依据的行业标准（名称、考核标准和竞赛内容）。",
            "field": "创新类工种须选择所属领域。",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["certifiable"] = "1" if self.instance.certifiable else "0"
        self.fields["level"].choices = [("", "—")] + Trade.LEVELS
        self.fields["field"].choices = [("", "—")] + list(rules.INNOVATIVE_FIELDS)
        self.fields["occupation"].widget.attrs.update({
            "autocomplete": "off", "placeholder": "输入职业编码或名称搜索，如 4-04-05-05 或 人工智能训练师",
            "hx-get": reverse("applications:occupation_search"), "hx-trigger": "input changed delay:250ms, focus",
            "hx-target": "#occupation-results", "hx-sync": "this:replace", "data-occupation-input": "1",
            "role": "combobox", "aria-controls": "occupation-results",
        })
        self.fields["subsidy_requested"].widget.attrs.update({"data-subsidy": "1"})
        for name in ("category", "certifiable"):
            self.fields[name].widget.attrs[f"data-{name}"] = "1"
        self.style()

    def clean(self):
        data = super().clean()
        preliminary, final = data.get("preliminary_date"), data.get("final_date")
        if preliminary and final and final < preliminary:
            self.add_error("final_date", f"决赛日期（{final:%Y-%m-%d}）不能早于初赛日期（{preliminary:%Y-%m-%d}）。")
        return data

    def clean_planned_participants(self):
        return self.cleaned_data.get("planned_participants") or 0

    def clean_subsidy_requested(self):
        return self.cleaned_data.get("subsidy_requested") or Decimal("0.00")

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("occupation") is not None:
            data["custom_name"] = ""
        return data


class JudgeForm(StyledMixin, forms.Form):
    ignore_for_blank = ("DELETE",)
    name = forms.CharField(label="姓名", max_length=50, required=False)
    employer = forms.CharField(label="工作单位", max_length=200, required=False)
    title = forms.CharField(label="职称/资格", max_length=100, required=False)
    experience = forms.CharField(label="评审经历", required=False, widget=forms.Textarea(attrs={"rows": 1}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()

    def clean(self):
        data = super().clean()
        if not _blank_row(self) and not data.get("name"):
            self.add_error("name", "请填写评委姓名（或删除该行）。")
        return data


class PrizeForm(StyledMixin, forms.Form):
    count = forms.IntegerField(label="获奖人数", required=False, min_value=0)
    amount = MoneyField(label="每人奖金（元）", required=False, min_value=Decimal(0))

    def __init__(self, *args, rank: int, **kwargs):
        self.rank = rank
        self.rank_label = dict(rules.PRIZE_RANKS)[rank]
        self.cap = rules.ruleset_for(timezone.localdate()).prize_caps[rank]
        super().__init__(*args, prefix=f"prize{rank}", **kwargs)
        self.style()

    def service_row(self) -> dict | None:
        count, amount = self.cleaned_data.get("count"), self.cleaned_data.get("amount")
        if count is None and amount is None:
            return None
        return {"rank": self.rank, "count": count or 0, "amount": amount or Decimal("0.00")}


class BudgetLineForm(StyledMixin, forms.Form):
    ignore_for_blank = ("DELETE", "item")
    item = forms.ChoiceField(label="科目", choices=BudgetLine.ITEMS)
    description = forms.CharField(label="说明", max_length=200, required=False)
    amount = MoneyField(label="金额（元）", required=False, min_value=Decimal(0))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs["data-budget-amount"] = "1"
        self.style()


JudgeFormSet = forms.formset_factory(JudgeForm, extra=0, can_delete=True)
BudgetLineFormSet = forms.formset_factory(BudgetLineForm, extra=0, can_delete=True)


def kept_rows(formset) -> list[dict]:
    """The rows to save: not marked for removal and not left blank."""
    rows = []
    for form in formset.forms:
        if not hasattr(form, "cleaned_data") or formset.can_delete and formset._should_delete_form(form):
            continue
        data = {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        if not _blank_row(form):
            rows.append(data)
    return rows


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label="附件类型", choices=Attachment.KINDS)
    file = forms.FileField(label="文件", widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["file"].widget.attrs["class"] = "form-control form-control-sm"


class OccupationImportForm(forms.Form):
    file = forms.FileField(label="目录文件（.xlsx 或 .csv）",
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv", "class": "form-control"}))
    source = forms.ChoiceField(label="来源", choices=Occupation.Source.choices,
                               widget=forms.Select(attrs={"class": "form-select"}),
                               help_text="文件中没有“来源”列时，所有行按此来源登记。")


class DateAdjustmentForm(forms.Form):
    """日期调整: the department records the competition's real dates, with the reason (see workflow.DATE_GATES)."""

    start_date = forms.DateField(label="实际开始日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end_date = forms.DateField(label="实际结束日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    final_date = forms.DateField(label="实际决赛日期（可不填）", required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reason = forms.CharField(label="调整理由", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control form-control-sm"
