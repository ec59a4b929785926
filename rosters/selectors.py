"""Reads for the roster pages and the project-page panel, each in a fixed number of queries."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q

from applications.models import Trade
from haidian_contest import rules
from haidian_contest.money import MoneySum
from haidian_contest.rules.people import normalize_id
from haidian_contest.sql import db_datetime
from haidian_contest.workflow import APPROVED_STATES

from .identity import id_hash
from .importing.trades import trade_key
from .models import FirstPrizeRecord, Participant, RosterVersion, Winner

Kind = RosterVersion.Kind


def versions(application, kind: str):
    return RosterVersion.objects.filter(application=application, kind=kind).select_related("uploaded_by")


def current_version(application, kind: str) -> RosterVersion | None:
    return versions(application, kind).filter(is_current=True).first()


def plan_waivers(application) -> list[dict]:
    """The waivers recorded with the lists in force, with their decisions: passports on the roster
    (一（七）), then the winners list's departures from the plan (三（二））."""
    found = RosterVersion.objects.filter(application=application, is_current=True).only("kind", "plan_waivers")
    by_kind = {version.kind: version.plan_waivers for version in found}
    return [*by_kind.get(Kind.ROSTER, ()), *by_kind.get(Kind.WINNERS, ())]


def latest_version(application, kind: str) -> RosterVersion | None:
    return versions(application, kind).order_by("-number").first()


def current_and_latest(application) -> dict[str, tuple[RosterVersion | None, RosterVersion | None]]:
    """For each kind, (the version in force, the latest upload) in one query: the project page's panel
    asked for the four one by one."""
    latest = [versions(application, kind).order_by("-number").values("pk")[:1] for kind in (Kind.ROSTER, Kind.WINNERS)]
    found = list(
        RosterVersion.objects.filter(application=application)
        .filter(Q(is_current=True) | Q(pk__in=latest[0]) | Q(pk__in=latest[1]))
        .select_related("uploaded_by")
    )
    out = {}
    for kind in (Kind.ROSTER, Kind.WINNERS):
        own = [v for v in found if v.kind == kind]
        current = next((v for v in own if v.is_current), None)
        out[kind] = (current, max(own, key=lambda v: v.number, default=None))
    return out


@dataclass
class TradeCount:
    trade: Trade
    key: str
    planned: int
    actual: int
    members: int
    findings: list = field(default_factory=list)
    justification: str = ""

    @property
    def non_members(self) -> int:
        return self.actual - self.members


_LOOK_UP = object()


def trade_counts(application, roster=_LOOK_UP) -> list[TradeCount]:
    """1.7: participants per trade on the current roster (None: there is none yet), against the minimum
    (in principle). Without ``roster`` the current one is looked up."""
    roster = current_version(application, Kind.ROSTER) if roster is _LOOK_UP else roster
    trades = list(Trade.objects.filter(application=application).select_related("occupation").order_by("position", "id"))
    counts = {}
    if roster is not None:
        counts = {
            row["trade_id"]: row
            for row in Participant.objects.filter(application=application, is_current=True)
            .values("trade_id").annotate(n=Count("id"), members=Count("id", filter=Q(is_member=True)))
        }
    out = []
    for trade in trades:
        row = counts.get(trade.pk, {"n": 0, "members": 0})
        key = trade_key(trade)
        item = TradeCount(trade, key, trade.planned_participants, row["n"], row["members"])
        if roster is not None:
            item.findings = rules.check_participants(row["n"])
            item.justification = roster.count_justifications.get(key, "")
        out.append(item)
    return out


def participants(application, *, query: str = "", trade_id: int | None = None):
    qs = Participant.objects.filter(application=application, is_current=True).select_related("trade__occupation")
    if trade_id:
        qs = qs.filter(trade_id=trade_id)
    query = (query or "").strip()
    if query:
        number = normalize_id(query)
        if len(number) == 18 and number[:17].isascii() and number[:17].isdigit():
            qs = qs.filter(id_hash=id_hash(number))
        elif number.isascii() and number.isalnum():
            # A 2017 permanent-residence card or a passport number: a person by hash, or a name or unit.
            qs = qs.filter(Q(id_hash=id_hash(number)) | Q(name__contains=query) | Q(employer__contains=query))
        else:
            qs = qs.filter(Q(name__contains=query) | Q(employer__contains=query))
    return qs.order_by("trade__position", "row_number")


def winners(application):
    return (
        Winner.objects.filter(application=application, is_current=True)
        .select_related("participant", "trade__occupation")
        .order_by("trade__position", "rank", "row_number")
    )


@dataclass
class WinnerSummary:
    trade: Trade
    by_rank: dict
    total: Decimal
    waived: int


def winner_summary(application) -> list[WinnerSummary]:
    rows = (
        Winner.objects.filter(application=application, is_current=True)
        .values("trade_id", "rank")
        .annotate(n=Count("id"), total=MoneySum("amount"), waived=Count("id", filter=~Q(waiver_reason="")))
    )
    trades = {t.pk: t for t in Trade.objects.filter(application=application).select_related("occupation")}
    out: dict[int, WinnerSummary] = {}
    for row in rows:
        item = out.setdefault(row["trade_id"], WinnerSummary(trades[row["trade_id"]], {}, Decimal("0.00"), 0))
        item.by_rank[row["rank"]] = row["n"]
        item.total += row["total"] or Decimal("0.00")
        item.waived += row["waived"]
    return sorted(out.values(), key=lambda s: (s.trade.position, s.trade.pk))


def first_prize_records(*, query: str = "", trade_code: str = ""):
    qs = FirstPrizeRecord.objects.select_related("application")
    query = (query or "").strip()
    if query:
        number = normalize_id(query)
        if len(number) == 18 and number[:17].isascii() and number[:17].isdigit():
            qs = qs.filter(id_hash=id_hash(number))
        else:
            qs = qs.filter(name__contains=query)
    if trade_code:
        qs = qs.filter(trade_code=trade_code)
    return qs


def winners_filed_at(application):
    """When the winners list in force was imported (the project page's timeline)."""
    if application.state not in APPROVED_STATES:  # winners come after the approval: nothing to read
        return None
    # Two dates, not the whole version (its report and waivers are large), in plain SQL: read on every
    # project page, where the ORM's compiling cost more than the query.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(finished_at, uploaded_at) FROM {RosterVersion._meta.db_table} "
                       f"WHERE application_id = %s AND kind = %s AND is_current = %s ORDER BY id DESC",
                       [application.pk, RosterVersion.Kind.WINNERS.value, True])
        found = cursor.fetchone()
    return db_datetime(found[0]) if found else None
