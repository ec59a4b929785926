"""Which database constraint refused a write, in the words the user needs.

Services check everything first; a constraint only fires when something raced past those checks or
when the checks and the constraint disagree. Either way the message must name what actually
failed, not guess: only the unique agreement number says the number is taken.
"""

from __future__ import annotations

import re

from django.db import IntegrityError

# Constraint name, or "table.column" for a plain unique column (SQLite names columns, not indexes).
MESSAGES = {
    "funding_agreement_number": "协议编号“{number}”已被使用，请核对后重新填写。",
    "funding_agreement.number": "协议编号“{number}”已被使用，请核对后重新填写。",
    "funding_one_original_agreement": "该项目已登记合作协议（可能有同事刚刚登记）；如需更正，请登记更正协议。",
    "funding_agreement.application_id": "该项目已登记合作协议（可能有同事刚刚登记）；如需更正，请登记更正协议。",
    "funding_agreement_schedule_sums_to_total": "首笔与剩余资金之和与核定补助总额不一致，协议未登记。",
    "funding_agreement_tranches_not_negative": "协议约定的拨付金额不能为负数，协议未登记。",
    "funding_correction_has_reason": "更正协议须填写更正原因。",
    "funding_agreement.supersedes_id": "被更正的协议已有更正记录（可能有同事刚刚登记），请刷新后查看。",
    "funding_one_payment_per_round": "该批次本轮已有拨付或冲销记录，本次未入账。",
    "funding_entry_sign_matches_kind": "拨付金额须为正数、冲销金额须为负数且写明原因，本次未入账。",
    "funding_ledgerentry.reverses_id": "该笔拨付已被冲销，不能再次冲销。",
    "funding_ledgerentry.idempotency_key": "该表单已提交过，本次未重复入账。",
}
UNKNOWN = "数据未能保存：违反数据完整性约束（{detail}）。请刷新页面后重试，如仍失败请联系管理员。"

_SQLITE = re.compile(r"(?:CHECK|UNIQUE) constraint failed: (?P<what>[\w.]+(?:, [\w.]+)*)")


def failed_constraint(error: IntegrityError) -> str:
    """The constraint name (PostgreSQL), or the name / first "table.column" SQLite reports."""
    cause = error.__cause__
    diag = getattr(cause, "diag", None)
    name = getattr(diag, "constraint_name", None)
    if name:
        return name
    match = _SQLITE.search(str(error))
    if match:
        return match.group("what").split(", ")[0]
    return ""


def _lookup(name: str) -> str | None:
    if name in MESSAGES:
        return MESSAGES[name]
    # PostgreSQL names a unique=True column's index "<table>_<column>_<hash>_uniq" or "..._key".
    for key, message in MESSAGES.items():
        if "." not in key and name.startswith(key):
            return message
    return None


def integrity_message(error: IntegrityError, **values) -> str:
    name = failed_constraint(error)
    message = _lookup(name)
    if message is None:
        return UNKNOWN.format(detail=name or "未知约束")
    return message.format(**values)
