"""Forms of the year's call for applications."""

from django import forms

from haidian_contest.forms import MultipleFileField

from .models import Call

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CallForm(forms.ModelForm):
    attachments = MultipleFileField(label="附件", required=False,
                                    help_text="通知附件（如申报表模板），PDF、DOCX 或 XLSX，可多选。")

    class Meta:
        model = Call
        fields = ["cycle", "title", "notice", "opens_at", "closes_at", "planned_competitions", "budget"]
        widgets = {"notice": forms.Textarea(attrs={"rows": 10}), "opens_at": DATETIME, "closes_at": DATETIME}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("opens_at", "closes_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
        if self.instance.pk:
            self.fields["cycle"].disabled = True
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", "截止时间须晚于开始时间。")
        return data

    def clean_attachments(self):
        from .attachments import inspect_upload

        files = self.cleaned_data.get("attachments") or []
        for uploaded in files:
            inspect_upload(uploaded)
        return files


class ExtendCallForm(forms.Form):
    closes_at = forms.DateTimeField(label="新的截止时间", widget=DATETIME,
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")
