"""The project's trades as the workbooks name them: by occupation code, "code name", or name."""

import re
from dataclasses import dataclass

from applications.models import Occupation, Trade

_SPLIT = re.compile(r"[\s（(]")


@dataclass(frozen=True)
class TradeRef:
    id: int
    key: str  # the occupation code; a non-standard trade's name
    name: str
    category: str

    @property
    def label(self) -> str:
        return f"{self.name}（{self.key}）" if self.key != self.name else self.name

    @property
    def choice(self) -> str:
        """What the template's drop-down offers."""
        return f"{self.key} {self.name}" if self.key != self.name else self.name


def trade_key(trade: Trade) -> str:
    return trade.code or trade.custom_name or trade.name


class ProjectTrades:
    def __init__(self, application):
        trades = Trade.objects.filter(application=application).select_related("occupation").order_by("position", "id")
        self.refs = [TradeRef(t.pk, trade_key(t), t.name, t.category) for t in trades]
        self._lookup: dict[str, TradeRef] = {}
        for ref in self.refs:
            for word in (ref.key, ref.name, ref.choice, ref.label):
                self._lookup.setdefault(word, ref)

    def resolve(self, value: str) -> TradeRef | None:
        if not value:
            return None
        found = self._lookup.get(value)
        if found is None:
            found = self._lookup.get(_SPLIT.split(value, maxsplit=1)[0])
        return found

    def by_key(self) -> dict[str, TradeRef]:
        return {ref.key: ref for ref in self.refs}

    def listing(self) -> str:
        return "、".join(ref.choice for ref in self.refs)


def labels_for(codes, known: dict[str, str] | None = None) -> dict[str, str]:
    """"人工智能训练师（4-04-05-05）" for each code, from the catalogue (one query)."""
    known = dict(known or {})
    missing = [c for c in set(codes) if c not in known]
    if missing:
        for code, name in Occupation.objects.filter(code__in=missing).values_list("code", "name"):
            known[code] = f"{name}（{code}）"
    return {c: known.get(c, c) for c in set(codes) | set(known)}
