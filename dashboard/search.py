"""One search box: projects, organizations and people.

People are found by name, or by a full resident ID number through the keyed hash the rosters
store (rosters.identity.id_hash): the number itself is never compared, stored, shown or echoed
back, and every lookup by full number is written to the security log. Organizers search only their
own unit's projects and the rosters of those projects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Q

from accounts.models import Organization
from accounts.permissions import require_role
from accounts.roles import STAFF_ROLES, Role
from accounts.security import log_event
from applications.models import Occupation, Trade
from applications.selectors import visible_applications
from haidian_contest import rules
from haidian_contest.rules.people import normalize_id
from rosters.identity import id_hash
from rosters.models import Participant

LIMIT = 20
MAX_QUERY = 50
ID_PATTERN = re.compile(r"[0-9]{17}[0-9X]")
CREDIT_CODE_PATTERN = re.compile(r"[0-9A-HJ-NPQRTUWXY]{18}")
# A person's name as rosters hold it: Chinese characters, at most a middle dot (少数民族姓名). Anything
# longer or with Latin letters or digits is a project, a unit or a code, and skips the roster scan.
PERSON_NAME = re.compile(r"[\u3400-\u9fff]{1,6}|[\u3400-\u9fff]{1,10}[·•][\u3400-\u9fff·•]{1,20}")


@dataclass
class Results:
    query: str = ""  # what the search box may show again: "" after a lookup by full ID number
    shown_query: str = ""  # how the page names the search (masked for an ID number)
    by_id: bool = False
    notice: str = ""
    projects: list = field(default_factory=list)
    organizations: list = field(default_factory=list)
    people: list = field(default_factory=list)
    more: dict = field(default_factory=dict)  # group → True when more than LIMIT matched
    searched_organizations: bool = False

    @property
    def empty(self) -> bool:
        return not (self.projects or self.organizations or self.people)


def normalize(query: str) -> str:
    return " ".join((query or "").split())[:MAX_QUERY]


def is_full_id(query: str) -> bool:
    return bool(ID_PATTERN.fullmatch(normalize_id(query)))


def _take(qs, results: Results, group: str) -> list:
    rows = list(qs[: LIMIT + 1])
    results.more[group] = len(rows) > LIMIT
    return rows[:LIMIT]


def _contains(query: str) -> str:
    # Case only matters for Latin letters; without them PostgreSQL is spared an UPPER() per row.
    return "icontains" if re.search(r"[A-Za-z]", query) else "contains"


def _projects(user, query: str):
    lookup = _contains(query)
    # The catalogue is small: match occupation names there first, so the trade table is read once
    # (an uncorrelated IN) instead of joining the catalogue for every trade of every project.
    occupations = list(Occupation.objects.filter(**{f"name__{lookup}": query}).values_list("pk", flat=True)[:500])
    trades = Trade.objects.filter(Q(occupation_id__in=occupations)
                                  | Q(occupation__isnull=True, **{f"custom_name__{lookup}": query}))
    match = (Q(**{f"title__{lookup}": query}) | Q(**{f"lead_organization__name__{lookup}": query})
             | Q(pk__in=trades.values("application_id")))
    if CREDIT_CODE_PATTERN.fullmatch(query.upper()):
        match |= Q(lead_organization__credit_code=query.upper())
    return visible_applications(user).filter(match).order_by("-cycle", "title", "pk")


def _organizations(query: str):
    match = Q(**{f"name__{_contains(query)}": query})
    code = query.upper()
    if len(code) >= 4 and code.isalnum() and code.isascii():
        match |= Q(credit_code__startswith=code)
    return Organization.objects.filter(match).order_by("name", "pk")


def _people(user, *, name: str = "", hashed: str = ""):
    qs = Participant.objects.filter(is_current=True)
    if user.role == Role.ORGANIZER:
        # Only the rosters of the unit's own projects.
        qs = qs.filter(application_id__in=visible_applications(user).values("pk"))
    qs = qs.filter(id_hash=hashed) if hashed else qs.filter(name__contains=name)
    # Newest rows first, in primary-key order: the scan stops after LIMIT matches (a common name is
    # found at once), where any other ORDER BY would read every row of a 100,000-row roster table.
    return (
        qs.select_related("application", "trade__occupation")
        # The full number and phone stay in the database: nothing on this page may show them.
        .defer("personal_encrypted", "id_hash")
        .order_by("-pk")
    )


def _exact_first(people: list, name: str) -> list:
    return sorted(people, key=lambda p: (p.name != name, -p.cycle, p.name, -p.pk))


def search(*, actor, query: str, ip: str = "") -> Results:
    require_role(actor, *Role)
    query = normalize(query)
    results = Results(query=query, shown_query=query)
    if not query:
        return results
    staff = actor.role in STAFF_ROLES
    if is_full_id(query):
        number = normalize_id(query)
        results.query, results.by_id = "", True
        results.shown_query = rules.mask_id_number(number)
        if not rules.is_valid_id_number(number):
            results.notice = "身份证号校验位不正确，请核对后重新输入。"
            return results
        # Written before the lookup: a lookup that fails half-way was still attempted.
        log_event("full_id_view", ip=ip, user=actor, detail="按身份证号检索")
        people = _take(_people(actor, hashed=id_hash(number)), results, "people")
        results.people = sorted(people, key=lambda p: (-p.cycle, -p.pk))
        if staff:
            # A credit code can look like an ID number (18 digits); an exact match costs one indexed lookup.
            results.searched_organizations = True
            results.organizations = list(Organization.objects.filter(credit_code=number))
        return results
    results.projects = _take(_projects(actor, query), results, "projects")
    if staff:
        results.searched_organizations = True
        results.organizations = _take(_organizations(query), results, "organizations")
    if PERSON_NAME.fullmatch(query):
        results.people = _exact_first(_take(_people(actor, name=query), results, "people"), query)
    return results


__all__ = ["search", "Results", "is_full_id", "LIMIT"]
