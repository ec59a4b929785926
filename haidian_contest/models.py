from django.db import models


class DeferredTask(models.Model):
    """A background task that could not reach the broker; resent by `resend_deferred_tasks`."""

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["id"]


class CalendarDay(models.Model):
    """The State Council's holiday arrangement of a year, kept by the administrator: public holidays
    (法定节假日) and the weekend days worked in exchange (调休上班日). Working-day periods (the winners'
    public notice) read it through haidian_contest.calendar; the arithmetic is rules.working_days."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "法定节假日"
        WORKDAY = "workday", "调休上班日"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    name = models.CharField("名称", max_length=50, help_text="如：国庆节")

    class Meta:
        verbose_name = "节假日与调休日"
        verbose_name_plural = "节假日与调休日"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}（{self.name}）"
