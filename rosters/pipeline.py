"""What the Celery task does with one uploaded version: read, check, then store all or nothing.

Runs outside any request (or inside it when Celery is eager). Progress is saved on the version row
so the page can poll it. The cross-project 2.4a check and the insert happen in one transaction
under a per-cycle lock, so two organizers uploading the same person at once cannot both pass.
"""

import logging
import time
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from haidian_contest import rules

from .importing.columns import ROSTER_COLUMNS, WINNER_COLUMNS
from .importing.problems import Problems
from .importing.reading import WorkbookError, open_sheet
from .importing.roster import check_entries, read_people
from .importing.subjects import Subjects
from .importing.trades import ProjectTrades
from .importing.winners import RosterEntry, read_winners
from .models import FirstPrizeRecord, Participant, RosterVersion, Winner
from .storing import store_people, store_winners

log = logging.getLogger(__name__)
Status = RosterVersion.Status
CYCLE_LOCK_BASE = 74_000_000  # pg_advisory_xact_lock key space of this app: base + cycle
# A version left "processing" this long was dropped by a worker that died (the task is acks_late,
# so it comes back): run it again. Its writes were one transaction, so nothing half-done remains.
STALE_AFTER = timedelta(minutes=30)
PROGRESS_INTERVAL = 0.5  # seconds between progress writes: each is a commit (a WAL flush on PostgreSQL)


def _progress(version: RosterVersion, percent: float) -> None:
    percent = max(0, min(99, int(percent)))
    now = time.monotonic()
    if percent != version.progress and now - getattr(version, "_progress_at", 0) >= PROGRESS_INTERVAL:
        version.progress = percent
        version._progress_at = now
        RosterVersion.objects.filter(pk=version.pk).update(progress=percent)


def _lock_cycle(cycle: int) -> None:
    # SQLite already serialises writers (transaction_mode IMMEDIATE); PostgreSQL needs a lock that
    # also covers rows not yet inserted, hence an advisory lock rather than SELECT … FOR UPDATE.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CYCLE_LOCK_BASE + cycle])


def process(version_id: int) -> RosterVersion:
    # Claim the version with one conditional UPDATE, so a duplicate delivery running at the same
    # moment finds nothing to do.
    stale = timezone.now() - STALE_AFTER
    claimed = RosterVersion.objects.filter(
        Q(status=Status.PENDING) | Q(status=Status.PROCESSING, uploaded_at__lt=stale), pk=version_id
    ).update(status=Status.PROCESSING, progress=1)
    version = RosterVersion.objects.select_related("application").get(pk=version_id)
    if not claimed:
        return version
    columns = ROSTER_COLUMNS if version.kind == RosterVersion.Kind.ROSTER else WINNER_COLUMNS
    try:
        sheet = open_sheet(version.file.path, columns)
        version.row_count = sheet.estimated_rows
        RosterVersion.objects.filter(pk=version.pk).update(row_count=version.row_count)
        if version.kind == RosterVersion.Kind.ROSTER:
            problems = _roster(version, sheet)
        else:
            problems = _winners(version, sheet)
    except WorkbookError as exc:
        problems = Problems(columns)
        problems.add(0, "", str(exc))
        sheet = None
    except Exception:
        log.exception("roster import %s failed", version_id)
        problems = Problems(columns)
        problems.add(0, "", "处理文件时发生系统错误，请稍后重试或联系管理员。")
        sheet = None
    if problems:
        _fail(version, problems, sheet)
    return version


def _roster(version: RosterVersion, sheet) -> Problems:
    application = version.application
    trades = ProjectTrades(application)
    estimated = max(sheet.estimated_rows, 1)
    people, problems = read_people(sheet, trades, progress=lambda n: _progress(version, 2 + 68 * n / estimated))
    version.row_count = problems.rows
    if not problems.rows:
        problems.add(0, "", "表格中没有选手数据。")
        return problems
    _progress(version, 72)
    labels = {ref.key: ref.label for ref in trades.refs}
    with transaction.atomic():
        _lock_cycle(application.cycle)
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
        _progress(version, 80)
        store_people(version, people)
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


def _winners(version: RosterVersion, sheet) -> Problems:
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
    winners, problems = read_winners(sheet, trades, roster, version.waivers, labels)
    version.row_count = problems.rows
    if not problems.rows:
        problems.add(0, "", "表格中没有获奖选手数据。")
    if problems:
        return problems
    with transaction.atomic():
        store_winners(version, winners)
    return problems


def _fail(version: RosterVersion, problems: Problems, sheet) -> None:
    version.status = Status.FAILED
    version.errors = problems.summary()
    version.error_count = problems.hard_count + problems.waivable_count
    version.pending_waivers = (
        [{"row": p.row, "key": p.key, "message": p.message} for p in problems.all() if p.waivable]
        if problems.hard_count == 0 else []
    )
    if sheet is not None:
        from .workbooks import annotate

        columns = ROSTER_COLUMNS if version.kind == RosterVersion.Kind.ROSTER else WINNER_COLUMNS
        content = annotate(version.file.path, sheet.sheet_name, columns, problems, sheet.header_row)
        version.error_file.save("errors.xlsx", ContentFile(content), save=False)
    version.finished_at = timezone.now()
    version.progress = 100
    version.save()
