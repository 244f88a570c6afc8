"""Row scope by role (SPEC.md "Visibility"), shared by every ``visible_to(user)``.

A salesperson sees what they own; a sales manager their department and their
direct reports; a branch manager their branch; leadership and admin everything;
the step roles (finance, sales office, warehouse, technical, purchasing) see a
document type only where that type's model names them in ``see_all``.
Holding several roles gives the union.
"""

from collections.abc import Iterable

from django.db.models import Q

from .roles import SEE_EVERYTHING, Role

NOTHING = Q(pk__in=[])


def scope_q(
    user,
    *,
    owner: str = "owner",
    branch: str = "branch",
    department: str = "department",
    see_all: Iterable[str] = (),
) -> Q:
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    roles = user.roles  # read once: every list's visible_to asks these four questions
    if roles & (SEE_EVERYTHING | set(see_all)):
        return Q()
    q = NOTHING
    if Role.SALESPERSON in roles or Role.SALES_MANAGER in roles or Role.BRANCH_MANAGER in roles:
        q |= Q(**{owner: user.pk})
    if Role.SALES_MANAGER in roles:
        q |= Q(**{f"{department}__manager": user.pk}) | Q(**{f"{owner}__manager": user.pk})
    if Role.BRANCH_MANAGER in roles:
        q |= Q(**{f"{branch}__manager": user.pk})
    return q


def sees_own(user) -> bool:
    """Whether ``scope_q`` shows ``user`` the rows they own, answered without a query."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.roles & (SEE_EVERYTHING | {Role.SALESPERSON, Role.SALES_MANAGER, Role.BRANCH_MANAGER}))


def people_q(user) -> Q:
    """The staff a user's scope covers, as ``scope_q`` scopes their documents: themselves; a sales
    manager's department and direct reports; a branch manager's branch; everyone for leadership
    and admin. (A rule's breaches and a manager's proposals are about people, not documents.)"""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    roles = user.roles
    if roles & SEE_EVERYTHING:
        return Q()
    q = Q(pk=user.pk)
    if Role.SALES_MANAGER in roles:
        q |= Q(department__manager=user.pk) | Q(manager=user.pk)
    if Role.BRANCH_MANAGER in roles:
        q |= Q(branch__manager=user.pk)
    return q
