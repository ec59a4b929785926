"""Every URL of the project, requested by every kind of user, against a table written by hand.

The table is the security review: a new URL without a row fails `test_every_url_has_a_row`, so
whoever adds a page has to decide who may open it. One world (project A of the organizer's unit,
taken to 已结项 with roster, winners, photos, video, documents, agreement, meeting and exports) is
built through the stage helpers; every route's kwargs are filled from its real objects.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.roles import Role

pytestmark = pytest.mark.django_db

ORG, REV, APP, FIN, AUD, ADM = Role.ORGANIZER, Role.REVIEWER, Role.APPROVER, Role.FINANCE, Role.AUDITOR, Role.ADMIN
ALL = frozenset(Role)
STAFF = frozenset({REV, APP, FIN, AUD, ADM})

# Answer to anyone, logged in or not.
PUBLIC = {"healthz", "favicon", "accounts:login", "accounts:logout",
          # Unit self-registration: the form, its confirmation, and setting the first password by a signed link.
          "accounts:register", "accounts:registration_sent", "accounts:registration_confirm", "accounts:activate",
          # The participants' satisfaction survey: no account, the unguessable token in the address is the key.
          "performance:survey_answer", "performance:survey_thanks",
          # The winners' public notice (公示) and its objection form: for everyone, signed in or not.
          "public_notices", "public_notice"}
# Any logged-in user, whatever the role.
LOGIN_ONLY = {"home", "notifications", "accounts:password_change", "accounts:otp_setup", "accounts:otp_verify"}

# url name → roles that may open it. Organizers never reach the review, the party group's agenda,
# the money actions or full ID numbers; the auditor reads but never reaches an action endpoint.
EXPECTED: dict[str, frozenset] = {
    "accounts:users": frozenset({ADM}),
    "accounts:set_user_active": frozenset({ADM}),
    "accounts:reset_two_factor": frozenset({ADM}),
    "accounts:lift_lockout": frozenset({ADM}),
    "accounts:security_events": frozenset({ADM}),
    "accounts:registrations": frozenset({REV}),
    "accounts:registration_detail": frozenset({REV}),
    "accounts:registration_letter": frozenset({REV}),
    "accounts:account_request_decide": frozenset({REV}),
    "accounts:unit_accounts": frozenset({ORG}),
    "accounts:units": frozenset({REV, ADM}),
    "accounts:unit_detail": frozenset({REV, ADM}),
    "applications:calls": ALL,
    "applications:call": ALL,
    "applications:call_create": frozenset({REV}),
    "applications:call_edit": frozenset({REV}),
    "applications:call_attachment": ALL,
    # applications
    "applications:list": ALL,
    "applications:create": frozenset({ORG}),
    "applications:rules_panel_new": frozenset({ORG}),
    "applications:catalogue": frozenset({REV, ADM}),
    "applications:occupation_search": ALL,
    "applications:detail": ALL,
    "applications:edit": frozenset({ORG}),
    "applications:rules_panel": frozenset({ORG}),
    "applications:trade_create": frozenset({ORG}),
    "applications:trade_edit": frozenset({ORG}),
    "applications:targets": frozenset({ORG}),
    "applications:attachment_upload": frozenset({ORG}),
    "applications:attachment": ALL,
    "applications:attachment_remove": frozenset({ORG}),
    "applications:version": ALL,
    "applications:version_diff": ALL,
    "applications:draft_changes": ALL,
    # Only roles that own a workflow transition (haidian_contest/workflow.py) act here.
    "applications:transition": frozenset({ORG, REV, APP, FIN}),
    "applications:export_xlsx": ALL,
    "applications:export_pdf": ALL,
    # review
    "review:queue": frozenset({REV, ADM}),
    "review:detail": STAFF,
    "review:start": frozenset({REV}),
    "review:waiver": frozenset({REV}),
    "review:save": frozenset({REV}),
    "review:transition": frozenset({REV}),
    # 日期调整: the department records the event's real dates.
    "review:adjust_dates": frozenset({REV}),
    "review:collective": frozenset({REV, ADM}),
    "review:collective_decide": frozenset({REV}),
    "review:meetings": frozenset({REV, APP, ADM}),
    "review:meeting": STAFF,
    "review:meeting_add": frozenset({REV, APP}),
    "review:minutes": STAFF,
    "review:item_remove": frozenset({REV, APP}),
    "review:item_projection": frozenset({REV, APP}),
    "review:item_portfolio": frozenset({REV, APP}),
    "review:item_decide": frozenset({APP}),
    # 上会材料: the department prepares it, the party group reads it. 立项通知书: the department issues
    # it; the project's organizer downloads it once issued.
    "review:packet_pdf": frozenset({REV, APP}),
    "review:packet_docx": frozenset({REV, APP}),
    "review:notice_issue": frozenset({REV}),
    "review:notice_pdf": frozenset({REV, ORG}),
    "review:notice_docx": frozenset({REV, ORG}),
    # funding
    "funding:queue": frozenset({REV, FIN, ADM}),
    "funding:ledger": STAFF,
    "funding:ledger_export": STAFF,
    "funding:project": ALL,
    "funding:agreement": frozenset({REV}),
    "funding:agreement_draft": frozenset({REV, FIN}),
    "funding:release": frozenset({FIN}),
    "funding:reverse": frozenset({FIN}),
    "funding:agreement_scan": ALL,
    # rosters
    "rosters:first_prize_register": frozenset({REV, APP, AUD, ADM}),
    "rosters:first_prize_template": frozenset({REV, ADM}),
    "rosters:project": ALL,
    "rosters:template": ALL,
    "rosters:upload": frozenset({ORG}),
    "rosters:version": ALL,
    "rosters:version_status": ALL,
    "rosters:retry": frozenset({ORG}),
    "rosters:plan_waiver": frozenset({REV}),
    "rosters:version_file": frozenset({ORG, REV}),
    "rosters:waivers": frozenset({ORG}),
    "rosters:count_justification": frozenset({ORG}),
    "rosters:participants": ALL,
    "rosters:full_id": frozenset({REV}),
    "rosters:winners": ALL,
    "rosters:export": ALL,
    # The winners' public notice: the department publishes, withdraws and handles objections; only it
    # reads an objector's name, contact and file.
    "rosters:notice_publish": frozenset({REV}),
    "rosters:notice_withdraw": frozenset({REV}),
    "rosters:objections": frozenset({REV}),
    "rosters:objection": frozenset({REV}),
    "rosters:objection_file": frozenset({REV}),
    # performance
    "performance:audit_queue": frozenset({REV, ADM}),
    "performance:year_summary": STAFF,
    "performance:export_year": STAFF,
    "performance:job": STAFF,
    "performance:job_download": STAFF,
    "performance:materials": ALL,
    "performance:save_report": frozenset({ORG}),
    "performance:refill_report": frozenset({ORG}),
    "performance:upload_stamped": frozenset({ORG}),
    "performance:stamped_file": ALL,
    "performance:upload_photos": frozenset({ORG}),
    "performance:photo_file": ALL,
    "performance:photo_thumbnail": ALL,
    "performance:delete_photo": frozenset({ORG}),
    "performance:upload_video": frozenset({ORG}),
    "performance:video_location": frozenset({ORG}),
    "performance:video_file": ALL,
    "performance:save_recording": frozenset({ORG}),
    "performance:save_spending": frozenset({ORG}),
    "performance:save_justifications": frozenset({ORG}),
    "performance:add_document": frozenset({ORG}),
    "performance:document_file": ALL,
    "performance:delete_document": frozenset({ORG}),
    "performance:submit_materials": frozenset({ORG}),
    "performance:supervision": STAFF,
    "performance:supervision_photo": ALL,
    "performance:audit": frozenset({REV, AUD, ADM}),
    "performance:export_project": STAFF,
    # The self-evaluation: the organizer's own project, and every staff role (actions are role-checked).
    "performance:self_evaluation": ALL,
    "performance:self_evaluation_file": ALL,
    # The satisfaction survey's results: the project's organizer, the department, the auditor.
    "performance:survey": frozenset({ORG, REV, AUD, ADM}),
    "performance:survey_open": frozenset({ORG}),
    "performance:survey_qr": frozenset({ORG, REV, AUD, ADM}),
    "performance:survey_poster": frozenset({ORG, REV, AUD, ADM}),
    "performance:survey_fill_report": frozenset({ORG}),
    # dashboard
    "dashboard:overview": STAFF,
    "dashboard:chart_data": STAFF,
    "dashboard:export": STAFF,
    "dashboard:search": ALL,
}

# Routes that serve a stored file or a generated export: each must be in the table (and so swept).
FILE_ROUTES = {
    "applications:attachment", "applications:export_xlsx", "applications:export_pdf", "funding:agreement_scan",
    "funding:ledger_export", "rosters:version_file", "rosters:export", "rosters:template",
    "rosters:first_prize_template", "performance:stamped_file", "performance:photo_file",
    "performance:photo_thumbnail", "performance:video_file", "performance:document_file",
    "performance:supervision_photo", "performance:job_download", "review:minutes", "dashboard:export",
    "accounts:registration_letter", "applications:call_attachment", "performance:self_evaluation_file",
    "performance:survey_qr", "performance:survey_poster",
    "review:packet_pdf", "review:packet_docx", "review:notice_pdf", "review:notice_docx", "funding:agreement_draft",
    "rosters:objection_file",
}

# (url name, role) where the code differs from the table: each is a finding reported to the team.
# Listed so the rest of the sweep stays strict; the sweep fails once one is fixed, to remove it here.
KNOWN_DEVIATIONS: dict = {}

# The organizer's own uploaded roster file holds the numbers it typed; the reviewer needs them (ROLES_SEEING_FULL_ID).
FULL_ID_ALLOWED = {("rosters:version_file", ORG), ("rosters:version_file", REV)}
KNOWN_FULL_ID_LEAKS: set = set()

# With the production 2FA setting, a sensitive role signed in by password only reaches these and
# nothing else; first enrolment too while it has no confirmed device (accounts.middleware).
BEFORE_SECOND_FACTOR = {"accounts:login", "accounts:logout", "accounts:otp_verify"}
# Pages for the public (accounts.middleware.PUBLIC_PREFIXES): no account policy, signed in or not.
PUBLIC_WITHOUT_ACCOUNT = {"public_notices", "public_notice"}
# Not a page: /favicon.ico redirects to the static icon, which the middleware serves to anyone.
STATIC_ASSET_ROUTES = {"favicon"}
FIRST_ENROLMENT = "accounts:otp_setup"
SECOND_FACTOR_ROLES = (FIN, APP, ADM)

# Routes whose pk is not a project.
NOT_PROJECT_PK = {"review:meeting", "review:meeting_add", "review:minutes", "review:packet_pdf", "review:packet_docx", "review:item_remove",
                  "review:item_projection", "review:item_decide", "accounts:set_user_active",
                  "accounts:reset_two_factor", "accounts:lift_lockout",
                  "accounts:registration_detail", "accounts:registration_letter", "accounts:account_request_decide",
                  "accounts:unit_detail"}
USER_PK_ROUTES = {"accounts:set_user_active", "accounts:reset_two_factor", "accounts:lift_lockout"}
ATTACHMENT_ROUTES = {"applications:attachment", "applications:attachment_remove"}
DRAFT_ROUTES = {"applications:edit", "applications:rules_panel", "applications:trade_create",
                "applications:trade_edit", "applications:attachment_upload", "applications:targets"}
# An allowed role may get 404 here: the world has no unsubmitted changes and no second version to diff.
LEGIT_404 = {"applications:draft_changes", "applications:version_diff"}


def post_only(pattern: URLPattern) -> bool:
    """Views behind require_POST / require_http_methods without GET (found in the decorator closures)."""
    view, seen = pattern.callback, set()
    while view is not None and id(view) not in seen:
        seen.add(id(view))
        for cell in view.__closure__ or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if isinstance(value, list) and value and all(isinstance(m, str) and m.isupper() for m in value):
                return "GET" not in value
        view = getattr(view, "__wrapped__", None)
    return False


@lru_cache(maxsize=1)
def enumerate_urls() -> dict[str, URLPattern]:
    """Every named route except the admin site's own (it has its own staff login)."""
    found: dict[str, URLPattern] = {}

    def walk(resolver, namespace):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue
                walk(p, p.namespace or namespace)
            elif p.name:
                found[f"{namespace}:{p.name}" if namespace else p.name] = p

    walk(get_resolver(), None)
    return found


