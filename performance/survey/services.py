"""Opening the questionnaire, taking an answer, and carrying the suggestions into the report.

Who may answer: a person on the project's current roster, who confirms their name and the last six
characters of their ID number. The roster keeps the number encrypted and a keyed hash of the whole
number, and a tail cannot be hashed; so the name (stored in clear) picks the few rows it can be, and
only those are decrypted and compared — one or two decryptions however long the roster. A name on no
row decrypts a decoy instead, so an unknown person and a wrong tail take the same path, the same time
and get the same words (IDENTITY_REFUSED).

Guessing is slowed, never switched off for everybody: failed confirmations are counted per client
address and per project (accounts.throttle, in the database so that every process counts together).
An address gets a few free mistakes (phones on the venue's Wi-Fi share one), then must wait before
each further try, the wait doubling with each failure (back-off); its own wait is the only thing that
refuses it. Past the project's hourly limit the free mistakes end for every address, so that each
failure costs a wait from the first — but a participant who types their name and tail right is
always taken, whatever others failed. A refusal says when to try again.
"""

from __future__ import annotations

import hmac
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Replace
from django.utils import timezone

from accounts import throttle
from applications.models import Application
from haidian_contest import crypto
from haidian_contest.rules.people import normalize_id
from haidian_contest.workflow import State
from rosters.models import PERSONAL_SEPARATOR, Participant

from ..services import _locked, materials_for, require_organizer_editing
from .models import LIKERT_QUESTIONS, Survey, SurveyAnswer, SurveyReceipt

# Answers are taken while the event runs and while its materials are with the department; the audit's
# pass (or failure) closes the questionnaire.
OPEN_STATES = frozenset({State.IN_PROGRESS, State.MATERIALS_SUBMITTED, State.AUDIT_RETURNED})
IDENTITY_REFUSED = "未能核实您的参赛身份：请核对姓名和身份证号后6位（须与报名时填写的一致）。"
ALREADY_ANSWERED = "您已提交过本项目的问卷，每位参赛职工只能提交一次。感谢您的参与！"
CLOSED = "本项目的满意度调查已结束。"
TOO_MANY_FROM_ADDRESS = "本网络核验失败次数较多，为防止他人猜测身份信息，请于 {at}（约 {seconds} 秒后）再试。"
# Failed confirmations: an address gets FREE_FAILURES in its hour (only failures count: the venue's
# phones may share one address), then waits BACKOFF_SECONDS, twice that after the next failure, and so
# on up to BACKOFF_MAX_SECONDS. Past FAILURES_PER_PROJECT an hour from all addresses together, the
# free failures end for every address: a wait from the first failure.
FREE_FAILURES, ADDRESS_WINDOW = 5, 60 * 60
BACKOFF_SECONDS, BACKOFF_MAX_SECONDS = 30, 15 * 60
FAILURES_PER_PROJECT, PROJECT_WINDOW = 300, 60 * 60
TAIL_LENGTH = 6
SURVEY_BLOCK_HEADING = "【参赛职工满意度调查】"
REPORT_SUGGESTIONS_SHOWN = 30
REPORT_SUGGESTION_CHARS = 120


class SurveyRefused(Exception):
    """An answer not taken; the message is for the person at the phone."""


def is_open(application: Application) -> bool:
    return application.state in OPEN_STATES


@transaction.atomic
def open_survey(*, actor, application: Application) -> Survey:
    """The organizer opens the questionnaire of its project (once; later calls return it)."""
    locked = _locked(application)
    _require_organizer_of_open_project(locked, actor)
    survey = Survey.objects.filter(application=locked).first()
    if survey is None and not Participant.objects.filter(application=locked, is_current=True).exists():
        raise ValidationError("请先导入参赛选手名单：问卷凭名单核实参赛职工的身份。")
    return survey or Survey.objects.create(application=locked, opened_by=actor)


def _require_organizer_of_open_project(application: Application, actor) -> None:
    from accounts.permissions import require_role
    from accounts.roles import Role

    require_role(actor, Role.ORGANIZER)
    if application.lead_organization_id != actor.organization_id:
        raise PermissionDenied("只能为本单位的项目开启满意度调查。")
    if application.state not in OPEN_STATES:
        raise ValidationError(
            f"项目当前状态为“{application.state.label}”：满意度调查在竞赛实施中至绩效审核通过前开放。")


# --- identity -----------------------------------------------------------------------------------


# The separator of a minority name (阿卜杜·热合曼) comes from phones' keyboards in several forms.
NAME_DOTS = "•・.‧∙⋅"
MIDDLE_DOT = "·"


def normalize_name(value: str) -> str:
    # Full-width letters fold to ASCII, every space goes (“王 芳”, “王　芳” typed on a phone), one middle dot.
    text = "".join(unicodedata.normalize("NFKC", value or "").split())
    for dot in NAME_DOTS:
        text = text.replace(dot, MIDDLE_DOT)
    return text


def normalize_tail(value: str) -> str:
    return "".join(normalize_id(value or "").split())


def tail_problem(value: str) -> str | None:
    tail = normalize_tail(value)
    if len(tail) != TAIL_LENGTH or not tail[:-1].isdigit() or not (tail[-1].isdigit() or tail[-1] == "X"):
        return "请填写身份证号的后6位（数字，最后一位可以是 X）。"
    return None


@lru_cache(maxsize=4)
def _decoy(keys: tuple[str, ...]) -> str:
    return crypto.keyring().encrypt("000000000000000000" + PERSONAL_SEPARATOR)


