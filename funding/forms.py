from django import forms
from django.utils import timezone

from .models import UNION_ROLES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgreementForm(forms.Form):
    number = forms.CharField(label="协议编号", max_length=50, help_text="例如 HDZGH-2026-007")
    signed_on = forms.DateField(label="签订日期", widget=DATE)
    union_role = forms.ChoiceField(label="区总工会角色", choices=[("", "请选择")] + list(UNION_ROLES))
    scan = forms.FileField(
        label="签署扫描件（PDF）", widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"})
    )


class AgreementCorrectionForm(AgreementForm):
    reason = forms.CharField(label="更正原因", widget=forms.Textarea(attrs={"rows": 2}))


class ReleaseForm(forms.Form):
    # One per rendered form: a second submission of the same form (double click, browser retry)
    # carries the same token and is recognised as the payment already made.
    token = forms.UUIDField(widget=forms.HiddenInput)
    # The tranche's round when the form was opened: after a reversal the token belongs to a past round.
    round = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    paid_on = forms.DateField(label="拨付日期", widget=DATE)
    voucher_no = forms.CharField(label="凭证号", max_length=50)
    payee_name = forms.CharField(label="收款账户名称", max_length=200)
    payee_bank = forms.CharField(label="开户银行", max_length=200)
    payee_account = forms.CharField(label="银行账号", max_length=50)
    amount = forms.DecimalField(
        label="拨付金额（元）", max_digits=14, decimal_places=2,
        widget=forms.NumberInput(attrs={"readonly": True, "step": "0.01", "class": "money bg-light"}),
        help_text="按协议约定金额自动填写，须与约定金额一致。",
    )
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    late_reason = forms.CharField(
        label="逾期拨付原因", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="拨付日期不早于竞赛开始日期时必填（二（三）：首笔资金应在比赛启动前拨付）。",
    )

    def __init__(self, *args, number: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        if number == 2:
            # Lateness is tranche 1's only waivable finding (二（三）); tranche 2 has none to explain.
            del self.fields["late_reason"]

    def clean_paid_on(self):
        value = self.cleaned_data["paid_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("拨付日期不能晚于今天。")
        return value


class ReverseForm(forms.Form):
    reason = forms.CharField(label="冲销原因", widget=forms.Textarea(attrs={"rows": 3}))
    reversed_on = forms.DateField(label="冲销日期", widget=DATE)
    voucher_no = forms.CharField(label="冲销凭证号", max_length=50, required=False)
