"""Forms of the public registration page and the department's decisions."""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError

from haidian_contest import rules

from .models import AccountRequest, UnitRegistration
from .registration import check_letter
from .validators import validate_credit_code

MOBILE = re.compile(r"^1[3-9]\d{9}$")


def _normalised(value: str) -> str:
    """Full-width digits and letters (typed with a Chinese input method) become ASCII; spaces go."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value or ""))


def mobile_number(value: str) -> str:
    mobile = _normalised(value)
    if not MOBILE.match(mobile):
        raise ValidationError("请填写 11 位手机号码。")
    return mobile


class StyledForm:
    def style(self):
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class UnitRegistrationForm(StyledForm, forms.ModelForm):
    letter = forms.FileField(label="授权委托书", help_text="加盖单位公章的 PDF 或 JPG/PNG 图片，不超过 10 MB。",
                             widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))

    class Meta:
        model = UnitRegistration
        fields = ["name", "org_type", "credit_code", "address", "contact_person", "contact_mobile", "contact_email"]
        help_texts = {
            "org_type": "依《管理办法》一（一）：委办局、直属基层工会、行业协会、园区、企业；"
                        "小微非公组织可通过所在街镇或上级工会联合申报。",
            "credit_code": "18 位，见营业执照或登记证书。",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_type"].choices = [("", "请选择")] + list(rules.ORG_TYPES)
        self.style()

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_credit_code(self):
        code = _normalised(self.cleaned_data["credit_code"]).upper()
        validate_credit_code(code)
        return code

    def clean_contact_mobile(self):
        return mobile_number(self.cleaned_data["contact_mobile"])

    def clean_contact_email(self):
        return self.cleaned_data["contact_email"].strip().lower()

    def clean_letter(self):
        letter = self.cleaned_data["letter"]
        check_letter(letter)
        return letter


class DecisionForm(forms.Form):
    reason = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))


class AccountRequestForm(StyledForm, forms.ModelForm):
    class Meta:
        model = AccountRequest
        fields = ["full_name", "mobile", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()

    def clean_mobile(self):
        return mobile_number(self.cleaned_data["mobile"])

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()
