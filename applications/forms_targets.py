"""The 绩效目标表 form: one row per indicator; the level-1 category follows from the level-2 one."""

from django import forms

from haidian_contest.rules import performance_targets as pt

from .forms import StyledMixin, _blank_row

LEVEL_1_OF = {key: c1 for c1, rows in pt.CATEGORY_2.items() for key, _label in rows}


class TargetForm(StyledMixin, forms.Form):
    ignore_for_blank = ("DELETE", "key", "comparison")
    key = forms.CharField(widget=forms.HiddenInput, required=False)
    category_2 = forms.ChoiceField(label="指标类别（一级·二级）", choices=[("", "—"), *pt.CATEGORY_2_CHOICES],
                                   required=False)
    name = forms.CharField(label="指标名称", max_length=100, required=False)
    comparison = forms.ChoiceField(label="比较", choices=pt.COMPARISONS, initial=pt.GE)
    target_value = forms.DecimalField(label="年度指标值", max_digits=14, decimal_places=2, required=False,
                                      error_messages={"invalid": "请填写数字。",
                                                      "max_decimal_places": "最多两位小数。"})
    unit = forms.CharField(label="单位", max_length=20, required=False)
    points = forms.IntegerField(label="分值", min_value=0, max_value=100, required=False,
                                error_messages={"invalid": "分值须为整数。", "min_value": "分值不能为负数。"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["size"] = 28
        for name in ("target_value", "points"):
            self.fields[name].localize = False
        self.style()

    def clean_key(self):
        key = (self.cleaned_data.get("key") or "").strip()
        # A tampered key is dropped, never trusted: it only marks a system indicator.
        return key if key in pt.SYSTEM_INDICATORS else ""

    def clean(self):
        data = super().clean()
        if _blank_row(self):
            return data
        for field, message in (("category_2", "请选择指标类别。"), ("name", "请填写指标名称（或删除该行）。"),
                               ("target_value", "请填写年度指标值。"), ("points", "请填写分值。")):
            if data.get(field) in (None, ""):
                self.add_error(field, message)
        return data

    def row(self) -> dict:
        data = self.cleaned_data
        return {"key": data["key"], "category_1": LEVEL_1_OF[data["category_2"]], "category_2": data["category_2"],
                "name": data["name"], "comparison": data["comparison"], "target_value": data["target_value"],
                "unit": data["unit"], "points": data["points"]}


TargetFormSet = forms.formset_factory(TargetForm, extra=0, can_delete=True)


def initial_rows(rows: list[dict]) -> list[dict]:
    return [{k: r[k] for k in ("key", "category_2", "name", "comparison", "target_value", "unit", "points")}
            for r in rows]
