"""Plays the 2026 cycle of shared/policy/SCENARIO.md through the services, as the people would.

Used by `manage.py seed_demo`. Every step goes through the same services the pages call, so the
demo carries the same audit trail, versions and ledger a real year would.
"""

from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from applications import services as app_services
from applications.evaluation import findings_for
from applications.models import Application, Occupation
from applications.selectors import application_with_trades
from funding import selectors as funding_selectors
from funding import services as funding_services
from review import services as review_services
from review.models import CHECKLIST_KEYS, CollectiveDecision, Meeting

from .scenario_data import APPLICATIONS, JUDGE_POOL, PLAN_TEXT, budget_lines

ALL_MET = {key: {"met": True, "note": ""} for key in CHECKLIST_KEYS}
OPINION = "方案完整，工种符合海淀区“1+X+1”产业布局，评委具有权威性，场地满足要求，同意提交集体决策。"
JUSTIFICATIONS = {
    "certifiable_share_low": "集成电路、区块链、物联网等新职业尚无对应的技能等级认定机构，暂不能取证；协会已与市职业技能鉴定中心沟通，2027 年起纳入认定。",
    "too_few_participants": "集成电路设计岗位从业人员集中在少数企业，首届竞赛预计报名 180 人。",
    "first_prize_over_cap": "创新类工种，为吸引高端人才参赛，一等奖拟提高至 8,000 元，资金由协会自筹部分列支。",
    "traditional_subsidy_high": "三家小微企业自筹能力有限，申请区总工会按预算 50% 补助。",
}
PAYEE_BANK = "中国工商银行北京海淀支行"


