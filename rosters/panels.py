"""The roster section of the project page: status of the roster and the winners list, with links."""

from accounts.roles import Role
from applications.panels import Panel
from haidian_contest.workflow import APPROVED_STATES

from . import selectors, services
from .models import RosterVersion

Kind = RosterVersion.Kind


def panel_context(request, application):
    if application.state not in APPROVED_STATES:
        return None
    user = request.user
    is_owner = user.role == Role.ORGANIZER and application.lead_organization_id == user.organization_id
    if not (is_owner or user.is_union_staff):
        return None
    roster = selectors.current_version(application, Kind.ROSTER)
    return {
        "application": application,
        "roster": roster,
        "roster_latest": selectors.latest_version(application, Kind.ROSTER),
        "winners_current": selectors.current_version(application, Kind.WINNERS),
        "winners_latest": selectors.latest_version(application, Kind.WINNERS),
        "counts": selectors.trade_counts(application, roster),
        "can_upload_roster": is_owner and services.upload_allowed(application, Kind.ROSTER),
        "can_upload_winners": is_owner and services.upload_allowed(application, Kind.WINNERS),
    }


PANEL = Panel(key="rosters", title="参赛选手名单与获奖名单", template="rosters/_panel.html", context=panel_context,
              order=62)
