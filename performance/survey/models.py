"""The participants' satisfaction survey: one public, anonymous questionnaire per project.

Anonymity is built into the tables, not promised by the views: an answer (SurveyAnswer) carries the
project and the answers only — no person, no time, and a random UUID key, so neither its key nor the
order it is read in tells when it came. That a participant has answered is a separate SurveyReceipt,
keyed by the roster's keyed hash of the ID number and written in the same transaction; its unique
constraint is what makes two submissions of one person record one answer. Nothing joins the two.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import Application

LIKERT_CHOICES = [(5, "非常满意"), (4, "满意"), (3, "一般"), (2, "不满意"), (1, "非常不满意")]
# The five Likert questions, in the order of the questionnaire: field name → question.
LIKERT_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("organisation", "您对本次竞赛的组织安排是否满意？"),
    ("judging", "您对评判（打分）的公平公正是否满意？"),
    ("venue", "您对比赛场地、设备和后勤保障是否满意？"),
    ("usefulness", "您对本次竞赛在提升职业技能方面的收获是否满意？"),
    ("overall", "总体而言，您对本次竞赛是否满意？"),
)
AGAIN_CHOICES = [("yes", "愿意"), ("unsure", "不确定"), ("no", "不愿意")]
AGAIN_QUESTION = "今后是否愿意再次参加此类竞赛？"
SUGGESTION_QUESTION = "您对竞赛有什么意见和建议？（选填）"
SUGGESTION_MAX_CHARS = 500


def new_token() -> str:
    # 128 bits: the address printed on the poster is the only key to the questionnaire.
    return secrets.token_urlsafe(16)


class Survey(models.Model):
    """A project's questionnaire, opened by the organizer; the token is its public address."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="survey")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("开启时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("满意度调查")
        verbose_name_plural = _("满意度调查")


def _likert(label):
    return models.PositiveSmallIntegerField(label, choices=LIKERT_CHOICES)


class SurveyAnswer(models.Model):
    """One anonymous questionnaire: no person, no timestamp, a random key (see the module's note)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    organisation = _likert(_("组织安排"))
    judging = _likert(_("评判公正"))
    venue = _likert(_("场地与保障"))
    usefulness = _likert(_("对技能提升的帮助"))
    overall = _likert(_("总体满意度"))
    again = models.CharField(_("是否愿意再次参加"), max_length=8, choices=AGAIN_CHOICES)
    suggestion = models.TextField(_("意见建议"), max_length=SUGGESTION_MAX_CHARS, blank=True)

    class Meta:
        verbose_name = _("满意度问卷")
        verbose_name_plural = _("满意度问卷")
        ordering = ["id"]  # random: never the order of arrival
        constraints = [
            models.CheckConstraint(
                condition=models.Q(**{f"{name}__gte": 1, f"{name}__lte": 5}), name=f"survey_{name}_1_to_5")
            for name, _question in LIKERT_QUESTIONS
        ]


class SurveyReceipt(models.Model):
    """That a participant (by the roster's keyed ID hash) has answered this project's questionnaire."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    person = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("问卷提交记录")
        verbose_name_plural = _("问卷提交记录")
        constraints = [models.UniqueConstraint(fields=["application", "person"], name="one_survey_answer_per_person")]
