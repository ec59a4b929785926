"""Reads of the agreement, the schedule and the ledger, shared by views, the panel and the export.

List pages go through `project_ledgers`, which loads any number of projects in a fixed number
of queries; single-row helpers are for the services, which work under a row lock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property, partial

from django.db import connections
from django.db.models import Prefetch
from django.utils import timezone

from applications import performance_plan
from applications.models import Application, ExpectedResults
from haidian_contest import rules
from haidian_contest.workflow import APPROVED_STATES, State

from .models import UNION_ROLES, Agreement, LedgerEntry, Tranche
from .totals import Scope, Totals, allocate, scope_of, year_totals  # noqa: F401 - re-exported

ZERO = Decimal("0.00")
FEN = Decimal("0.01")
TRANCHE_LABELS = {1: "首笔资金（50%）", 2: "剩余资金（50%）"}
# The state from which each tranche is paid, and the states in which its payment may be reversed.
PAYABLE_STATE = {1: State.AGREEMENT_SIGNED, 2: State.AUDIT_PASSED}
REVERSIBLE_STATE = {1: State.IN_PROGRESS, 2: State.CLOSED}
CATEGORY_LABELS = dict(rules.CATEGORIES)
ROLE_LABELS = dict(UNION_ROLES)


# --- single rows (services) ---------------------------------------------------------------------


def current_agreement(application: Application) -> Agreement | None:
    return (
        Agreement.objects.filter(application_id=application.pk, superseded_by__isnull=True)
        .select_related("recorded_by")
        .first()
    )


def effective_payment(tranche: Tranche) -> LedgerEntry | None:
    """The payment of this tranche that no reversal cancels (there is never more than one)."""
    return (
        LedgerEntry.objects.select_related("created_by")
        .filter(tranche=tranche, kind=LedgerEntry.Kind.PAYMENT, reversed_by__isnull=True)
        .first()
    )


def tranche_1_paid_on(application: Application) -> date | None:
    """The date of the first tranche's payment in force (the ledger's, not the day it was registered)."""
    return (LedgerEntry.objects.filter(tranche__application=application, tranche__number=1,
                                       kind=LedgerEntry.Kind.PAYMENT, reversed_by__isnull=True)
            .values_list("paid_on", flat=True).first())


def reversal_count(tranche: Tranche) -> int:
    return LedgerEntry.objects.filter(tranche=tranche, kind=LedgerEntry.Kind.REVERSAL).count()


def payment_round(application: Application, number: int) -> int:
    """The round a payment form opened now belongs to: the tranche's reversals so far (0 before any)."""
    return LedgerEntry.objects.filter(
        tranche__application=application, tranche__number=number, kind=LedgerEntry.Kind.REVERSAL
    ).count()


_UNREAD = object()


def expected_results_finding(application: Application, outcome: ExpectedResults | None,
                             needs: bool | None = None) -> list[rules.Finding]:
    """2.3b "达到预期效果": a plan with performance targets waits for the department's outcome."""
    if needs is None:
        needs = performance_plan.needs_expected_results(application)
    if not needs or outcome is not None or application.state != State.AUDIT_PASSED:
        return []
    return [rules.Finding("2.3b", "expected_results_not_recorded",
                          "二（三）剩余资金须在绩效审核通过且达到预期效果后拨付：职工发展部尚未确认绩效自评结论"
                          "（达到预期效果、同意豁免或核减剩余资金）（不可豁免）", False)]


def tranche_2_due(agreement: Agreement | None, outcome: ExpectedResults | None) -> Decimal | None:
    """What tranche 2 pays: the agreement's amount, or the reduced amount the department decided."""
    if agreement is None:
        return None
    if outcome is not None and outcome.is_reduced:
        return outcome.tranche_2_amount
    return agreement.tranche_2_amount


def release_findings(application: Application, number: int, release_date: date, *,
                     has_agreement: bool | None = None, expected_results=_UNREAD,
                     needs_expected_results: bool | None = None) -> list[rules.Finding]:
    """What stands between this tranche and its release on that date (2.3a/2.3b)."""
    if has_agreement is None:
        has_agreement = current_agreement(application) is not None
    extra: list[rules.Finding] = []
    if number == 2:
        if expected_results is _UNREAD:
            expected_results = performance_plan.current_expected_results(application)
        extra = expected_results_finding(application, expected_results, needs_expected_results)
    return extra + rules.check_tranche_release(
        number,
        agreement_signed=has_agreement,
        release_date=release_date,
        competition_start=application.start_date,
        # The audit outcome is read from the workflow state, never from the performance app.
        audit_passed=application.state == State.AUDIT_PASSED,
    )


