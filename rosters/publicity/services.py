"""The winners' public notice (公示): publishing, withdrawing, objections and their handling.

Decisions, written down once:

* The department (职工发展部) publishes once the winners list in force has passed its checks: the
  import accepted it (1.7 winners on the roster, 2.4c prize caps with reasons) and every departure
  from the plan (三（二）) was accepted. The import itself waits for the day of the final (the
  winners' date gate), so no notice can come before the event.
* It may be published while the project runs and until the audit passes (prize money is final only
  after the period: see `notice_settled`).
* The period starts on the first working day after the day of publication and lasts
  PUBLIC_NOTICE_WORKING_DAYS working days (holidays and make-up days from the admin's table); it
  closes at 17:00 Beijing time on its last day. Objections are taken from publication to that
  moment.
* A correction is a withdrawal with a reason, then a new notice with a new period.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.permissions import require_role
from accounts.roles import Role
from applications import workflow_engine
from applications.models import Application
from haidian_contest import calendar, inspection, rules
from haidian_contest.workflow import State

from ..models import RosterVersion, Winner
from .models import NoticeEntry, Objection, ObjectionHandling, PublicNotice

PUBLISH_STATES = frozenset({State.IN_PROGRESS, State.MATERIALS_SUBMITTED, State.AUDIT_RETURNED})
OBJECTIONS_PER_ADDRESS_PER_HOUR = 5
OBJECTIONS_PER_ADDRESS_PER_DAY = 20
FILE_MAX_BYTES = 10 * 1024 * 1024
FILE_TYPES = {".pdf": "PDF", ".jpg": "JPG", ".jpeg": "JPG", ".png": "PNG"}


def live_notice(application) -> PublicNotice | None:
    """The notice not withdrawn (at most one), in period or ended."""
    return PublicNotice.objects.filter(application=application, withdrawn_at__isnull=True).first()


def winners_check_problems(application) -> list[str]:
    """Why the winners list in force may not be published yet (empty: it may)."""
    version = RosterVersion.objects.filter(application=application, kind=RosterVersion.Kind.WINNERS,
                                           is_current=True).first()
    if version is None or version.status != RosterVersion.Status.ACCEPTED:
        return ["获奖名单尚未导入并通过校验（一（七）、二（四））。"]
    problems = []
    for entry in version.plan_waivers:
        if entry.get("accepted") is None:
            problems.append(f"超出竞赛方案的事项尚待职工发展部审核：{entry.get('subject') or entry.get('message', '')}")
        elif not entry.get("accepted"):
            problems.append(f"超出竞赛方案的事项未获同意，请申报单位修改获奖名单后重新导入：{entry.get('subject') or ''}")
    return problems


def publish_problems(application) -> list[str]:
    problems = []
    if application.state not in PUBLISH_STATES:
        problems.append(f"项目当前状态为“{application.state.label}”，只有竞赛实施中至绩效审核通过前可以公示获奖名单。")
    if live_notice(application) is not None:
        problems.append("该项目已有公示；如需更正，请先撤回并说明原因，再重新发布。")
    return problems + winners_check_problems(application)


@transaction.atomic
def publish_notice(*, actor, application: Application) -> PublicNotice:
    require_role(actor, Role.REVIEWER)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    problems = publish_problems(locked)
    if problems:
        raise ValidationError(problems)
    version = RosterVersion.objects.get(application=locked, kind=RosterVersion.Kind.WINNERS, is_current=True)
    now = timezone.now()
    first, last = calendar.notice_period(timezone.localdate(now))
    notice = PublicNotice.objects.create(
        application=locked, winners_version=version, published_by=actor, published_at=now,
        working_days=calendar_days(), starts_on=first, ends_on=last, ends_at=calendar.closing_moment(last),
    )
    winners = (Winner.objects.filter(version=version, is_current=True)
               .select_related("participant", "trade").order_by("trade__position", "trade_id", "rank", "row_number"))
    NoticeEntry.objects.bulk_create([
        NoticeEntry(notice=notice, position=i, trade_name=w.trade.name, rank=w.rank, name=w.participant.name,
                    employer=w.participant.employer)
        for i, w in enumerate(winners)
    ])
    workflow_engine.record_event(application=locked, name="publish_notice", actor=actor, comment=period_text(notice))
    return notice


def calendar_days() -> int:
    from django.conf import settings

    return settings.PUBLIC_NOTICE_WORKING_DAYS


def period_text(notice: PublicNotice) -> str:
    return (f"公示期 {rules.chinese_date(notice.starts_on)} 至 {rules.chinese_date(notice.ends_on)} 17:00"
            f"（{notice.working_days} 个工作日），共 {notice.entries.count()} 名获奖选手。")


@transaction.atomic
def withdraw_notice(*, actor, notice: PublicNotice, reason: str) -> PublicNotice:
    """Take a notice down (to correct it): the reason is on the record; a new notice starts afresh."""
    require_role(actor, Role.REVIEWER)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写撤回公示的原因。")
    locked = PublicNotice.objects.select_for_update().get(pk=notice.pk)
    if locked.withdrawn:
        raise ValidationError("该公示已撤回。")
    if locked.application.state not in PUBLISH_STATES:
        raise ValidationError("绩效审核通过后，获奖名单及奖金已确定，不能撤回公示。")
    locked.withdrawn_at, locked.withdrawn_by, locked.withdraw_reason = timezone.now(), actor, reason
    locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
    workflow_engine.record_event(application=locked.application, name="withdraw_notice", actor=actor, comment=reason)
    return locked


# --- objections ---------------------------------------------------------------------------------


class Ignored(Exception):
    """The same text again from the same address: nothing new to record, and the visitor is thanked."""


def _digest(text: str) -> str:
    return hashlib.sha256("".join(text.split()).encode()).hexdigest()


def objection_refusal(notice: PublicNotice, now=None) -> str | None:
    now = now or timezone.now()
    if notice.withdrawn:
        return "该公示已撤回，不再受理异议。"
    if now >= notice.ends_at:
        return (f"公示期已于 {rules.chinese_date(notice.ends_on)} 17:00 结束，不再受理异议。"
                "如有问题，请与海淀区总工会职工发展部联系。")
    return None


def check_objection_file(upload) -> None:
    try:
        inspection.check_document(upload, allowed=FILE_TYPES, max_bytes=FILE_MAX_BYTES, what="证明材料")
    except inspection.FileRefused as exc:
        raise ValidationError({"attachment": f"{exc} 证明材料须为 PDF 文件或 JPG/PNG 图片。"}) from exc


@transaction.atomic
def lodge_objection(*, notice: PublicNotice, name: str, contact: str, text: str, upload=None,
                    ip: str = "") -> Objection:
    """Anyone, signed in or not. Refused after the period; too many from one address refused; the
    same text again from the same address is ignored (Ignored)."""
    locked = PublicNotice.objects.select_for_update().get(pk=notice.pk)
    refusal = objection_refusal(locked)
    if refusal:
        raise ValidationError(refusal)
    now = timezone.now()
    digest = _digest(text)
    from_here = Objection.objects.filter(ip_address=ip or None)
    if ip and from_here.filter(notice=locked, text_digest=digest).exists():
        raise Ignored()
    if ip and (from_here.filter(submitted_at__gte=now - timedelta(hours=1)).count() >= OBJECTIONS_PER_ADDRESS_PER_HOUR
               or from_here.filter(submitted_at__gte=now - timedelta(days=1)).count() >= OBJECTIONS_PER_ADDRESS_PER_DAY):
        raise ValidationError("提交过于频繁，请稍后再试；如情况紧急，请直接与海淀区总工会职工发展部联系。")
    # Across addresses too (a script waits out the form's seconds and skips the honeypot from many
    # addresses): counted under the notice's lock, so two at once cannot both take the last place.
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    if Objection.objects.filter(notice=locked, submitted_at__gte=today).count() >= settings.OBJECTIONS_PER_NOTICE_PER_DAY:
        raise ValidationError(notice_full_message())
    if upload is not None:
        check_objection_file(upload)
    objection = Objection(notice=locked, name=name.strip(), contact=contact.strip(), text=text.strip(),
                          ip_address=ip or None, text_digest=digest)
    if upload is not None:
        objection.file_name = upload.name[:255]
        objection.file = upload
    objection.save()  # the visitor has no account: the objection row itself is the record
    return objection


def notice_full_message() -> str:
    phone = settings.DEPARTMENT_PHONE
    call = f"请直接致电海淀区总工会职工发展部（电话：{phone}）" if phone else "请直接与海淀区总工会职工发展部电话联系"
    return f"本公示今日收到的异议已达上限，系统暂停受理网上异议至明日；如需反映情况，{call}。"


@transaction.atomic
def handle_objection(*, actor, objection: Objection, outcome: str, result: str) -> ObjectionHandling:
    require_role(actor, Role.REVIEWER)
    result = (result or "").strip()
    if outcome not in Objection.Outcome.values or outcome == Objection.Outcome.PENDING:
        raise ValidationError("请选择处理结果。")
    if not result:
        raise ValidationError("请填写处理意见（核查情况与结论）。")
    locked = Objection.objects.select_for_update().select_related("notice__application").get(pk=objection.pk)
    if locked.settled:
        raise ValidationError("该异议已办结；如需补充，请在项目记录中另行说明。")
    handling = ObjectionHandling.objects.create(objection=locked, outcome=outcome, result=result, actor=actor)
    locked.outcome = outcome
    locked.save(update_fields=["outcome"])
    label = Objection.Outcome(outcome).label
    workflow_engine.record_event(application=locked.notice.application, name="handle_objection", actor=actor,
                                 comment=f"异议（编号 {locked.pk}）：{label}。{result}")
    return handling


@transaction.atomic
def dismiss_objections(*, actor, objection_ids, outcome: str, reason: str) -> list[Objection]:
    """Close many open objections at once as duplicates or abuse (a flood must not hold up the audit):
    each gets a handling with the reason, and each project's record says which ones and why."""
    require_role(actor, Role.REVIEWER)
    reason = (reason or "").strip()
    if outcome not in Objection.DISMISSALS:
        raise ValidationError("批量处理只能标记为“重复提交”或“恶意或无实质内容的提交”。")
    if not reason:
        raise ValidationError("请填写批量处理的理由。")
    chosen = list(Objection.objects.select_for_update().filter(pk__in=list(objection_ids))
                  .select_related("notice__application").order_by("pk"))
    if not chosen:
        raise ValidationError("请勾选要处理的异议。")
    settled = [o.pk for o in chosen if o.settled]
    if settled:
        raise ValidationError(f"以下异议已办结，请取消勾选：{'、'.join(map(str, settled))}。")
    ObjectionHandling.objects.bulk_create(
        [ObjectionHandling(objection=o, outcome=outcome, result=reason, actor=actor) for o in chosen])
    Objection.objects.filter(pk__in=[o.pk for o in chosen]).update(outcome=outcome)
    label = Objection.Outcome(outcome).label
    by_project: dict[int, list[Objection]] = {}
    for objection in chosen:
        objection.outcome = outcome
        by_project.setdefault(objection.notice.application_id, []).append(objection)
    for objections in by_project.values():
        numbers = "、".join(str(o.pk) for o in objections)
        workflow_engine.record_event(application=objections[0].notice.application, name="handle_objection",
                                     actor=actor, comment=f"批量处理异议（编号 {numbers}，共 {len(objections)} 件）："
                                                          f"{label}。{reason}"[:2000])
    return chosen


# --- the guard ----------------------------------------------------------------------------------


@workflow_engine.register_guard("winners_notice_settled")
def notice_settled(application) -> list[str]:
    """Prize money is final only after the notice (2.3b, audit pass): when the department published
    one, its period must be over and every objection against any notice of the project settled, and
    a withdrawn notice must have been republished. A project whose winners were never published is
    not held up: the measures do not require a notice."""
    notices = list(PublicNotice.objects.filter(application=application))
    if not notices:
        return []
    reasons = []
    live = next((n for n in notices if not n.withdrawn), None)
    if live is None:
        reasons.append("获奖名单公示已撤回，尚未重新发布。")
    elif live.in_period():
        reasons.append(f"获奖名单公示期至 {rules.chinese_date(live.ends_on)} 17:00，公示期结束前奖金不能确定。")
    open_count = Objection.objects.filter(notice__application=application).exclude(outcome__in=Objection.FINAL).count()
    if open_count:
        reasons.append(f"尚有 {open_count} 件公示异议未办结。")
    return reasons
