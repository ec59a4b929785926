"""The roster section of the project page: status of the roster and the winners list, with links."""

from accounts.roles import Role
from applications.panels import Panel
from haidian_contest.workflow import APPROVED_STATES

from . import selectors, services
from .models import RosterVersion

Kind = RosterVersion.Kind


def is_owner(user, application) -> bool:
    return user.role == Role.ORGANIZER and application.lead_organization_id == user.organization_id


def can_upload(user, application, kind) -> bool:
    return is_owner(user, application) and services.upload_allowed(application=application, kind=kind)


def status(user, application) -> dict:
    """Roster and winners versions, counts per trade and what this user may upload: the project
    page's panel and the roster page (views.project_rosters) both show it."""
    found = selectors.current_and_latest(application)
    roster, roster_latest = found[Kind.ROSTER]
    winners_current, winners_latest = found[Kind.WINNERS]
    return {
        "application": application,
        "roster": roster,
        "roster_latest": roster_latest,
        "winners_current": winners_current,
        "winners_latest": winners_latest,
        "counts": selectors.trade_counts(application, roster),
        "can_upload_roster": can_upload(user, application, Kind.ROSTER),
        "can_upload_winners": can_upload(user, application, Kind.WINNERS),
    }


def panel_context(request, application):
    if application.state not in APPROVED_STATES:
        return None
    if not (is_owner(request.user, application) or request.user.is_union_staff):
        return None
    return status(request.user, application)


def shown(user, application) -> bool:
    return application.state in APPROVED_STATES and (is_owner(user, application) or user.is_union_staff)


PANEL = Panel(key="rosters", title="参赛选手名单与获奖名单", template="rosters/_panel.html", context=panel_context,
              tab="rosters", tab_title="名单与公示", shown=shown, order=62)
