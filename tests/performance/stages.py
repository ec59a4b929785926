"""Performance stages for lifecycle tests, built through the services as the organizer and the
department would act.

in_progress (funding stages) → materials_complete → materials_submitted → audit_passed.
Signatures are shared with other apps' tests: keep them stable.
"""

from __future__ import annotations

from datetime import timedelta

from applications.models import Application
from haidian_contest import rules
from performance import audit, services
from tests.clock import between, on_or_after
from tests.funding.stages import agreement_signed, tranche_1_paid
from tests.review.stages import approved_application

from .media import clip_upload, pdf_upload, photo_uploads

SECTION_TEXT = {
    "name": "2026年中关村智造产业园人工智能与智能制造职工技能竞赛",
    "purpose": "弘扬工匠精神，提升园区职工在人工智能训练、工业机器人运维和数控加工方面的职业技能。",
    "participants": "本次竞赛共有770名职工实名参赛。",
    "course": "竞赛分初赛和决赛两个阶段进行，初赛为理论知识考试，决赛为实际操作考核，评委现场评审打分。",
    "winners": "三个工种共评出一等奖9名、二等奖18名、三等奖27名，获奖名单已报区总工会备案。",
    "funds": "区总工会补助资金与单位自筹资金按预算科目使用，主要用于场地、评委劳务、奖金、耗材、摄像和宣传。",
    "results": "参赛职工技能水平明显提升，多名选手取得职业技能等级证书，形成了比学赶超的良好氛围。",
    "suggestions": "选手建议增加实操练习时间，提前公布考核标准，并在赛后组织优秀选手经验交流。",
    "shortcomings": "部分工种报名时间较紧，个别场次赛程安排较密，今后将提前筹备并优化日程。",
}


def report_text(chars: int = 1500) -> dict[str, str]:
    """The nine sections of 4.1, padded in the course section to `chars` characters in total."""
    sections = dict(SECTION_TEXT)
    used = sum(len("".join(v.split())) for v in sections.values())
    filler = "竞赛组织有序，各环节衔接顺畅。"
    extra = max(chars - used, 0)
    sections["course"] += (filler * (extra // len(filler) + 1))[:extra]
    return sections


def in_progress(organizer, reviewer, approver, finance, key: str = "A", **overrides) -> Application:
    """Approved (联合主办), agreement signed, tranche 1 paid: 竞赛实施中. ``overrides``: application fields."""
    app = approved_application(organizer, reviewer, approver, key, union_role="co_host", **overrides)
    app = agreement_signed(app, reviewer)
    return tranche_1_paid(app, finance)


def materials_complete(application: Application, organizer, *, photos: int = 50, video_seconds: int = 1260,
                       chars: int = 1500) -> Application:
    """Every material of 4.1, 4.2 and 1.8 in order (no findings), not yet submitted."""
    services.save_report(application=application, actor=organizer, sections=report_text(chars))
    services.upload_stamped_report(application=application, actor=organizer, upload=pdf_upload())
    services.add_photos(application=application, actor=organizer, uploads=photo_uploads(photos))
    services.upload_video(application=application, actor=organizer, upload=clip_upload(video_seconds))
    services.set_recording(application=application, actor=organizer, location="区总工会档案室光盘柜 A-12",
                           kept_until=rules.retention_until(application.end_date))
    application.refresh_from_db()
    return application


def materials_submitted(application: Application, organizer) -> Application:
    """Submitted after the event (3.5 gate) and within its two weeks: on time, whatever day it is."""
    end = application.end_date
    with between(end + timedelta(days=1), rules.materials_deadline(end)):
        services.submit_materials(application=application, actor=organizer)
    application.refresh_from_db()
    return application


def audit_passed(application: Application, reviewer, comment: str = "材料齐全，审核通过。") -> Application:
    with on_or_after(application.end_date + timedelta(days=1)):
        audit.decide_audit(
            application=application,
            actor=reviewer,
            decision="audit_pass",
            comment=comment,
            banner_confirmed=True,
            branding_confirmed=True,
        )
    application.refresh_from_db()
    return application


# A project held in the future: 2026-12-10 to 2026-12-20 (issue 15), running by 2026-11-02.
FUTURE_DATES = {"start_date": "2026-12-10", "end_date": "2026-12-20"}


def future_in_progress(organizer, reviewer, approver, finance) -> Application:
    from tests.clock import travel
    from datetime import date

    with travel(date(2026, 11, 2)):
        return in_progress(organizer, reviewer, approver, finance, "A", **FUTURE_DATES)


def expected_results_recorded(application: Application, reviewer, *, outcome: str | None = None,
                              reason: str = "测试：部分指标未达到，考虑到竞赛总体效果，同意全额拨付剩余资金。",
                              tranche_2_amount=None) -> Application:
    """AUDIT_PASSED: the department records the 2.3b outcome of the self-evaluation as it stands
    (reached at or above the threshold, else waived), unless one is recorded already."""
    from applications.performance_plan import current_expected_results
    from performance import self_evaluation

    evaluation = self_evaluation.self_evaluation(application)
    if evaluation is None or (outcome is None and current_expected_results(application) is not None):
        return application
    outcome = outcome or ("reached" if evaluation.reached else "waived")
    self_evaluation.record_expected_results(application, actor=reviewer, outcome=outcome,
                                            reason="" if outcome == "reached" else reason,
                                            tranche_2_amount=tranche_2_amount)
    application.refresh_from_db()
    return application
