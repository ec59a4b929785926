"""The 2026 cycle of shared/policy/SCENARIO.md as plain data, for seed_demo and the lifecycle tests."""

from decimal import Decimal as D

PRIZES_STANDARD = [(1, 3, D("5000.00")), (2, 6, D("3000.00")), (3, 9, D("2000.00"))]
# C's small trades (budgets 40,000–60,000): the standard 51,000 of prizes would exceed a whole budget
# (三（一）); SCENARIO.md states prizes per trade for A only.
PRIZES_SMALL = [(1, 1, D("5000.00")), (2, 2, D("3000.00")), (3, 3, D("2000.00"))]

JUDGE_POOL = [
    ("张建国", "北京市职业技能鉴定指导中心", "高级考评员", "2024年北京市职工技能大赛裁判"),
    ("刘晓梅", "北京理工大学", "教授", "全国职业院校技能大赛评委"),
    ("陈立新", "中关村人工智能研究院", "高级工程师", "2025年海淀区技能竞赛评委"),
    ("王海涛", "北京电子科技职业学院", "高级技师", "北京市技术能手评审专家"),
    ("赵红", "海淀区人力资源和社会保障局", "一级高级技师", "市级一类竞赛裁判长"),
]


def trade(code, category, field, certifiable, participants, budget, subsidy, judges, prizes=None, level="3"):
    return {
        "code": code, "category": category, "field": field, "certifiable": certifiable,
        "planned_participants": participants, "budget": D(budget), "subsidy": D(subsidy),
        "judges": judges, "prizes": prizes or PRIZES_STANDARD, "level": level,
    }


APPLICATIONS = {
    "A": {
        "organizer": "wangfang",
        "title": "2026年中关村智造产业园人工智能与智能制造职工技能竞赛",
        "start": "2026-07-01", "end": "2026-09-20",
        "trades": [
            trade("4-04-05-05", "innovative", "ai", True, 320, "180000.00", "126000.00", 5),
            trade("6-31-07-01", "innovative", "emerging", True, 240, "150000.00", "90000.00", 4),
            trade("6-18-01-07", "traditional", "", True, 210, "100000.00", "40000.00", 3),
        ],
        "co_applicants": [],
    },
    "B": {
        "organizer": "liqiang",
        "title": "2026年海淀区信息安全与集成电路职工技能竞赛",
        "start": "2026-08-01", "end": "2026-10-30",
        "trades": [
            trade("4-04-04-02", "innovative", "ai", True, 260, "200000.00", "150000.00", 3),
            trade("2-02-38-09", "innovative", "emerging", False, 180, "160000.00", "96000.00", 3,
                  prizes=[(1, 3, D("8000.00")), (2, 6, D("3000.00")), (3, 9, D("2000.00"))]),
            trade("4-04-05-06", "innovative", "tech_services", False, 220, "90000.00", "54000.00", 3),
            trade("6-25-04-09", "innovative", "emerging", False, 230, "80000.00", "48000.00", 3),
        ],
        "co_applicants": [],
    },
    "C": {
        "organizer": "zhaomin",
        "title": "2026年学院路街道生活服务业职工技能竞赛（联合申报）",
        "start": "2026-09-01", "end": "2026-11-15",
        "trades": [
            trade("4-03-02-01", "traditional", "", True, 230, "60000.00", "30000.00", 3, prizes=PRIZES_SMALL),
            trade("4-10-01-05", "traditional", "", True, 200, "50000.00", "20000.00", 3, prizes=PRIZES_SMALL),
            trade("4-10-08-01", "traditional", "", False, 400, "40000.00", "16000.00", 3, prizes=PRIZES_SMALL),
        ],
        "co_applicants": [
            ("北京示例餐饮管理有限公司", "enterprise"),
            ("北京示例养老服务中心", "social_org"),
            ("北京示例同城配送有限公司", "enterprise"),
        ],
    },
}

PLAN_TEXT = {
    "purpose": "弘扬工匠精神，提升职工职业技能，服务海淀“1+X+1”现代化产业体系发展。",
    "scope": "海淀区相关行业、园区及企业在职职工，非会员职工可以个人名义参加。",
    "personnel": "参赛职工、评委专家、工作人员及区总工会督导人员。",
    "participating_units": "申报单位及其会员单位、相关企业。",
    "judging_method": "理论知识考试占30%，实际操作考核占70%，评委现场评审打分。",
    "schedule": "初赛、决赛按各工种计划分期进行。",
    "location": "申报单位专用竞赛场地。",
    "funding_source": "区总工会补助与申报单位自筹相结合，自筹部分由单位工会经费列支。",
}


def budget_lines(total: D) -> list[dict]:
    """An itemised budget adding up exactly to the trade's total (last line takes the remainder)."""
    shares = [("venue", "场地租赁", D("0.20")), ("judges", "评委劳务费", D("0.15")), ("prizes", "奖金", D("0.35")),
              ("materials", "竞赛耗材", D("0.15")), ("filming", "全程摄像", D("0.10"))]
    lines, used = [], D("0.00")
    for item, desc, share in shares:
        amount = (total * share).quantize(D("0.01"))
        lines.append({"item": item, "description": desc, "amount": amount})
        used += amount
    lines.append({"item": "publicity", "description": "宣传及横幅易拉宝", "amount": total - used})
    return lines