@contextmanager
def on(day: date):
    """Play a step on the day it happened in SCENARIO.md (10:00 Beijing time), so that the record,
    the rule checks and the date gates (haidian_contest.workflow.DATE_GATES) see that day."""
    import time_machine

    with time_machine.travel(datetime(day.year, day.month, day.day, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


def user(username: str) -> User:
    return User.objects.get(username=username)


def pdf_upload(name: str) -> SimpleUploadedFile:
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def trade_fields(spec: dict) -> dict:
    return dict(
        occupation=Occupation.objects.get(code=spec["code"]),
        level=spec["level"],
        certifiable=spec["certifiable"],
        category=spec["category"],
        field=spec["field"],
        planned_participants=spec["planned_participants"],
        venue="申报单位竞赛专用场地",
        judging_method="理论知识考试（30%）+ 实际操作考核（70%）",
        subsidy_requested=spec["subsidy"],
        judges=[{"name": n, "employer": e, "title": t, "experience": x} for n, e, t, x in (JUDGE_POOL * 2)[: spec["judges"]]],
        prizes=[{"rank": r, "count": c, "amount": Decimal(a)} for r, c, a in spec["prizes"]],
        budget_lines=budget_lines(spec["budget"]),
    )


def draft(key: str) -> Application:
    spec = APPLICATIONS[key]
    organizer = user(spec["organizer"])
    app = app_services.create_application(
        actor=organizer, title=spec["title"], cycle=2026, start_date=date.fromisoformat(spec["start"]),
        end_date=date.fromisoformat(spec["end"]), **PLAN_TEXT,
    )
    if spec["co_applicants"]:
        app_services.set_co_applicants(
            application=app,
            actor=organizer,
            co_applicants=[{"name": n, "org_type": t} for n, t in spec["co_applicants"]],
        )
    for trade_spec in spec["trades"]:
        app_services.save_trade(application=app, actor=organizer, **trade_fields(trade_spec))
    justify(app, organizer)
    return app


def justify(app: Application, organizer: User) -> None:
    findings = findings_for(application_with_trades(app))
    app_services.set_justifications(
        application=app,
        actor=organizer,
        justifications={f.key: JUSTIFICATIONS.get(f.code, "特殊情况说明。") for f in findings if f.waivable},
    )


def review_and_recommend(app: Application, reviewer: User, refuse: dict | None = None) -> None:
    """Start the review, decide every waiver (accept unless in `refuse`: code → reason)."""
    review = review_services.start_review(application=app, actor=reviewer)
    for finding in review_services.version_findings(version=review_services.current_version(application=app)):
        if finding["waivable"]:
            reason = (refuse or {}).get(finding["code"])
            review_services.decide_waiver(
                review=review,
                actor=reviewer,
                finding_key=finding["key"],
                accepted=reason is None,
                reason=reason or "理由充分，同意豁免。",
            )
    review_services.save_review(review=review, actor=reviewer, opinion=OPINION, checklist=ALL_MET)


def meeting(approver: User, session: str, day: date) -> Meeting:
    return Meeting.objects.filter(session=session).first() or review_services.create_meeting(
        actor=approver, date=day, session=session
    )


def to_party_group(app: Application, reviewer: User, day: date) -> None:
    review_services.recommend(application=app, actor=reviewer)
    review_services.record_collective_decision(
        application=app, actor=reviewer, outcome=CollectiveDecision.Outcome.APPROVED, date=day
    )


def approve(app: Application, approver: User, session: Meeting, union_role: str, subsidies: dict | None = None) -> None:
    item = review_services.add_to_agenda(meeting=session, application=app, actor=approver)
    amounts = {t.pk: (subsidies or {}).get(t.name, t.subsidy_requested) for t in app.trades.select_related("occupation")}
    review_services.record_party_decision(item=item, actor=approver, approved=True, union_role=union_role,
                                          approved_subsidies=amounts, note="经党组会研究，同意立项。")


def play_a(chenjing, liuyang, sunli) -> Application:
    """A: clean; approved as 联合主办 at the 15th meeting; agreement, tranche 1 (SCENARIO.md)."""
    with on(date(2026, 5, 20)):
        app = draft("A")
        from .self_evaluation import plan_targets

        plan_targets(app, user("wangfang"))
        app_services.submit_application(application=app, actor=user("wangfang"))
    with on(date(2026, 5, 27)):
        review_and_recommend(app, chenjing)
    with on(date(2026, 6, 1)):
        to_party_group(app, chenjing, date(2026, 6, 1))
    with on(date(2026, 6, 5)):
        approve(app, liuyang, meeting(liuyang, "2026年第15次党组会", date(2026, 6, 5)), "co_host")
    with on(date(2026, 6, 10)):
        funding_services.record_agreement(
            application=app,
            actor=chenjing,
            number="HDZGH-2026-007",
            signed_on=date(2026, 6, 10),
            union_role="co_host",
            scan=pdf_upload("HDZGH-2026-007 合作协议.pdf"),
        )
    agreement = funding_selectors.current_agreement(app)
    with on(date(2026, 6, 15)):
        funding_services.release_tranche(
            application=app, number=1, actor=sunli, paid_on=date(2026, 6, 15), voucher_no="记-2026-0615-03",
            payee=funding_services.Payee(app.lead_organization.name, PAYEE_BANK, "0200004509200012345"),
            amount=agreement.scheduled(1),
        )
    app.refresh_from_db()
    return app


def play_b(chenjing, liuyang) -> Application:
    """B: three waivers; the 180-participant one refused → returned; raised to 200 and resubmitted."""
    liqiang = user("liqiang")
    with on(date(2026, 6, 22)):
        app = draft("B")
        app_services.submit_application(application=app, actor=liqiang)
    with on(date(2026, 6, 29)):
        review_and_recommend(app, chenjing, refuse={"too_few_participants": "一（七）要求每场不少于 200 人，协会会员企业众多，应扩大动员范围。"})
        review_services.return_for_revision(
            application=app,
            actor=chenjing,
            comment="请将集成电路工程技术人员工种计划参赛人数提高至不少于 200 人后重新提交。",
        )
    app.refresh_from_db()
    with on(date(2026, 7, 6)):
        trade = app.trades.get(occupation__code="2-02-38-09")
        spec = next(t for t in APPLICATIONS["B"]["trades"] if t["code"] == "2-02-38-09")
        app_services.save_trade(
            application=app, actor=liqiang, trade=trade, **{**trade_fields(spec), "planned_participants": 200}
        )
        justify(app, liqiang)
        app_services.submit_application(application=app, actor=liqiang, comment="已按审核意见将参赛人数提高至 200 人。")
    app.refresh_from_db()
    with on(date(2026, 7, 14)):
        review_and_recommend(app, chenjing)
    with on(date(2026, 7, 20)):
        to_party_group(app, chenjing, date(2026, 7, 20))
    with on(date(2026, 7, 24)):
        approve(app, liuyang, meeting(liuyang, "2026年第16次党组会", date(2026, 7, 24)), "host")
    app.refresh_from_db()
    return app


def play_c(chenjing, liuyang) -> Application:
    """C: joint application, traditional-heavy; waiting on the next meeting's agenda for the cut."""
    with on(date(2026, 8, 10)):
        app = draft("C")
        app_services.submit_application(application=app, actor=user("zhaomin"))
    with on(date(2026, 8, 20)):
        review_and_recommend(app, chenjing)
    with on(date(2026, 11, 20)):
        to_party_group(app, chenjing, date(2026, 11, 20))
    with on(date(2026, 11, 23)):
        review_services.add_to_agenda(
            meeting=meeting(liuyang, "2026年第22次党组会", date(2026, 11, 27)), application=app, actor=liuyang
        )
    app.refresh_from_db()
    return app


CALL_NOTICE = """各有关单位：

根据《海淀区总工会鼓励开展职工职业技能竞赛管理办法（试行）》，现启动2026年度海淀区职工职业技能竞赛申报工作。
一、申报单位：区各委办局、区总工会直属基层工会、行业协会、园区、具备承办区级竞赛能力的企业；规模较小的非公组织可通过基层工会、行业主管部门或所在街镇联合申报。
二、申报要求：每项竞赛参赛人数原则上不少于 200 人，可取证工种原则上不少于所申报工种的 30%，每项竞赛评委不少于 3 人；请在线填写申报表、竞赛方案和分项预算。
三、补助标准：传统类工种补助原则上不超过该工种预算的 40%，创新类工种原则上不低于 60%，分两次拨付。
请于申报截止时间前在线提交。

海淀区总工会职工发展部"""


def year_call(chenjing: User):
    """The 2026 call for applications: open from the measures' entry into force to the year's end."""
    from zoneinfo import ZoneInfo

    from applications import calls
    from applications.models import Call

    existing = Call.objects.filter(cycle=2026).first()
    if existing:
        return existing
    tz = ZoneInfo("Asia/Shanghai")
    with on(date(2026, 4, 20)):  # published when the measures came into force, whenever the demo is seeded
        return calls.create_call(actor=chenjing, cycle=2026, title="关于开展2026年度海淀区职工职业技能竞赛申报工作的通知",
                                 notice=CALL_NOTICE, opens_at=datetime(2026, 4, 20, 9, 0, tzinfo=tz),
                                 closes_at=datetime(2026, 12, 31, 17, 0, tzinfo=tz), planned_competitions=10,
                                 budget=Decimal("2000000.00"))


def play_scenario() -> dict[str, Application]:
    chenjing, liuyang, sunli = user("chenjing"), user("liuyang"), user("sunli")
    year_call(chenjing)
    played = {}
    for key, play in (("A", lambda: finish_a(play_a(chenjing, liuyang, sunli), chenjing, sunli)), ("B", lambda: play_b(chenjing, liuyang)),
                      ("C", lambda: play_c(chenjing, liuyang))):
        existing = Application.objects.filter(title=APPLICATIONS[key]["title"]).first()
        played[key] = existing or play()
    return played


# ---------------------------------------------------------------- A after tranche 1 (SCENARIO.md)

REPORT = {
    "name": "2026年中关村智造产业园人工智能与智能制造职工技能竞赛",
    "purpose": "弘扬工匠精神，提升园区职工在人工智能训练、工业机器人运维和数控加工方面的职业技能，服务海淀“1+X+1”现代化产业体系。",
    "participants": "本次竞赛共有 770 名职工实名参赛，其中人工智能训练师 320 人、工业机器人系统运维员 240 人、多工序数控机床操作调整工 210 人。",
    "course": "竞赛于 2026 年 7 月 1 日启动，分初赛和决赛两个阶段进行。初赛为理论知识考试，决赛为实际操作考核，评委现场评审打分，区总工会职工发展部派员全程督导，决赛全程录像。",
    "winners": "三个工种共评出一等奖 9 名、二等奖 18 名、三等奖 27 名，获奖名单已报区总工会备案，获奖者均在参赛名单中并附参赛经历说明。",
    "funds": "区总工会补助资金 256,000.00 元与单位自筹资金按预算科目使用，主要用于场地、评委劳务、奖金、耗材、摄像和宣传，详见资金使用明细。",
    "results": "参赛职工技能水平明显提升，多名选手取得职业技能等级证书，园区企业据此选拔了一批技术骨干，形成了比学赶超的良好氛围。",
    "suggestions": "选手建议增加实操练习时间，提前公布考核标准，并在赛后组织优秀选手经验交流和技能传授活动。",
    "shortcomings": "部分工种报名时间较紧，个别场次赛程安排较密，今后将提前筹备、优化日程，并加强对非会员职工的动员。",
}


def _report_of_about(chars: int) -> dict:
    sections = dict(REPORT)
    used = sum(len("".join(v.split())) for v in sections.values())
    filler = "各环节组织有序，衔接顺畅，选手反响良好。"
    extra = max(chars - used, 0)
    sections["course"] += (filler * (extra // len(filler) + 1))[:extra]
    return sections


def _photo(dpi: int, n: int) -> SimpleUploadedFile:
    from io import BytesIO

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 200), (176, 22, 30))
    ImageDraw.Draw(image).rectangle((20, 70, 300, 130), fill=(255, 255, 255))
    out = BytesIO()
    image.save(out, "JPEG", dpi=(dpi, dpi), quality=80)
    return SimpleUploadedFile(f"现场照片{n:02d}.jpg", out.getvalue(), content_type="image/jpeg")


def _video(seconds: int) -> SimpleUploadedFile | None:
    """A tiny 1 fps clip of the given length (ffmpeg from Debian); None where ffmpeg is missing."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    if not shutil.which("ffmpeg"):
        return None
    path = Path(tempfile.mkdtemp(prefix="demo-video-")) / "决赛剪辑.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"color=c=red:s=16x16:r=1:d={seconds}", "-f", "lavfi",
         "-i", "anullsrc=r=8000:cl=mono", "-shortest", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
         "-b:a", "8k", str(path)], check=True, timeout=300,
    )
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="video/mp4")


def finish_a(app: Application, chenjing, sunli) -> Application:
    """Roster (planted problems, then 770), winners, materials (64 photos, one at 240 dpi flagged and
    removed; 42-minute video), audit passed 2026-10-12, tranche 2 paid."""
    from .rosters import play_rosters

    wangfang = user("wangfang")
    # Registration before the event (the roster has no date gate), winners once the final is held.
    with on(app.end_date):
        play_rosters(app, wangfang, waive=True)
        _survey_answers(app, wangfang)
    publish_winners(app, chenjing)
    with on(date(2026, 9, 28)):
        return _materials_to_tranche_2(app, wangfang, chenjing, sunli)


SURVEY_ANSWERS = [  # (organisation, judging, venue, usefulness, overall), again, suggestion
    ((5, 5, 4, 5, 5), "yes", "希望增加实操练习时间，赛前开放训练场地。"),
    ((4, 5, 3, 4, 4), "yes", "决赛场地有些拥挤，建议分批次进场。"),
    ((5, 4, 4, 5, 5), "yes", ""),
    ((3, 4, 2, 4, 3), "unsure", "休息区和饮水保障可以再改善。"),
    ((5, 5, 5, 5, 5), "yes", "赛后组织优秀选手经验交流。"),
    ((4, 4, 4, 3, 4), "no", ""),
]


def _survey_answers(app: Application, wangfang: User) -> None:
    """On the day of the final the organizer opens the satisfaction survey; a few participants answer."""
    from performance.survey import services as survey
    from rosters.models import Participant

    opened = survey.open_survey(actor=wangfang, application=app)
    people = Participant.objects.filter(application=app, is_current=True).order_by("row_number")[:len(SURVEY_ANSWERS)]
    for person, (ratings, again, text) in zip(people, SURVEY_ANSWERS):
        keys = [key for key, _q in survey.LIKERT_QUESTIONS]
        survey.submit_answer(survey=opened, name=person.name, id_tail=person.id_number[-6:], address="127.0.0.1",
                             answers=survey.Answers(likert=dict(zip(keys, ratings)), again=again, suggestion=text))
def publish_winners(app: Application, chenjing) -> None:
    """The department publishes the winners on Monday 2026-09-21: five working days from 9-22, over
    the Mid-Autumn holiday (9-25 to 9-27), to 9-29 17:00. One objection comes in and is answered."""
    from rosters import services as roster_services
    from rosters.models import RosterVersion
    from rosters.publicity import services as publicity

    with on(date(2026, 9, 21)):
        version = RosterVersion.objects.get(application=app, kind="winners", is_current=True)
        for entry in version.plan_waivers:
            if entry.get("accepted") is None:
                roster_services.decide_plan_waiver(application=app, actor=chenjing, key=entry["key"], accepted=True,
                                                   reason="创新类工种，奖金由承办单位自筹部分列支，同意。")
        notice = publicity.publish_notice(actor=chenjing, application=app)
    with on(date(2026, 9, 23)):
        objection = publicity.lodge_objection(
            notice=notice, name="赵先生", contact="zhao@example.com", ip="203.0.113.20",
            text="一名一等奖获奖者的工作单位与报名时填写的不一致，请核实其是否符合参赛条件。")
    with on(date(2026, 9, 24)):
        publicity.handle_objection(actor=chenjing, objection=objection, outcome="rejected",
                                   result="经与承办单位核实，该选手报名后调动工作，参赛时在职单位属实，参赛资格符合一（七）。已电话答复异议人。")


def _materials_to_tranche_2(app: Application, wangfang, chenjing, sunli) -> Application:
    from haidian_contest import rules
    from performance import audit
    from performance import services as perf

    perf.save_report(application=app, actor=wangfang, sections=_report_of_about(1500))
    perf.upload_stamped_report(application=app, actor=wangfang, upload=pdf_upload("竞赛总结报告（盖章）.pdf"))
    stored, _refused = perf.add_photos(
        application=app, actor=wangfang, uploads=[_photo(240 if n == 17 else 300, n) for n in range(1, 65)]
    )
    video = _video(42 * 60)
    if video is None:
        return app  # without ffmpeg the demo stops at materials in progress
    perf.upload_video(application=app, actor=wangfang, upload=video)
    perf.set_recording(application=app, actor=wangfang, location="中关村智造产业园工会档案室 光盘柜 A-12",
                       kept_until=rules.retention_until(app.end_date))
    low = [p for p in stored if (p.dpi_x or 0) < 300]
    for photo in low:
        perf.delete_photo(application=app, actor=wangfang, photo_id=photo.pk)
    from .self_evaluation import fill_self_evaluation, record_outcome

    fill_self_evaluation(app, wangfang, pdf_upload)
    perf.submit_materials(application=app, actor=wangfang)
    with on(date(2026, 10, 12)):
        audit.decide_audit(application=app, actor=chenjing, decision="audit_pass", comment="材料齐全，竞赛达到预期效果，审核通过。",
                           banner_confirmed=True, branding_confirmed=True)
        app.refresh_from_db()
        record_outcome(app, chenjing)
    agreement = funding_selectors.current_agreement(app)
    with on(date(2026, 10, 15)):
        funding_services.release_tranche(
            application=app, number=2, actor=sunli, paid_on=date(2026, 10, 15), voucher_no="记-2026-1015-07",
            payee=funding_services.Payee(app.lead_organization.name, PAYEE_BANK, "0200004509200012345"),
            amount=agreement.scheduled(2),
        )
    app.refresh_from_db()
    return app
