"""Reads of the review step: work queues, meetings, and the year's portfolio (二（一）)."""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Organization
from accounts.roles import Role
from applications.models import Application, Call, Trade
from applications.selectors import attach_totals, visible_applications, with_totals
from haidian_contest import rules
from haidian_contest.money import MoneyTotal
from haidian_contest.workflow import APPROVED_STATES, State

from .models import AgendaItem, ApprovalNotice, Meeting, Review, WaiverDecision

# Every waiver decision of a review, the superseded ones too (Review.current_waivers sorts them out).
WAIVERS_WITH_AUTHORS = Prefetch("waivers", queryset=WaiverDecision.objects.select_related("decided_by"))

ZERO = Decimal("0.00")

# States a reviewer may filter the queue by; "todo" (the default) is what waits for them.
QUEUE_STATES = (State.SUBMITTED, State.UNDER_REVIEW, State.RETURNED, State.REJECTED, State.RECOMMENDED,
                State.PENDING_PARTY, State.APPROVED, State.NOT_APPROVED)
TODO_STATES = (State.SUBMITTED, State.UNDER_REVIEW)
QUEUE_PAGE_SIZE = 20  # as the project list and the ledger
# What a queue row shows (the long texts of a project stay in the database).
QUEUE_FIELDS = ("cycle", "title", "status", "submitted_at", "submitted_version", "lead_organization_id",
                "lead_organization__name")
QUEUE_SORTS = {
    "submitted": ("submitted_at", "id"),
    "-submitted": ("-submitted_at", "-id"),
    "title": ("title", "id"),
    "organization": ("lead_organization__name", "id"),
    "-budget": ("-budget_total", "id"),
    "-subsidy": ("-subsidy_total", "id"),
    "status": ("status", "submitted_at", "id"),
}
TOTAL_SORTS = {"-budget", "-subsidy"}


def review_queue(user, *, cycle=None, status="todo", category="", organization=None, sort="submitted"):
    """Submitted applications, filtered and sorted; a total is computed in SQL only to sort by it
    (`queue_page` gives one page its totals and reviewers)."""
    qs = visible_applications(user).exclude(status=State.DRAFT).only(*QUEUE_FIELDS)
    if sort in TOTAL_SORTS:
        qs = with_totals(qs)
    if status == "todo" or not status:
        qs = qs.filter(status__in=TODO_STATES)
    elif status != "all":
        qs = qs.filter(status=status)
    if cycle:
        qs = qs.filter(cycle=cycle)
    if category:
        qs = qs.filter(Exists(Trade.objects.filter(application=OuterRef("pk"), category=category)))
    if organization:
        qs = qs.filter(lead_organization_id=organization)
    return qs.order_by(*QUEUE_SORTS.get(sort, QUEUE_SORTS["submitted"]))


def queue_page(user, *, number=None, per_page=QUEUE_PAGE_SIZE, **filters):
    """One page of the review queue with each row's totals and current reviewer: the count, the rows,
    and two look-ups on the page's ids, whatever the page size or the queue's length."""
    page = Paginator(review_queue(user, **filters), per_page).get_page(number)
    rows = attach_totals(page.object_list)
    rounds = {a.pk: a.submitted_version for a in rows}
    reviewers = {}
    if rounds:
        user = Review._meta.get_field("reviewer").related_model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT r.application_id, r.round, u.full_name FROM {Review._meta.db_table} r "
                           f"JOIN {user} u ON u.id = r.reviewer_id WHERE r.application_id IN "
                           f"({', '.join(['%s'] * len(rounds))})", list(rounds))
            reviewers = {app_id: name for app_id, round_, name in cursor.fetchall() if rounds[app_id] == round_}
    for a in rows:
        a.reviewer_name = reviewers.get(a.pk)
    page.object_list = rows
    return page


# The queue's filter options change when a unit first applies or a year opens: read at most once a
# minute (Django's cache, shared through Redis in production). A just-added unit can take that long to
# appear among the options; the rows themselves are never cached.
FILTER_OPTIONS_SECONDS = 60


def queue_cycles():
    return cache.get_or_set("review-queue:cycles", _queue_cycles, FILTER_OPTIONS_SECONDS)


def _queue_cycles():
    return list(Application.objects.exclude(status=State.DRAFT).values_list("cycle", flat=True).distinct().order_by("-cycle"))


def queue_organizations():
    """(id, name) of every unit that has applied, by name: the queue's unit filter."""
    return cache.get_or_set("review-queue:organizations", _queue_organizations, FILTER_OPTIONS_SECONDS)