def _candidates(application: Application, name: str) -> list[tuple[str, str]]:
    # The roster's names as normalize_name leaves them (the import keeps them as typed): a name shared
    # by several participants gives a row each, all of them compared.
    bare = Replace(Replace(F("name"), Value(" "), Value("")), Value("\u3000"), Value(""))
    for dot in NAME_DOTS + "．":
        bare = Replace(bare, Value(dot), Value(MIDDLE_DOT))
    rows = (Participant.objects.filter(application=application, is_current=True)
            .annotate(bare_name=bare).filter(bare_name=name)
            .values_list("personal_encrypted", "id_hash"))
    return list(rows)


def identify(application: Application, *, name: str, id_tail: str) -> str | None:
    """The roster's keyed hash of the person with this name and ID tail, or None (whatever the reason)."""
    name, tail = normalize_name(name), normalize_tail(id_tail)
    candidates = _candidates(application, name) if name else []
    if not candidates:
        candidates = [(_decoy(tuple(settings.PII_ENCRYPTION_KEYS)), "")]
    found = None
    for token, id_hash in candidates:
        number = normalize_id(Participant.unseal(token)[0])
        if hmac.compare_digest(number[-TAIL_LENGTH:].encode(), tail.encode()) and id_hash:
            found = id_hash
    return found


# --- answering ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answers:
    likert: dict[str, int]
    again: str
    suggestion: str = ""


def _throttle_keys(application: Application, address: str) -> tuple[str, str]:
    return f"survey-fail:addr:{application.pk}:{address}", f"survey-fail:project:{application.pk}"


def backoff_seconds(failures: int, *, free: int) -> int:
    """The wait an address owes after its `failures`-th failure (0 while it has free ones left)."""
    if failures < max(free, 1):
        return 0
    return min(BACKOFF_SECONDS * 2 ** (failures - max(free, 1)), BACKOFF_MAX_SECONDS)


def _retry_at(by_address: str, by_project: str):
    """When this address may next be checked, or None when it may be now."""
    mine = throttle.window(by_address)
    if not mine.count:
        return None
    free = 0 if throttle.hits(by_project) >= FAILURES_PER_PROJECT else FREE_FAILURES
    wait = backoff_seconds(mine.count, free=free)
    at = min(mine.last_at + timedelta(seconds=wait), mine.ends)
    return at if at > timezone.now() else None


def _wait_message(at) -> str:
    seconds = max(1, int((at - timezone.now()).total_seconds() + 0.999))
    return TOO_MANY_FROM_ADDRESS.format(at=timezone.localtime(at).strftime("%H:%M:%S"), seconds=seconds)


def submit_answer(*, survey: Survey, name: str, id_tail: str, answers: Answers, address: str) -> None:
    """Record one anonymous answer and the person's receipt together, or refuse with SurveyRefused."""
    application = Application.objects.get(pk=survey.application_id)
    if not is_open(application):
        raise SurveyRefused(CLOSED)
    by_address, by_project = _throttle_keys(application, address)
    try:
        # An address that owes a wait is not checked at all: answering it would tell a guesser whether
        # the tail was right at full speed.
        retry_at = _retry_at(by_address, by_project)
        if retry_at is not None:
            raise SurveyRefused(_wait_message(retry_at))
        person = identify(application, name=name, id_tail=id_tail)
        if person is None:
            throttle.add_hit(by_address, seconds=ADDRESS_WINDOW)
            throttle.add_hit(by_project, seconds=PROJECT_WINDOW)
            raise SurveyRefused(IDENTITY_REFUSED)
    except throttle.Unavailable as exc:
        raise SurveyRefused(str(exc)) from None
    if set(answers.likert) != {key for key, _q in LIKERT_QUESTIONS}:
        raise ValueError("every Likert question needs an answer")
    try:
        with transaction.atomic():
            # The receipt first: a second submission of the same person (a double tap, two phones) stops
            # at its unique constraint, and the answer below is never written.
            SurveyReceipt.objects.create(application=application, person=person)
            SurveyAnswer.objects.create(application=application, again=answers.again,
                                        suggestion=answers.suggestion.strip(), **answers.likert)
    except IntegrityError:
        raise SurveyRefused(ALREADY_ANSWERED) from None


# --- the report ---------------------------------------------------------------------------------


def survey_block(application: Application) -> str:
    from . import selectors

    results = selectors.results(application)
    if not results.count:
        return ""
    lines = [SURVEY_BLOCK_HEADING,
             f"共收回有效问卷 {results.count} 份，满意率 {results.rate}%（{selectors.RATE_RULE}）。"]
    texts = selectors.suggestions(application)
    if texts:
        lines.append(f"参赛职工的意见建议（共 {len(texts)} 条）：")
        for n, text in enumerate(texts[:REPORT_SUGGESTIONS_SHOWN], 1):
            short = " ".join(text.split())
            if len(short) > REPORT_SUGGESTION_CHARS:
                short = short[:REPORT_SUGGESTION_CHARS] + "……"
            lines.append(f"{n}. {short}")
        if len(texts) > REPORT_SUGGESTIONS_SHOWN:
            lines.append(f"其余 {len(texts) - REPORT_SUGGESTIONS_SHOWN} 条见满意度调查结果页。")
    return "\n".join(lines)


@transaction.atomic
def fill_report_suggestions(*, actor, application: Application):
    """Append the survey's figures and suggestions to the report's suggestions section, replacing the
    block a previous fill put there; the organizer's own text before it is kept."""
    require_organizer_editing(application=_locked(application), actor=actor)
    block = survey_block(application)
    if not block:
        raise ValidationError("还没有收到问卷，暂无可填入的意见建议。")
    materials = materials_for(application=application)
    own = materials.section("suggestions").split(SURVEY_BLOCK_HEADING)[0].rstrip()
    materials.report = {**materials.report, "suggestions": f"{own}\n{block}" if own else block}
    materials.save()
    return materials
