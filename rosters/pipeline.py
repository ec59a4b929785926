"""What the Celery task does with one uploaded version: read, check, then store all or nothing.

Runs outside any request (or inside it when Celery is eager). Progress is saved on the version row
so the page can poll it. The cross-project 2.4a check and the insert happen in one transaction
under a per-cycle lock, so two organizers uploading the same person at once cannot both pass.
"""

import logging
import time
from contextlib import ExitStack
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from applications.models import PrizeTier
from haidian_contest import rules
from haidian_contest.private_files import decrypted_copy

from .importing.columns import ROSTER_COLUMNS, WINNER_COLUMNS
from .importing.problems import Problems
from .importing.reading import WorkbookError, open_sheet
from .importing.roster import check_entries, read_people
from .importing.subjects import Subjects
from .importing.trades import ProjectTrades
from .importing.winners import RosterEntry, against_plan, read_winners
from .models import FirstPrizeRecord, Participant, RosterVersion, Winner, stale_after
from .storing import store_people, store_winners

log = logging.getLogger(__name__)
Status = RosterVersion.Status
CYCLE_LOCK_BASE = 74_000_000  # pg_advisory_xact_lock key space of this app: base + cycle
PROGRESS_INTERVAL = 0.5  # seconds between progress writes: each is a commit (a WAL flush on PostgreSQL)
# Seconds between heartbeats while the percentage stands still (measuring a file, a slow sheet):
# far below ROSTER_IMPORT_STALE_SECONDS, so a working run is never taken for a dead one.
HEARTBEAT_INTERVAL = 5.0


class OutOfTime(WorkbookError):
    """The run passed ROSTER_IMPORT_MAX_SECONDS: it stops itself, and the message is stored on the version."""


class Clock:
    """One run's wall-clock budget and heartbeat, consulted while the file is measured and read."""

    def __init__(self, version: RosterVersion):
        self.version = version
        self.budget = settings.ROSTER_IMPORT_MAX_SECONDS
        # A few beats within the stale time whatever it is set to (tests and small installations shorten it).
        self.beat_every = min(HEARTBEAT_INTERVAL, settings.ROSTER_IMPORT_STALE_SECONDS / 4)
        self.started = self.beat_at = self.progress_at = time.monotonic()

    def tick(self) -> None:
        now = time.monotonic()
        if now - self.started > self.budget:
            raise OutOfTime(
                f"处理本文件超过了 {self.budget:,} 秒的时限，已停止（文件过大或结构异常）。"
                "请只保留名单所在的一个工作表、删除多余的行列后重新上传；如仍超时请联系管理员。"
            )
        if now - self.beat_at >= self.beat_every:
            self.beat_at = now
            RosterVersion.objects.filter(pk=self.version.pk).update(heartbeat_at=timezone.now())

    def progress(self, percent: float) -> None:
        self.tick()
        percent = max(0, min(99, int(percent)))
        now = time.monotonic()
        if percent != self.version.progress and now - self.progress_at >= PROGRESS_INTERVAL:
            self.version.progress = percent
            self.progress_at = self.beat_at = now
            RosterVersion.objects.filter(pk=self.version.pk).update(progress=percent, heartbeat_at=timezone.now())


def _lock_cycle(cycle: int) -> None:
    # SQLite already serialises writers (transaction_mode IMMEDIATE); PostgreSQL needs a lock that
    # also covers rows not yet inserted, hence an advisory lock rather than SELECT … FOR UPDATE.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CYCLE_LOCK_BASE + cycle])


def _claim(version_id: int) -> RosterVersion | None:
    """Take the version for this run with one conditional UPDATE, so a duplicate delivery running at
    the same moment finds nothing to do; a run that went silent (its worker died) may be taken over."""
    now = timezone.now()
    stale = now - stale_after()
    claimed = RosterVersion.objects.filter(
        Q(status=Status.PENDING)
        | Q(status=Status.PROCESSING, heartbeat_at__lt=stale)
        | Q(status=Status.PROCESSING, heartbeat_at__isnull=True, uploaded_at__lt=stale),
        pk=version_id,
    ).update(status=Status.PROCESSING, progress=1, heartbeat_at=now, attempt=F("attempt") + 1)
    version = RosterVersion.objects.select_related("application").get(pk=version_id)
    return version if claimed else None