def _queue_organizations():
    return list(Organization.objects.filter(Exists(Application.objects.filter(lead_organization=OuterRef("pk"))))
                .order_by("name").values_list("pk", "name"))


def collective_queue(user):
    """Recommended applications awaiting the collective decision, with the review opinion."""
    latest = Review.objects.filter(application=OuterRef("pk"), outcome=Review.Outcome.RECOMMENDED).order_by("-round")
    return (
        with_totals(visible_applications(user).filter(status=State.RECOMMENDED))
        .annotate(opinion=Subquery(latest.values("opinion")[:1]), reviewer_name=Subquery(latest.values("reviewer__full_name")[:1]))
        .order_by("submitted_at", "id")
    )


def meeting_list():
    return Meeting.objects.select_related("created_by").annotate(
        item_count=Count("items"),
        pending_count=Count("items", filter=Q(items__decision=AgendaItem.Decision.PENDING)),
        approved_count=Count("items", filter=Q(items__decision=AgendaItem.Decision.APPROVED)),
    )


def meeting_items(meeting: Meeting):
    """Agenda items with everything the decision forms need, in a fixed number of queries."""
    trades = Trade.objects.select_related("occupation").prefetch_related("budget_lines")
    apps = with_totals(Application.objects.select_related("lead_organization")).prefetch_related(
        Prefetch("trades", queryset=trades)
    )
    return list(
        meeting.items.select_related("decided_by")
        .prefetch_related(Prefetch("application", queryset=apps))
        .order_by("position", "id")
    )


def agenda_item(pk) -> AgendaItem:
    """One agenda item with its meeting and project, or 404 (the item actions of the meeting page)."""
    return get_object_or_404(AgendaItem.objects.select_related("meeting", "application"), pk=pk)


def agenda_candidates():
    """Projects through the collective decision and not yet on an undecided agenda."""
    on_agenda = AgendaItem.objects.filter(application=OuterRef("pk"), decision=AgendaItem.Decision.PENDING)
    return (
        Application.objects.select_related("lead_organization")
        .filter(status=State.PENDING_PARTY)
        .exclude(Exists(on_agenda))
        .order_by("submitted_at", "id")
    )


# ---------------------------------------------------------------- portfolio (二（一）)

@dataclass(frozen=True)
class Portfolio:
    cycle: int
    before: rules.PlanSummary
    after: rules.PlanSummary
    ruleset: rules.RuleSet
    year_budget: Decimal | None = None  # the subsidy budget of the year's call, if one was published

    @property
    def budget_left_before(self) -> Decimal | None:
        return None if self.year_budget is None else self.year_budget - self.before.subsidy

    @property
    def budget_left_after(self) -> Decimal | None:
        return None if self.year_budget is None else self.year_budget - self.after.subsidy

    @property
    def budget_findings(self) -> list[rules.Finding]:
        return rules.check_year_budget(self.before.subsidy, self.after.subsidy, self.year_budget,
                                       subject=f"{self.cycle}年度计划")

    @property
    def limit(self) -> Decimal:
        return self.ruleset.max_traditional_share

    @property
    def limit_percent(self) -> Decimal:
        return (self.ruleset.max_traditional_share * 100).normalize()

    @property
    def min_certifiable_percent(self) -> Decimal:
        return (self.ruleset.min_certifiable_share * 100).normalize()

    @property
    def breach_before(self) -> bool:
        return bool(self.before.findings)

    @property
    def breach_after(self) -> bool:
        return bool(self.after.findings)

    @property
    def on_the_line(self) -> bool:
        return self.after.total > 0 and self.after.traditional_share == self.limit

    @property
    def bars(self):
        return [("会前", self.before, self.breach_before), ("会后", self.after, self.breach_after)]

    @property
    def headroom(self) -> int | None:
        """How many more traditional trades the after-plan could take, none innovative added.

        From (t + k) ≤ L·(n + k): k ≤ (L·n − t) / (1 − L); None when the measures set no cap.
        """
        limit, t, n = self.limit, self.after.traditional, self.after.total
        if limit >= 1:
            return None
        room = (limit * n - t) / (1 - limit)
        return max(int(room), 0) if room >= 0 else 0


