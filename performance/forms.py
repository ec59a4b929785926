"""Forms of the performance pages. Rules live in the rules module and the services; forms only parse."""

from django import forms

from haidian_contest import rules
from haidian_contest.forms import MultipleFileField, MultipleFileInput

from .models import AuditDecision, EventDocument


class ReportForm(forms.Form):
    """4.1: one text area per section the measures list."""

    def __init__(self, *args, report=None, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in rules.REPORT_SECTIONS:
            self.fields[key] = forms.CharField(
                label=label, required=False, initial=(report or {}).get(key, ""),
                widget=forms.Textarea(attrs={"rows": 2 if key == "name" else 4, "data-report-section": key}),
            )


class StampedReportForm(forms.Form):
    file = forms.FileField(label="盖章扫描件（PDF）", widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))


class PhotosForm(forms.Form):
    photos = MultipleFileField(label="现场照片（可多选）", widget=MultipleFileInput(attrs={"accept": "image/*"}))


class VideoUploadForm(forms.Form):
    file = forms.FileField(label="剪辑视频文件", widget=forms.ClearableFileInput(attrs={"accept": "video/*"}))


class VideoLocationForm(forms.Form):
    location = forms.CharField(label="视频存档目录中的路径", max_length=500)


class RecordingForm(forms.Form):
    location = forms.CharField(label="决赛全程录像存放位置", max_length=500,
                               help_text="例如：区总工会档案室光盘柜 A-12，或单位服务器路径")
    kept_until = forms.DateField(label="保存至", widget=forms.DateInput(attrs={"type": "date"}))


class EventDocumentForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=EventDocument.KINDS)
    title = forms.CharField(label="标题", max_length=200, required=False)
    file = forms.FileField(label="文件")


class SupervisionForm(forms.Form):
    visited_on = forms.DateField(label="督导日期", widget=forms.DateInput(attrs={"type": "date"}))
    staff = forms.CharField(label="督导人员", max_length=200)
    observations = forms.CharField(label="督导情况", widget=forms.Textarea(attrs={"rows": 4}))
    photos = MultipleFileField(label="现场照片（可多选，可不传）", required=False,
                               widget=MultipleFileInput(attrs={"accept": "image/*"}))


class AuditDecisionForm(forms.Form):
    decision = forms.ChoiceField(label="审核结论", choices=AuditDecision.DECISIONS, widget=forms.RadioSelect)
    comment = forms.CharField(label="审核意见（退回或不通过须填写）", required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    banner_confirmed = forms.BooleanField(required=False)
    branding_confirmed = forms.BooleanField(required=False)
    # 3.5: only asked when the materials came in after the two-week deadline.
    lateness = forms.ChoiceField(label="逾期提交豁免申请", required=False,
                                 choices=[("", "—"), ("accept", "同意豁免"), ("refuse", "不同意")])
    lateness_reason = forms.CharField(label="审核理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def lateness_decision(self) -> bool | None:
        return {"accept": True, "refuse": False}.get(self.cleaned_data.get("lateness") or "")