def _newer_version(version: RosterVersion) -> RosterVersion | None:
    """The organizer uploaded again (e.g. after this import stalled): the newer file is the one that counts."""
    return (
        RosterVersion.objects.filter(application=version.application_id, kind=version.kind, number__gt=version.number)
        .exclude(status=Status.FAILED)
        .order_by("-number")
        .first()
    )


class Superseded(Exception):
    pass


def _lock_own_row(version: RosterVersion) -> None:
    attempt = RosterVersion.objects.select_for_update().filter(pk=version.pk).values_list("attempt", flat=True).get()
    if attempt != version.attempt:
        raise Superseded(f"第{attempt}次处理已接手")


def _still_ours(version: RosterVersion) -> None:
    """Inside the storing transaction: the version row is locked, and no later run or newer file has
    taken over since this run claimed it."""
    _lock_own_row(version)
    newer = _newer_version(version)
    if newer is not None and newer.status == Status.ACCEPTED:
        raise Superseded(f"第{newer.number}版已导入")


def process(version_id: int) -> RosterVersion:
    version = _claim(version_id)
    if version is None:
        return RosterVersion.objects.get(pk=version_id)
    newer = _newer_version(version)
    columns = ROSTER_COLUMNS if version.kind == RosterVersion.Kind.ROSTER else WINNER_COLUMNS
    if newer is not None:
        problems = Problems(columns)
        problems.add(0, "", f"已上传更新的第{newer.number}版，本版本不再处理。")
        _fail(version, problems, None)
        return version
    clock = Clock(version)
    # The upload is stored encrypted; the readers need a path, so a private plain copy lives for this run only.
    with ExitStack() as stack:
        try:
            path = stack.enter_context(decrypted_copy(version.file))
            sheet = open_sheet(path, columns, tick=clock.tick)
            version.row_count = sheet.estimated_rows
            RosterVersion.objects.filter(pk=version.pk).update(row_count=version.row_count, heartbeat_at=timezone.now())
            if version.kind == RosterVersion.Kind.ROSTER:
                problems = _roster(version, sheet, clock)
            else:
                problems = _winners(version, sheet, clock)
        except Superseded as exc:
            log.warning("roster import %s not stored: %s", version_id, exc)
            return RosterVersion.objects.get(pk=version_id)
        except WorkbookError as exc:  # OutOfTime among them: no marked-up copy, which would take time again
            problems = Problems(columns)
            problems.add(0, "", str(exc))
            sheet = None
        except Exception:
            log.exception("roster import %s failed", version_id)
            problems = Problems(columns)
            problems.add(0, "", "处理文件时发生系统错误，请稍后重试或联系管理员。")
            sheet = None
        if problems:
            _fail(version, problems, sheet, path if sheet is not None else None, clock)
    return version


def _roster(version: RosterVersion, sheet, clock: Clock) -> Problems:
    application = version.application
    trades = ProjectTrades(application)
    estimated = max(sheet.estimated_rows, 1)
    people, problems, passports = read_people(sheet, trades, progress=lambda n: clock.progress(2 + 68 * n / estimated),
                                              waivers=version.waivers)
    version.row_count = problems.rows
    if not problems.rows:
        problems.add(0, "", "表格中没有选手数据。")
        return problems
    clock.progress(72)
    labels = {ref.key: ref.label for ref in trades.refs}
    with transaction.atomic():
        _lock_cycle(application.cycle)
        _still_ours(version)
        others = (
            Participant.objects.filter(cycle=application.cycle, is_current=True)
            .exclude(application=application)
            .values_list("id_hash", "trade_code", "application_id")
        )
        prizes = FirstPrizeRecord.objects.filter(trade_code__in=list(labels)).values_list("id_hash", "trade_code")
        projects = _project_titles(others)
        check_entries(people, problems, cycle=application.cycle, other_entries=others.iterator(chunk_size=5000),
                      first_prizes=prizes.iterator(chunk_size=5000), trade_labels=labels, other_projects=projects)
        _winners_still_on_roster(application, people, problems, labels)
        if problems:
            return problems
        clock.progress(80)
        store_people(version, people, plan_waivers=passports)
    return problems


def _project_titles(others) -> dict[int, str]:
    from applications.models import Application

    ids = others.values_list("application_id", flat=True).distinct()
    return dict(Application.objects.filter(pk__in=ids).values_list("pk", "title"))