def test_every_url_has_a_row_and_no_row_is_stale():
    names = set(enumerate_urls())
    rows = set(EXPECTED) | PUBLIC | LOGIN_ONLY
    assert not (set(EXPECTED) & (PUBLIC | LOGIN_ONLY)) and not (PUBLIC & LOGIN_ONLY)
    assert sorted(names - rows) == [], "URLs without a row in EXPECTED: decide who may open them"
    assert sorted(rows - names) == [], "rows for URLs that no longer exist"
    assert FILE_ROUTES <= set(EXPECTED)


# --- the world ----------------------------------------------------------------------------------


@dataclass
class World:
    project: object
    draft: object
    attachment: object
    trade: object
    meeting: object
    item: object
    agreement: object
    roster: object
    winners: object
    participant: object
    photo: object
    document: object
    supervision_photo: object
    job: object
    full_ids: set
    registration: object = None
    call_attachment: object = None
    notice: object = None
    objection: object = None


@pytest.fixture
def world(organizer, reviewer, approver, finance, settings, django_capture_on_commit_callbacks):
    from applications import services as application_services
    from funding import selectors as funding_selectors
    from performance import services as performance_services
    from performance.exports import request_export
    from performance.models import SupervisionPhoto
    from review.models import AgendaItem
    from rosters.models import Participant
    from tests.funding.stages import tranche_2_paid
    from tests.clock import travel
    from tests.lifecycle import build_application
    from tests.performance.media import pdf_upload, photo_uploads
    from tests.performance.stages import audit_passed, in_progress, materials_complete, materials_submitted
    from tests.rosters.stages import make_roster_rows, make_winner_rows, upload_roster, upload_winners

    project = in_progress(organizer, reviewer, approver, finance)
    from review.documents.approval_notice import issue_notice

    issue_notice(actor=reviewer, application=project)
    rows = make_roster_rows(project, 60)
    roster = upload_roster(project, organizer, rows)
    winners = upload_winners(project, organizer, make_winner_rows(rows, per_trade=(1, 2, 3)))
    assert roster.status == winners.status == "accepted", (roster.errors, winners.errors)
    from performance.survey.services import open_survey

    open_survey(actor=organizer, application=project)
    notice, objection = _notice_and_objection(project, reviewer)
    performance_services.record_supervision_visit(
        application=project,
        actor=reviewer,
        visited_on=date(2026, 6, 20),
        staff="陈静",
        observations="现场秩序良好。",
        photos=photo_uploads(1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        project = materials_complete(project, organizer, photos=50)
        document = performance_services.add_event_document(
            application=project, actor=organizer, kind="agenda", title="竞赛议程", upload=pdf_upload("议程.pdf")
        )
    project = materials_submitted(project, organizer)
    # The audit waits for the end of the winners' notice (rosters.publicity): a day after it.
    with travel(notice.ends_on + timedelta(days=1)):
        project = audit_passed(project, reviewer)
        project = tranche_2_paid(project, finance)
        assert project.state == "closed", project.state
        with django_capture_on_commit_callbacks(execute=True):
            job = request_export(actor=reviewer, kind="summary_pdf", application=project)
    job.refresh_from_db()
    assert job.status == "done", job.status

    draft = build_application(organizer, "B")
    attachment = application_services.add_attachment(
        application=draft, actor=organizer, kind="plan", uploaded=pdf_upload("竞赛方案.pdf")
    )
    item = AgendaItem.objects.select_related("meeting").get(application=project)
    registration, call_attachment = _registration_and_call(reviewer, django_capture_on_commit_callbacks)
    return World(
        registration=registration, call_attachment=call_attachment, notice=notice, objection=objection,
        project=project, draft=draft, attachment=attachment, trade=draft.trades.first(), meeting=item.meeting,
        item=item, agreement=funding_selectors.current_agreement(project), roster=roster, winners=winners,
        participant=Participant.objects.filter(application=project).first(),
        photo=project.audit_photos.first(),
        document=document, supervision_photo=SupervisionPhoto.objects.get(visit__application=project),
        job=job, full_ids={p.id_number for p in Participant.objects.filter(application=project)},
    )


def _notice_and_objection(project, reviewer):
    """The winners' notice published, an objection with a file lodged and settled (the audit needs it)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rosters.publicity import services as publicity
    from tests.performance.media import PDF_BYTES

    notice = publicity.publish_notice(actor=reviewer, application=project)
    objection = publicity.lodge_objection(
        notice=notice, name="张三", contact="13800000000", text="一名获奖选手的工作单位填写有误，请核实。",
        upload=SimpleUploadedFile("证明.pdf", PDF_BYTES, content_type="application/pdf"), ip="203.0.113.5")
    publicity.handle_objection(actor=reviewer, objection=objection, outcome="rejected", result="经核实无误。")
    return notice, objection


def _registration_and_call(reviewer, capture_on_commit):
    """A unit's registration waiting in the department's queue, and an attachment of the year's call."""
    from django.core import mail

    from accounts import registration as registration_services
    from applications import calls
    from applications.models import Call
    from tests.accounts.test_registration import form_data, letter

    with capture_on_commit(execute=True):
        registration = registration_services.register_unit(data=form_data(), letter=letter())
    token = re.search(r"/accounts/register/confirm/([^/]+)/", mail.outbox[-1].body).group(1)
    registration_services.confirm_email(token=token)
    call = Call.objects.get(cycle=2026)
    calls.add_attachments(call=call, actor=reviewer, files=[letter(name="申报表.pdf")])
    return registration, call.attachments.get()


def url_for(name: str, pattern: URLPattern, w: World, user=None) -> str:
    kwargs = {}
    for key in pattern.pattern.converters:
        if key == "pk" and name in ("accounts:registration_detail", "accounts:registration_letter"):
            kwargs[key] = w.registration.pk
        elif key == "pk" and name == "accounts:unit_detail":
            kwargs[key] = w.project.lead_organization_id
        elif key == "pk":
            if name in NOT_PROJECT_PK:
                kwargs[key] = (getattr(user, "pk", 1) if name in USER_PK_ROUTES else None) or (
                    w.meeting.pk if name.startswith(("review:meeting", "review:packet")) or name == "review:minutes" else w.item.pk)
            elif name in ATTACHMENT_ROUTES or name in DRAFT_ROUTES:
                kwargs[key] = w.draft.pk
            else:
                kwargs[key] = w.project.pk
        else:
            kwargs[key] = {
                "number": 1, "trade_pk": w.trade.pk,
                "attachment_pk": w.call_attachment.pk if name == "applications:call_attachment" else w.attachment.pk,
                "agreement_pk": w.agreement.pk, "participant_pk": w.participant.pk, "photo_id": w.photo.pk,
                "document_id": w.document.pk, "job_id": w.job.pk, "cycle": w.project.cycle,
                "version_pk": (w.winners if name == "rosters:version_file" else w.roster).pk,
                "notice_pk": w.notice.pk, "objection_pk": w.objection.pk,
                "which": "original", "name": "plan", "call_pk": w.call_attachment.call_id, "token": "x" * 20, "uidb64": "MQ",
                "kind": _kind_for(name), "fmt": "pdf",
            }[key]
    if name == "performance:supervision_photo":
        kwargs["photo_id"] = w.supervision_photo.pk
    return reverse(name, kwargs=kwargs)


def _kind_for(name: str) -> str:
    return {"performance:export_year": "year_xlsx", "performance:export_project": "summary_pdf"}.get(name, "roster")


def names_a_project(name: str) -> bool:
    pattern = enumerate_urls()[name]
    keys = set(pattern.pattern.converters)
    return (("pk" in keys and name not in NOT_PROJECT_PK) or "agreement_pk" in keys)


# --- the sweep ----------------------------------------------------------------------------------


def _client(user=None, verified=False, **kw) -> Client:
    c = Client(**kw)
    if user is not None:
        c.force_login(user)
        if verified:
            verify_second_factor(c, user)
    return c


def verify_second_factor(client: Client, user) -> None:
    """What a correct TOTP code at /accounts/2fa/verify/ leaves in the session."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="身份验证器", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture(params=[False, pytest.param(True, marks=pytest.mark.two_factor)],
                ids=["password_only", "production_2fa"])
def production_2fa(request, settings):
    """The sweep runs twice: as the other tests see the site, and with REQUIRE_2FA_ROLES as shipped."""
    if request.param:
        from haidian_contest import settings as shipped

        settings.REQUIRE_2FA_ROLES = set(shipped.REQUIRE_2FA_ROLES)
        assert {FIN.value, APP.value, ADM.value} <= settings.REQUIRE_2FA_ROLES
    return request.param


def _acceptable_allowed(status: int) -> bool:
    return status in (200, 302, 404, 405)


def sweep(world, users_by_role, other_organizer, two_factor=False):
    """GET every URL as everyone. Returns (mismatches, 200 responses by (name, who)).

    With two_factor, the sensitive roles are signed in with their second factor verified (the table
    must hold as before), and the unverified sweep below is made as well.
    """
    urls = enumerate_urls()
    login = reverse("accounts:login")
    clients = {"anonymous": _client()} | {
        role.value: _client(u, verified=two_factor and role in SECOND_FACTOR_ROLES) for role, u in users_by_role.items()}
    clients["other_organizer"] = _client(other_organizer)
    mismatches, bodies = [], []
    for name, pattern in sorted(urls.items()):
        for who, client in clients.items():
            user = None if who == "anonymous" else (other_organizer if who == "other_organizer" else users_by_role[who])
            url = url_for(name, pattern, world, user)
            role = None if who == "anonymous" else (ORG if who == "other_organizer" else Role(who))
            may_act = role is not None and role in EXPECTED.get(name, ()) and who != "other_organizer"
            # A POST-only view answers any GET with 405 before it checks anything, so the check of who
            # gets in is made with a POST, by those who must be kept out (it never reaches the view body).
            if post_only(pattern) and not may_act and name not in PUBLIC | LOGIN_ONLY:
                r = client.post(url)
            else:
                r = client.get(url)
            status = r.status_code
            problem = None
            if who == "anonymous":
                if name not in PUBLIC and not (status == 302 and r["Location"].startswith(login)):
                    problem = "anonymous must be sent to the login page"
                if name in PUBLIC and status >= 500:
                    problem = "public page fails"
            elif name in PUBLIC or name in LOGIN_ONLY:
                if status in (403,) or status >= 500:
                    problem = "any logged-in user may open it"
            else:
                role = Role.ORGANIZER if who == "other_organizer" else Role(who)
                allowed = role in EXPECTED[name]
                if not allowed:
                    if status != 403:
                        problem = "role not allowed: expected 403"
                elif who == "other_organizer" and names_a_project(name):
                    if status not in (404, 405):
                        problem = "other unit's organizer: expected 404"
                elif not _acceptable_allowed(status):
                    problem = "allowed role: expected 200/302/404/405"
                elif status == 404 and who != "other_organizer" and name not in LEGIT_404:
                    problem = "allowed role got 404 on an object of the world"
            if problem:
                mismatches.append((name, who, status, url, problem))
            if status == 200:
                bodies.append((name, who, url, r))
    return mismatches, bodies


def sweep_before_second_factor(world, users_by_role):
    """Every URL as each sensitive role signed in by password only, once with a confirmed device
    (someone holding the password but not the phone) and once as a user who has not enrolled yet."""
    from tests.factories import user_with_role

    urls = enumerate_urls()
    verify, setup = reverse("accounts:otp_verify"), reverse("accounts:otp_setup")
    mismatches = []
    for role in SECOND_FACTOR_ROLES:
        enrolled = users_by_role[role]
        verify_second_factor(Client(), enrolled)  # makes sure the device exists; this client is dropped
        fresh = user_with_role(role, is_superuser=role == ADM, is_staff=role == ADM)
        for who, user, target in ((f"{role.value}/password", enrolled, verify),
                                  (f"{role.value}/not_enrolled", fresh, setup)):
            client = _client(user)
            for name, pattern in sorted(urls.items()):
                url = url_for(name, pattern, world, user)
                r = client.post(url) if post_only(pattern) else client.get(url)
                status = r.status_code
                reachable = (name in BEFORE_SECOND_FACTOR or name in STATIC_ASSET_ROUTES or name in PUBLIC_WITHOUT_ACCOUNT
                             or (name == FIRST_ENROLMENT and target == setup))
                if reachable:
                    problem = "must stay reachable before the second factor" if status == 403 or status >= 500 else None
                elif status != 302 or not r["Location"].startswith(target):
                    problem = f"must be sent to {target} before the second factor"
                else:
                    problem = None
                if problem:
                    mismatches.append((name, who, status, url, problem))
    return mismatches


def _format(rows) -> str:
    return "\n".join(f"{n:38} {who:16} {status}  {url}  — {why}" for n, who, status, url, why in rows)


def test_every_url_answers_each_user_as_the_table_says_and_never_shows_a_full_id(
        world, users_by_role, other_organizer, production_2fa):
    """One sweep for both checks: it is the slow part (about 750 requests, PDFs and workbooks among them).

    Run twice (production_2fa): once more with the second factor required, as shipped, where the
    sensitive roles signed in by password only must reach nothing but sign-in, sign-out and
    verification (and first enrolment when they have no device)."""
    mismatches, bodies = sweep(world, users_by_role, other_organizer, two_factor=production_2fa)
    if production_2fa:
        mismatches += sweep_before_second_factor(world, users_by_role)
    known = {(n, who) for n, who, *_ in mismatches if (n, who) in {(k, r.value) for k, r in KNOWN_DEVIATIONS}}
    unexpected = [m for m in mismatches if (m[0], m[1]) not in known]
    fixed = {(k, r.value) for k, r in KNOWN_DEVIATIONS} - known
    all_leaks = full_id_leaks(world, bodies)
    leak_keys = {(n, who) for n, who, *_ in all_leaks}
    allowed = {(k, r.value) for k, r in FULL_ID_ALLOWED | KNOWN_FULL_ID_LEAKS}
    leaks = [m for m in all_leaks if (m[0], m[1]) not in allowed]
    fixed |= {(k, r.value) for k, r in KNOWN_FULL_ID_LEAKS} - leak_keys
    report = []
    if unexpected:
        report.append("Answers that differ from EXPECTED:\n" + _format(unexpected))
    if fixed:
        report.append(f"Fixed, remove from KNOWN_DEVIATIONS / KNOWN_FULL_ID_LEAKS: {sorted(fixed)}")
    if leaks:
        report.append("Full ID numbers shown:\n" + _format(leaks))
    assert not report, "\n\n".join(report)
    swept = {n for n, *_ in bodies}
    assert {"rosters:participants", "rosters:winners", "rosters:export", "performance:job_download",
            "applications:export_pdf", "applications:export_xlsx", "dashboard:export"} <= swept


def test_other_units_organizer_never_sees_the_project_in_lists(world, other_organizer):
    client = _client(other_organizer)
    for name in ("applications:list", "dashboard:search", "home", "notifications"):
        page = client.get(reverse(name), {"q": world.project.title[:6]} if name == "dashboard:search" else {})
        assert world.project.title not in page.content.decode(), name


def test_admin_site_sends_an_organizer_to_its_own_login(organizer):
    r = _client(organizer).get("/admin/")
    assert r.status_code == 302 and r["Location"].startswith("/admin/login/")
    follow = _client(organizer).get("/admin/", follow=True)
    body = follow.content.decode()
    assert "applications/application/" not in body and "accounts/user/" not in body


# --- CSRF ---------------------------------------------------------------------------------------


def test_every_post_without_a_token_is_refused(world, users_by_role, other_organizer):
    urls = enumerate_urls()
    clients = {role: _client(u, enforce_csrf_checks=True) for role, u in users_by_role.items()}
    anonymous = Client(enforce_csrf_checks=True)
    accepted = []
    for name, pattern in sorted(urls.items()):
        roles = EXPECTED.get(name)
        role = next((r for r in Role if r in roles), None) if roles else Role.ORGANIZER
        client = anonymous if name in PUBLIC else clients[role]
        url = url_for(name, pattern, world, users_by_role[role])
        r = client.post(url, {"name": "x"})
        if r.status_code != 403 or "CSRF" not in r.content.decode():
            accepted.append((name, role, r.status_code, url, "POST without CSRF token was not refused"))
    assert accepted == [], "\n" + _format(accepted)


# --- full ID numbers ----------------------------------------------------------------------------

ID_RE = re.compile(rb"\d{17}[\dXx]")


def _texts(content: bytes, depth: int = 0):
    """The searchable text of a response: HTML/JSON as is, every member of an xlsx/zip, a PDF's text."""
    yield content
    if depth > 2:
        return
    if content[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            for member in zf.namelist():
                yield from _texts(zf.read(member), depth + 1)
    elif content[:5] == b"%PDF-":
        from pypdf import PdfReader

        try:
            reader = PdfReader(io.BytesIO(content))
            yield "".join(page.extract_text() or "" for page in reader.pages).encode()
        except Exception:  # a stored scan we generated without text: its bytes were scanned above
            pass


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def full_id_leaks(world, bodies) -> list:
    assert len(world.full_ids) == 60
    leaks = []
    for name, who, url, response in bodies:
        for text in _texts(_body(response)):
            found = {m.decode() for m in ID_RE.findall(text)} & world.full_ids
            if found:
                leaks.append((name, who, 200, url, f"full ID shown: {sorted(found)[:2]}"))
                break
    return leaks


def test_full_id_only_for_the_reviewer_and_each_reveal_is_logged(world, users_by_role):
    from rosters.models import FullIdView

    url = reverse("rosters:full_id", kwargs={"pk": world.project.pk, "participant_pk": world.participant.pk})
    for role, user in users_by_role.items():
        r = _client(user).post(url)
        if role == REV:
            assert r.status_code == 200 and world.participant.id_number in r.content.decode()
        else:
            assert r.status_code == 403, role
            assert world.participant.id_number not in r.content.decode()
    views = FullIdView.objects.filter(participant=world.participant)
    assert [v.user for v in views] == [users_by_role[REV]]



def test_stored_files_are_not_reachable_by_their_storage_path(world, users_by_role):
    """Uploads are served only through the permission-checked views above, never as plain media URLs."""
    from django.conf import settings

    client = _client(users_by_role[REV])
    for field in (world.attachment.file, world.photo.file, world.document.file, world.agreement.scan,
                  world.roster.file, world.job.file):
        assert field.name
        r = client.get(f"/{settings.MEDIA_URL.strip('/')}/{field.name}".replace("//", "/"))
        assert r.status_code == 404, field.name