def _plan_trades(application_ids, typed: dict | None = None) -> dict[int, list[tuple[rules.PlanTrade, Trade]]]:
    budget = MoneyTotal("budget_lines__amount")  # exact on SQLite too (haidian_contest/money.py)
    rows = (
        Trade.objects.filter(application_id__in=application_ids)
        .annotate(budget=budget)
        .values("id", "application_id", "category", "certifiable", "subsidy_requested", "approved_subsidy", "budget")
    )
    out: dict[int, list] = {}
    typed = typed or {}
    for row in rows:
        subsidy = row["approved_subsidy"] if row["approved_subsidy"] is not None else row["subsidy_requested"]
        subsidy = typed.get(row["id"], subsidy)
        out.setdefault(row["application_id"], []).append(
            rules.PlanTrade(row["category"], row["certifiable"], row["budget"] or ZERO, subsidy or ZERO)
        )
    return out


def approved_ids(cycle: int) -> list[int]:
    return list(Application.objects.filter(cycle=cycle, status__in=APPROVED_STATES).values_list("pk", flat=True))


def portfolio(cycle: int, pending_items=(), *, on=None, typed: dict | None = None) -> Portfolio:
    """The year's approved plan (before) and the same plus the agenda items marked to approve (after).

    ``pending_items`` are AgendaItems (or Applications); undecided items with include_in_projection
    count in "after", using the approved subsidy if already set, else the amount requested, unless
    ``typed`` (trade pk → amount) holds what the party group is typing before it records the decision.
    """
    before_ids = approved_ids(cycle)
    extra = []
    for item in pending_items:
        if isinstance(item, AgendaItem):
            if not (item.is_pending and item.include_in_projection):
                continue
            app_id = item.application_id
        else:
            app_id = item.pk
        if app_id not in before_ids and app_id not in extra:
            extra.append(app_id)
    trades = _plan_trades(before_ids + extra, typed)
    rs = rules.ruleset_for(on or timezone.localdate())
    before = [t for app_id in before_ids for t in trades.get(app_id, [])]
    after = before + [t for app_id in extra for t in trades.get(app_id, [])]
    return Portfolio(cycle, rules.evaluate_plan(before, ruleset=rs), rules.evaluate_plan(after, ruleset=rs), rs,
                     year_budget=Call.objects.filter(cycle=cycle).values_list("budget", flat=True).first())


def meeting_portfolio(meeting: Meeting, items=None, *, typed: dict | None = None) -> Portfolio:
    """The plan of the year the agenda is about (a December meeting may decide next year's projects)."""
    items = meeting.items.all() if items is None else items
    cycles = Counter(meeting.items.values_list("application__cycle", flat=True))
    cycle = cycles.most_common(1)[0][0] if cycles else meeting.cycle
    return portfolio(cycle, items, on=meeting.date, typed=typed)


# ---------------------------------------------------------------- project page

def review_history(application: Application) -> dict:
    reviews = list(
        Review.objects.filter(application=application).select_related("reviewer")
        .prefetch_related(WAIVERS_WITH_AUTHORS).order_by("round")
    )
    return {
        "reviews": reviews,
        "collective": list(application.collective_decisions.select_related("recorded_by")),
        "agenda": list(application.agenda_items.select_related("meeting", "decided_by").order_by("meeting__date", "id")),
        "returns": list(
            application.status_changes.filter(transition__in=("return_for_revision", "reject"))
            .select_related("actor").order_by("-at", "-id")
        ),
        # The project page's application comes with its trades prefetched (application_with_trades).
        "trades": list(application.trades.all() if "trades" in getattr(application, "_prefetched_objects_cache", {})
                       else application.trades.select_related("occupation")),
    }


def decision_dates(application: Application) -> dict:
    """The days the steps after 立项 follow (haidian_contest.workflow.ORDER_GATES): the party group's
    decision (its meeting's day) and the 立项通知书's date; None where there is none yet."""
    item = (AgendaItem.objects.filter(application=application, decision=AgendaItem.Decision.APPROVED)
            .select_related("meeting").order_by("-decided_at", "-id").first())
    notice = ApprovalNotice.objects.filter(application=application).first()
    return {"decision": item.meeting.date if item else None,
            "notice": timezone.localtime(notice.issued_at).date() if notice else None}


def approval_notice_for(application: Application, user) -> dict | None:
    """The 立项通知书 where a user looks for it (review panel, review page, ledger page): the issued notice
    for the department and the organizer, or the department's button to issue it once the group approved."""
    role = getattr(user, "role", None)
    if role not in (Role.REVIEWER, Role.ORGANIZER):
        return None
    notice = ApprovalNotice.objects.filter(application=application).select_related("issued_by").first()
    can_issue = notice is None and role == Role.REVIEWER and application.status in APPROVED_STATES
    return {"notice": notice, "can_issue": can_issue} if notice or can_issue else None