# --- whole projects (pages, panel, export) ------------------------------------------------------


@dataclass
class TrancheStatus:
    number: int
    scheduled: Decimal | None  # None until an agreement fixes it; tranche 2 as reduced, if it was
    entries: list[LedgerEntry]
    # The findings for a release today, computed when first asked for: the year ledger lists
    # thousands of tranches and never asks.
    find: Callable[[], list[rules.Finding]] = field(repr=False)
    state: State
    # The agreement's amount when the department reduced tranche 2 (2.3b); None otherwise.
    reduced_from: Decimal | None = None

    @cached_property
    def findings(self) -> list[rules.Finding]:
        return self.find()

    @property
    def label(self) -> str:
        if self.reduced_from is not None:
            return "剩余资金（核减后部分拨付）"
        return TRANCHE_LABELS[self.number]

    @property
    def paid(self) -> Decimal:
        return sum((e.amount for e in self.entries), ZERO)

    @property
    def outstanding(self) -> Decimal:
        return (self.scheduled or ZERO) - self.paid

    @property
    def effective(self) -> LedgerEntry | None:
        reversed_ids = {e.reverses_id for e in self.entries if e.reverses_id}
        return next((e for e in self.entries if e.is_payment and e.pk not in reversed_ids), None)

    @property
    def is_paid(self) -> bool:
        return self.effective is not None

    @property
    def blocking(self) -> list[rules.Finding]:
        return [f for f in self.findings if not f.waivable]

    @property
    def warnings(self) -> list[rules.Finding]:
        return [f for f in self.findings if f.waivable]

    @property
    def payable(self) -> bool:
        return not self.is_paid and not self.blocking and self.state == PAYABLE_STATE[self.number]

    @property
    def reversible(self) -> bool:
        return self.is_paid and self.state == REVERSIBLE_STATE[self.number]

    @property
    def status_label(self) -> str:
        if self.is_paid:
            return "已拨付"
        if self.payable:
            return "可拨付"
        return "未拨付"


class OwedAndPaid:
    """What a project is owed, has been paid and has still to be paid, from its two tranches: a
    project's own ledger and its line on the year ledger count them alike."""

    tranches: Sequence  # each with .scheduled (None without an agreement) and .paid

    @property
    def has_schedule(self) -> bool:
        raise NotImplementedError

    @property
    def scheduled(self) -> Decimal:
        # A reduced second tranche lowers what the project is owed: the rest is never paid.
        return sum((t.scheduled or ZERO for t in self.tranches), ZERO) if self.has_schedule else ZERO

    @property
    def paid(self) -> Decimal:
        return sum((t.paid for t in self.tranches), ZERO)

    @property
    def outstanding(self) -> Decimal:
        return self.scheduled - self.paid


@dataclass
class ProjectLedger(OwedAndPaid):
    application: Application
    agreement: Agreement | None
    tranches: list[TrancheStatus] = field(default_factory=list)

    @property
    def has_schedule(self) -> bool:
        return self.agreement is not None

    @property
    def union_role(self) -> str:
        return self.agreement.union_role if self.agreement else self.application.union_role

    @property
    def union_role_label(self) -> str:
        return ROLE_LABELS.get(self.union_role, "—")

    @property
    def entries(self) -> list[LedgerEntry]:
        return sorted((e for t in self.tranches for e in t.entries), key=lambda e: (e.created_at, e.pk))

    def tranche(self, number: int) -> TrancheStatus:
        return self.tranches[number - 1]

    def paid_by_category(self) -> dict[str, Decimal]:
        """Net paid split over the agreement's trades in proportion to their subsidy, to the fen."""
        if not self.agreement:
            return {}
        lines = list(self.agreement.lines.all())
        shares = allocate(self.paid, [line.amount for line in lines])
        out: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for line, share in zip(lines, shares, strict=True):
            out[line.category] += share
        return dict(out)

    def scheduled_by_category(self) -> dict[str, Decimal]:
        out: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for line in self.agreement.lines.all() if self.agreement else ():
            out[line.category] += line.amount
        return dict(out)


def ledger_applications(qs=None):
    """Projects that have a schedule or could get one: everything from 立项 on."""
    qs = Application.objects.all() if qs is None else qs
    # Sorted: a set's order follows the process's string hash seed, and the SQL is part of the totals'
    # cache key (funding.totals), which every process must compute alike.
    return qs.filter(status__in=sorted(APPROVED_STATES)).select_related("lead_organization")


