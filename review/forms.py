from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.fields import MoneyField
from applications.models import Application
from haidian_contest import rules

from .models import CHECKLIST, UNION_ROLES, CollectiveDecision
from .selectors import QUEUE_SORTS, QUEUE_STATES, agenda_candidates

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class QueueFilterForm(forms.Form):
    SORT_LABELS = {
        "submitted": _("提交时间（先到先审）"),
        "-submitted": _("提交时间（最新在前）"),
        "title": _("竞赛名称"),
        "organization": _("申报单位"),
        "-budget": _("总预算（高到低）"),
        "-subsidy": _("申请补助（高到低）"),
        "status": _("状态"),
    }
    cycle = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("状态"), required=False)
    category = forms.ChoiceField(label=_("工种类别"), required=False, choices=[("", _("全部类别")), *rules.CATEGORIES])
    # Plain choices of (id, name): a model choice field builds an instance per unit on every page.
    organization = forms.TypedChoiceField(label=_("申报单位"), required=False, coerce=int, empty_value=None)
    sort = forms.ChoiceField(label=_("排序"), required=False)

    def __init__(self, *args, cycles=(), organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].choices = [("", _("全部年度"))] + [(c, f"{c}年") for c in cycles]
        self.fields["status"].choices = [("todo", _("待审核（已提交/审核中）")), ("all", _("全部状态"))] + [
            (s.value, s.label) for s in QUEUE_STATES
        ]
        # A semi-join on the lead organization's index, not a DISTINCT over every project.
        self.fields["organization"].choices = [("", _("全部单位")), *organizations]
        self.fields["sort"].choices = [(k, self.SORT_LABELS[k]) for k in QUEUE_SORTS]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "cycle": data.get("cycle"),
            "status": data.get("status") or "todo",
            "category": data.get("category") or "",
            "organization": data.get("organization"),
            "sort": data.get("sort") or "submitted",
        }


class WaiverForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("审核意见"), choices=[("1", _("同意豁免")), ("0", _("不同意"))], coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("说明（不同意时必填）"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(forms.Form):
    """The opinion and one (符合/不符合, note) pair per judgement item of CHECKLIST."""

    MET_CHOICES = [("", _("未判定")), ("1", _("符合")), ("0", _("不符合"))]
    opinion = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, review=None, **kwargs):
        if review is not None and not args and "initial" not in kwargs:
            initial = {"opinion": review.opinion}
            for row in review.checklist_rows():
                initial[f"met_{row['key']}"] = "" if row["met"] is None else ("1" if row["met"] else "0")
                initial[f"note_{row['key']}"] = row["note"]
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for key, clause, label in CHECKLIST:
            self.fields[f"met_{key}"] = forms.ChoiceField(
                label=f"{rules.chinese_clause(clause)} {label}", choices=self.MET_CHOICES, required=False
            )
            self.fields[f"note_{key}"] = forms.CharField(label=_("说明"), required=False)

    def checklist_rows(self):
        return [
            {"key": key, "clause_label": rules.chinese_clause(clause), "label": label,
             "met": self[f"met_{key}"], "note": self[f"note_{key}"]}
            for key, clause, label in CHECKLIST
        ]

    def checklist(self) -> dict:
        out = {}
        for key, _clause, _label in CHECKLIST:
            met = self.cleaned_data.get(f"met_{key}")
            out[key] = {"met": None if met == "" else met == "1", "note": self.cleaned_data.get(f"note_{key}", "")}
        return out


class TransitionForm(forms.Form):
    transition = forms.CharField()
    comment = forms.CharField(label=_("意见或理由"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CollectiveForm(forms.Form):
    outcome = forms.ChoiceField(label=_("决策结果"), choices=CollectiveDecision.Outcome.choices, widget=forms.RadioSelect)
    date = forms.DateField(label=_("决策日期"), widget=DATE_INPUT, initial=timezone.localdate)
    note = forms.CharField(label=_("说明（不通过时必填）"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("会议日期"), widget=DATE_INPUT, initial=timezone.localdate)
    session = forms.CharField(label=_("会议名称"), max_length=100, widget=forms.TextInput(attrs={"placeholder": "2026年第15次党组会"}))


class AgendaAddForm(forms.Form):
    application = forms.ModelChoiceField(label=_("待上会项目"), queryset=Application.objects.none(), empty_label=_("请选择项目"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = agenda_candidates()
        self.fields["application"].label_from_instance = lambda a: f"{a.title}（{a.lead_organization.name}）"


class PartyDecisionForm(forms.Form):
    approved = forms.TypedChoiceField(
        label=_("审议结果"), choices=[("1", _("批准立项")), ("0", _("不予立项"))], coerce=lambda v: v == "1",
        widget=forms.RadioSelect, initial="1",
    )
    # No default: the group chooses the role (一（五）); the empty choice says so instead of "---------".
    union_role = forms.ChoiceField(label=_("区总工会角色（一（五））"), choices=[("", "请选择（批准立项时必选）"), *UNION_ROLES],
                                   required=False)
    note = forms.CharField(label=_("会议意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    raise_reason = forms.CharField(label=_("提高补助的理由（批准补助高于申请补助时必填，三（一））"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 1}))

    def __init__(self, *args, trades=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.trades = list(trades)
        for trade in self.trades:
            initial = trade.approved_subsidy if trade.approved_subsidy is not None else trade.subsidy_requested
            self.fields[f"subsidy_{trade.pk}"] = MoneyField(
                label=trade.name, min_value=Decimal("0"), required=False, initial=initial,
            )

    def subsidy_rows(self):
        return [{"trade": t, "field": self[f"subsidy_{t.pk}"]} for t in self.trades]

    def subsidies(self) -> dict:
        return {t.pk: self.cleaned_data.get(f"subsidy_{t.pk}") for t in self.trades}
