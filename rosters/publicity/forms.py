"""The public objection form: what a visitor types, and the checks against robots without a CAPTCHA."""

import time

from django import forms
from django.core import signing

MIN_FILL_SECONDS = 5          # a person reads the notice and types; a script posts at once
MAX_FORM_AGE_SECONDS = 24 * 3600
_SALT = "rosters.publicity.objection-form"


def form_stamp(notice_pk: int, now: float | None = None) -> str:
    return signing.dumps({"n": notice_pk, "t": int(now if now is not None else time.time())}, salt=_SALT)


def stamp_problem(value: str, notice_pk: int, now: float | None = None) -> str | None:
    """None when the form was issued for this notice at least MIN_FILL_SECONDS ago (and not too long)."""
    now = now if now is not None else time.time()
    try:
        data = signing.loads(value or "", salt=_SALT)
    except signing.BadSignature:
        return "页面已失效，请刷新后重新填写。"
    if data.get("n") != notice_pk:
        return "页面已失效，请刷新后重新填写。"
    age = now - data.get("t", 0)
    if age > MAX_FORM_AGE_SECONDS:
        return "页面打开时间过长，请刷新后重新填写。"
    if age < MIN_FILL_SECONDS:
        return "提交过快，请核对填写内容后再次提交。"
    return None


class ObjectionForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    contact = forms.CharField(label="联系方式", max_length=100, help_text="手机号、电话或电子邮箱，仅用于核实和反馈，不公开。")
    text = forms.CharField(label="异议内容", min_length=10, max_length=2000, widget=forms.Textarea(attrs={"rows": 6}),
                           help_text="请写明对哪一职业（工种）哪一名获奖选手有异议及事实依据，10～2000 字。")
    attachment = forms.FileField(label="证明材料（可选）", required=False,
                                 help_text="PDF 或 JPG/PNG 图片，不超过 10 MB。")
    # Filled by robots that fill every field; hidden from people (and from screen readers).
    website = forms.CharField(label="网址", required=False)
    stamp = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, field in self.fields.items():
            field.widget.attrs.setdefault("class", "form-control")
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})


class HandlingForm(forms.Form):
    outcome = forms.ChoiceField(label="处理结果")
    result = forms.CharField(label="处理意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                             help_text="写明核查经过、结论，以及如何答复异议人。")

    def __init__(self, *args, **kwargs):
        from .models import Objection

        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [c for c in Objection.Outcome.choices if c[0] != Objection.Outcome.PENDING]
        self.fields["outcome"].widget.attrs["class"] = "form-select"
        self.fields["result"].widget.attrs["class"] = "form-control"


class DismissForm(forms.Form):
    """The queue's bulk action: the ticked objections closed as duplicates or abuse, with the reason."""

    objection = forms.TypedMultipleChoiceField(coerce=int, error_messages={"required": "请勾选要处理的异议。"})
    outcome = forms.ChoiceField(label="标记为")
    reason = forms.CharField(label="理由", max_length=1000,
                             help_text="写明为何属于重复提交或恶意提交（例如：与编号 12 内容相同；同一时段大量无实质内容的提交）。")

    def __init__(self, *args, choosable=(), **kwargs):
        from .models import Objection

        super().__init__(*args, **kwargs)
        self.fields["objection"].choices = [(pk, pk) for pk in choosable]
        self.fields["outcome"].choices = [c for c in Objection.Outcome.choices if c[0] in Objection.DISMISSALS]
        self.fields["outcome"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["reason"].widget.attrs["class"] = "form-control form-control-sm"


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回原因", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