def project_ledgers(applications, *, today: date | None = None) -> list[ProjectLedger]:
    """Schedule, entries and release findings for each project, in four queries whatever the count."""
    applications = list(applications)
    today = today or timezone.localdate()
    ids = [a.pk for a in applications]
    agreements = {
        a.application_id: a
        for a in Agreement.objects.filter(application_id__in=ids, superseded_by__isnull=True)
        .select_related("recorded_by")
        .prefetch_related("lines")
    }
    entries = LedgerEntry.objects.select_related("created_by").order_by("created_at", "id")
    tranches = defaultdict(dict)
    for t in Tranche.objects.filter(application_id__in=ids).prefetch_related(Prefetch("entries", queryset=entries)):
        tranches[t.application_id][t.number] = t
    outcomes = performance_plan.expected_results_by_application(ids)
    with_targets = performance_plan.applications_with_targets(ids)
    out = []
    for app in applications:
        agreement = agreements.get(app.pk)
        outcome = outcomes.get(app.pk)
        ledger = ProjectLedger(app, agreement)
        for n in (1, 2):
            tranche = tranches[app.pk].get(n)
            scheduled = (agreement.scheduled(n) if n == 1 else tranche_2_due(agreement, outcome)) if agreement else None
            reduced = agreement.tranche_2_amount if n == 2 and agreement and outcome and outcome.is_reduced else None
            ledger.tranches.append(
                TrancheStatus(
                    number=n,
                    scheduled=scheduled,
                    entries=list(tranche.entries.all()) if tranche else [],
                    find=partial(release_findings, app, n, today, has_agreement=agreement is not None,
                                 expected_results=outcome, needs_expected_results=app.pk in with_targets),
                    state=app.state,
                    reduced_from=reduced,
                )
            )
        out.append(ledger)
    return out


def project_ledger(application: Application) -> ProjectLedger:
    return project_ledgers([application])[0]


@dataclass
class YearLedger:
    cycle: int | None
    projects: list[ProjectLedger]
    total: Totals
    by_category: list[tuple[str, Totals]]
    by_role: list[tuple[str, Totals]]
    tranche_totals: list[tuple[str, Totals]]


def year_ledger(cycle: int | None, applications=None) -> YearLedger:
    """Every project of the year with its schedule and entries (the export, the dashboard), and the totals."""
    qs = year_projects(cycle, applications)
    totals = year_totals(qs)
    return YearLedger(cycle=cycle, projects=project_ledgers(qs), total=totals.total, by_category=totals.by_category,
                      by_role=totals.by_role, tranche_totals=totals.tranche_totals)


def year_projects(cycle: int | None, applications=None):
    """The ledger's projects of a year (all years if None), in the ledger's order."""
    qs = ledger_applications(applications)
    if cycle:
        qs = qs.filter(cycle=cycle)
    return qs.order_by("cycle", "lead_organization__name", "pk")


def ledger_cycles() -> list[int]:
    """The years that have a project in the ledger (and this year): each year once from its index, then
    whether it has one of the ledger's states — not a DISTINCT over every project's state."""
    table, states = Application._meta.db_table, sorted(APPROVED_STATES)
    with connections[Application.objects.db].cursor() as cursor:
        cursor.execute(
            f"SELECT y.cycle FROM (SELECT DISTINCT cycle FROM {table}) y WHERE EXISTS (SELECT 1 FROM {table} a "
            f"WHERE a.cycle = y.cycle AND a.status IN ({', '.join(['%s'] * len(states))}))", states)
        found = {cycle for (cycle,) in cursor.fetchall()}
    return sorted(found | {timezone.localdate().year}, reverse=True)


def queue_rows(ledgers: list[ProjectLedger]) -> dict[str, list[tuple[ProjectLedger, TrancheStatus]]]:
    """The finance queue: what can be paid now, and what is owed but locked (with the reason)."""
    payable, locked = [], []
    for ledger in ledgers:
        for t in ledger.tranches:
            if t.is_paid:
                continue
            (payable if t.payable else locked).append((ledger, t))
    return {"payable": payable, "locked": locked}


QUEUE_STATES = frozenset(
    {State.APPROVED, State.AGREEMENT_SIGNED, State.IN_PROGRESS, State.MATERIALS_SUBMITTED, State.AUDIT_RETURNED,
     State.AUDIT_PASSED}
)
