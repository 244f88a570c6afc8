"""Who may read and write customers, contacts, competitors and market intelligence.

Reading is scoped by ``Customer.objects.visible_to(user)``; these role sets
say who may open the pages and API operations at all, and ``can_edit_customer``
says who may change one visible customer (the owner, the owner's sales
manager, the admin).
"""

from salesops.org.roles import Role

# Every role whose work needs customers (SPEC.md "Visibility"); warehouse,
# technical and purchasing see none.
CUSTOMER_READERS = (
    Role.SALESPERSON,
    Role.SALES_MANAGER,
    Role.BRANCH_MANAGER,
    Role.LEADERSHIP,
    Role.BACK_OFFICE,
    Role.FINANCE,
    Role.ADMIN,
)
CUSTOMER_WRITERS = (Role.SALESPERSON, Role.SALES_MANAGER, Role.ADMIN)
# Who may give a customer to another salesperson, and import customers in bulk.
CUSTOMER_ASSIGNERS = (Role.SALES_MANAGER, Role.ADMIN)
OWNER_ROLES = (Role.SALESPERSON, Role.SALES_MANAGER)

SALES_ROLES = (Role.SALESPERSON, Role.SALES_MANAGER, Role.BRANCH_MANAGER, Role.LEADERSHIP, Role.ADMIN)
COMPETITOR_READERS = SALES_ROLES
COMPETITOR_WRITERS = (Role.SALESPERSON, Role.SALES_MANAGER, Role.BRANCH_MANAGER, Role.ADMIN)
INTEL_READERS = SALES_ROLES
INTEL_AUTHORS = (Role.SALESPERSON, Role.SALES_MANAGER, Role.BRANCH_MANAGER, Role.ADMIN)
# The sales office and finance work with every customer (delivery notes, receipts, invoices).
SEE_ALL_CUSTOMERS = (Role.BACK_OFFICE, Role.FINANCE)
# Every role but the salesperson may see customers of others, so the list offers an owner filter.
SEES_OTHERS_CUSTOMERS = tuple(role for role in Role if role != Role.SALESPERSON)
# Whose visible rows reach beyond their own: a sales manager's team, a branch manager's branch.
TEAM_MANAGERS = (Role.SALES_MANAGER,)
BRANCH_MANAGERS = (Role.BRANCH_MANAGER,)
ADMINS = (Role.ADMIN,)


def can_edit_customer(user, customer) -> bool:
    """Owner, the owner's sales manager (department head or direct manager), or admin.

    ``customer`` needs ``owner`` and ``department`` loaded to avoid queries.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    roles = user.roles  # one query for the three questions below
    if Role.ADMIN in roles:
        return True
    if roles.isdisjoint(CUSTOMER_WRITERS):
        return False
    if customer.owner_id == user.pk:
        return True
    if Role.SALES_MANAGER in roles:
        department = customer.department
        return bool(
            (department is not None and department.manager_id == user.pk) or customer.owner.manager_id == user.pk
        )
    return False


def can_assign_customer(user, customer) -> bool:
    return user.has_role(*CUSTOMER_ASSIGNERS) and can_edit_customer(user, customer)
