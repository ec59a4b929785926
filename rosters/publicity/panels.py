"""The project page's section on the winners' public notice."""

from accounts.roles import Role
from applications.panels import Panel
from haidian_contest.workflow import APPROVED_STATES

from ..panels import shown as roster_panel_shown
from . import selectors, services


def panel_context(request, application):
    if application.state not in APPROVED_STATES:
        return None
    user = request.user
    owner = user.role == Role.ORGANIZER and application.lead_organization_id == user.organization_id
    if not (owner or user.is_union_staff):
        return None
    notices = selectors.project_notices(application)
    is_reviewer = user.role == Role.REVIEWER
    problems = services.publish_problems(application) if is_reviewer else []
    if not notices.history and not is_reviewer:
        return None
    return {
        "application": application, "notices": notices, "is_reviewer": is_reviewer,
        "can_publish": is_reviewer and not problems, "publish_problems": problems,
        "can_withdraw": is_reviewer and notices.live is not None and application.state in services.PUBLISH_STATES,
        "guard_reasons": services.notice_settled(application),
        "show_objections": user.is_union_staff,
    }


PANEL = Panel(key="publicity", title="获奖名单公示", template="rosters/publicity/_panel.html", context=panel_context,
              tab="rosters", tab_title="名单与公示", shown=roster_panel_shown, order=63)
