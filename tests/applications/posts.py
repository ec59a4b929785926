"""POST bodies as the application pages send them (formset management forms included)."""

from demo.scenario_data import JUDGE_POOL, PLAN_TEXT


def application_post(action="save", *, co=(), co_deleted=(), **overrides) -> dict:
    data = {"_page": "application", "action": action, "title": "2026年测试职工技能竞赛", "cycle": "2026",
            "start_date": "2026-07-01", "end_date": "2026-09-20", "contact_person": "王芳",
            "contact_phone": "010-62510001", **PLAN_TEXT,
            "co-TOTAL_FORMS": str(len(co)), "co-INITIAL_FORMS": "0", "co-MIN_NUM_FORMS": "0", "co-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(co):
        for key, value in row.items():
            data[f"co-{i}-{key}"] = value
        if i in co_deleted:
            data[f"co-{i}-DELETE"] = "on"
    data.update(overrides)
    return data


def trade_post(action="save", *, occupation="4-04-05-05 人工智能训练师", category="innovative", field="ai",
               certifiable="1", participants="250", judges=None, judges_deleted=(), judges_initial=3,
               budget=None, budget_deleted=(), prizes=((3, "5000.00"), (6, "3000.00"), (9, "2000.00")),
               subsidy="70000.00", trade_key="new", **overrides) -> dict:
    judges = [
        {"name": n, "employer": e, "title": t, "experience": x} for n, e, t, x in JUDGE_POOL[:3]
    ] if judges is None else judges
    budget = [
        {"item": "venue", "description": "场地租赁", "amount": "40000.00"},
        {"item": "prizes", "description": "奖金", "amount": "60000.00"},
    ] if budget is None else budget
    data = {"_page": "trade", "_trade": str(trade_key), "action": action, "occupation": occupation,
            "custom_name": "", "standard_reference": "", "level": "3", "certifiable": certifiable,
            "category": category, "field": field, "planned_participants": participants, "venue": "竞赛专用场地",
            "preliminary_date": "2026-07-10", "final_date": "2026-09-10", "judging_method": "理论+实操",
            "subsidy_requested": subsidy,
            "judges-TOTAL_FORMS": str(len(judges)), "judges-INITIAL_FORMS": str(min(judges_initial, len(judges))),
            "judges-MIN_NUM_FORMS": "0", "judges-MAX_NUM_FORMS": "1000",
            "budget-TOTAL_FORMS": str(len(budget)), "budget-INITIAL_FORMS": "0",
            "budget-MIN_NUM_FORMS": "0", "budget-MAX_NUM_FORMS": "1000"}
    for prefix, rows, deleted in (("judges", judges, judges_deleted), ("budget", budget, budget_deleted)):
        for i, row in enumerate(rows):
            for key, value in row.items():
                data[f"{prefix}-{i}-{key}"] = value
            if i in deleted:
                data[f"{prefix}-{i}-DELETE"] = "on"
    for rank, (count, amount) in enumerate(prizes, 1):
        data[f"prize{rank}-count"], data[f"prize{rank}-amount"] = str(count), amount
    data.update(overrides)
    return data