def _winners_still_on_roster(application, people, problems: Problems, labels) -> None:
    """1.7 holds after a new roster too: every current winner must still be on it, in the same trade."""
    current = list(
        Winner.objects.filter(application=application, is_current=True)
        .values_list("participant__id_hash", "participant__id_masked", "participant__trade_code")
    )
    if not current:
        return
    subjects = Subjects()
    masks = {h: masked for h, masked, _ in current}
    roster_by_trade: dict[str, list[str]] = {}
    for p in people:
        roster_by_trade.setdefault(p.trade_code, []).append(p.id_hash)
    winners_by_trade: dict[str, list[str]] = {}
    for h, _, code in current:
        winners_by_trade.setdefault(code, []).append(h)
    for code, hashes in winners_by_trade.items():
        findings = rules.check_winners_on_roster(
            [subjects.ident(h) for h in hashes], [subjects.ident(h) for h in roster_by_trade.get(code, ())]
        )
        for finding in findings:
            real = masks.get(subjects.hash_for(finding.subject), "")
            message = Subjects.reword(finding.message, finding.subject, real)
            problems.add(0, "", f"{message}：该选手已在{labels.get(code, code)}获奖名单中，新名单须保留该选手，"
                                "或先更正获奖名单")


def _ticking(rows, clock: Clock, every: int = 1000):
    for count, row in enumerate(rows, start=1):
        if count % every == 0:
            clock.tick()
        yield row


def prize_plans(application) -> dict[int, list[tuple[int, int, Decimal]]]:
    """The approved plan's prize tiers per trade id: (rank, count, amount per person)."""
    plans: dict[int, list] = {}
    for trade_id, rank, count, amount in PrizeTier.objects.filter(trade__application=application).values_list(
            "trade_id", "rank", "count", "amount"):
        plans.setdefault(trade_id, []).append((rank, count, amount))
    return plans


def _winners(version: RosterVersion, sheet, clock: Clock) -> Problems:
    application = version.application
    trades = ProjectTrades(application)
    labels = {ref.key: ref.label for ref in trades.refs}
    roster = {
        h: RosterEntry(pk, code, name)
        for h, pk, code, name in Participant.objects.filter(application=application, is_current=True)
        .values_list("id_hash", "pk", "trade_code", "name")
    }
    if not roster:
        problems = Problems(WINNER_COLUMNS)
        problems.add(0, "", "本项目尚未导入参赛选手名单，请先导入名单再导入获奖名单（一（七））。")
        return problems
    sheet.rows = _ticking(sheet.rows, clock)
    winners, problems = read_winners(sheet, trades, roster, version.waivers, labels)
    version.row_count = problems.rows
    if not problems.rows:
        problems.add(0, "", "表格中没有获奖选手数据。")
    plan_waivers = [] if problems.hard_count else against_plan(
        winners, prize_plans(application), {ref.id: ref.name for ref in trades.refs}, problems)
    if problems:
        return problems
    with transaction.atomic():
        _still_ours(version)
        store_winners(version, winners, plan_waivers=plan_waivers)
    return problems


def _fail(version: RosterVersion, problems: Problems, sheet, path=None, clock: Clock | None = None) -> None:
    version.status = Status.FAILED
    version.errors = problems.summary()
    version.error_count = problems.hard_count + problems.waivable_count
    version.pending_waivers = (
        [{"row": p.row, "key": p.key, "message": p.message} for p in problems.all() if p.waivable]
        if problems.hard_count == 0 else []
    )
    content = None
    if sheet is not None:
        from .workbooks import annotate

        columns = ROSTER_COLUMNS if version.kind == RosterVersion.Kind.ROSTER else WINNER_COLUMNS
        try:
            content = annotate(path, sheet.sheet_name, columns, problems, sheet.header_row,
                               tick=clock.tick if clock else None)
        except OutOfTime as exc:
            # The errors stand (and waivable ones may still be waived); only the marked-up copy is missing.
            version.errors.append({"row": 0, "column": "", "message": str(exc), "waivable": False,
                                   "text": f"未生成标注错误的表格：{exc}"})
    version.finished_at = timezone.now()
    version.progress = 100
    with transaction.atomic():
        try:
            _lock_own_row(version)
        except Superseded:
            return
        if content is not None:
            # Written inside the transaction: a run that loses the row writes no file (private_files).
            version.error_file.save("errors.xlsx", ContentFile(content), save=False)
        version.save()
