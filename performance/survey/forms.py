"""The questionnaire as a phone shows it: identity, five ratings, one yes/no, one free text."""

from __future__ import annotations

import unicodedata

from django import forms

from .models import AGAIN_CHOICES, LIKERT_CHOICES, LIKERT_QUESTIONS, SUGGESTION_MAX_CHARS, SUGGESTION_QUESTION
from .services import Answers, normalize_name, tail_problem

# Bidirectional overrides and isolates reorder what a reader sees (a suggestion can be made to read
# backwards in the report); the other format and control characters have no place in a suggestion.
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ALLOWED_CONTROLS = {"\n", "\r", "\t"}


def control_characters(text: str) -> bool:
    return any((unicodedata.category(ch) == "Cc" and ch not in ALLOWED_CONTROLS) or ch in BIDI_CONTROLS
               for ch in text)


class SurveyForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50, error_messages={"required": "请填写姓名。"})
    id_tail = forms.CharField(label="身份证号后6位", max_length=12,
                              error_messages={"required": "请填写身份证号后6位。"})
    again = forms.ChoiceField(label="今后是否愿意再次参加此类竞赛？", choices=AGAIN_CHOICES, widget=forms.RadioSelect,
                              error_messages={"required": "请回答此题。"})
    suggestion = forms.CharField(label=SUGGESTION_QUESTION, required=False, max_length=SUGGESTION_MAX_CHARS,
                                 widget=forms.Textarea(attrs={"rows": 4, "maxlength": SUGGESTION_MAX_CHARS}),
                                 error_messages={"max_length": f"意见建议请控制在 {SUGGESTION_MAX_CHARS} 字以内。"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        likert = {}
        for key, question in LIKERT_QUESTIONS:
            likert[key] = forms.TypedChoiceField(label=question, choices=LIKERT_CHOICES, coerce=int,
                                                 widget=forms.RadioSelect, error_messages={"required": "请回答此题。"})
        # Identity first, the ratings next, then the two last questions.
        self.fields = {"name": self.fields["name"], "id_tail": self.fields["id_tail"], **likert,
                       "again": self.fields["again"], "suggestion": self.fields["suggestion"]}

    def clean_name(self):
        name = normalize_name(self.cleaned_data["name"])
        if not name or control_characters(name):
            raise forms.ValidationError("请填写与报名时一致的姓名。")
        return name

    def clean_id_tail(self):
        value = self.cleaned_data["id_tail"]
        problem = tail_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return value

    def clean_suggestion(self):
        text = self.cleaned_data["suggestion"]
        if control_characters(text):
            raise forms.ValidationError("意见建议中含有不可见的控制字符，请删除后再提交。")
        return text.replace("\r\n", "\n").strip()

    def likert_fields(self):
        return [self[key] for key, _q in LIKERT_QUESTIONS]

    def answers(self) -> Answers:
        data = self.cleaned_data
        return Answers(likert={key: data[key] for key, _q in LIKERT_QUESTIONS}, again=data["again"],
                       suggestion=data["suggestion"])
