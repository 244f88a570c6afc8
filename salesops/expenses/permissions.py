"""Who may open the expense pages and API operations (the rows each sees come from ``visible_to``)."""

from salesops.org.roles import Role

# Raise and edit their own expense requests and special fees (R3, R5).
RAISERS = (Role.SALESPERSON, Role.SALES_MANAGER, Role.BRANCH_MANAGER)
# See expenses: the raisers and their managers, finance (pays, R6), leadership and admin (SPEC "Visibility").
READERS = (*RAISERS, Role.FINANCE, Role.LEADERSHIP, Role.ADMIN)
# Record the payment of an instructed special fee (R6).
PAYERS = (Role.FINANCE,)
# Finance sees every expense request and special fee (it pays them, R6).
SEE_ALL_EXPENSES = (Role.FINANCE,)
# Look at other people's expenses, so the owner and branch filters mean something to them.
OVERSEERS = (Role.SALES_MANAGER, Role.BRANCH_MANAGER, Role.FINANCE, Role.LEADERSHIP, Role.ADMIN)

# Dealer collection permits (经销商收款许可, R2): finance receives the money remitted and the sales
# office checks the day's collections with it (R11), so both see every permit.
SEE_ALL_PERMITS = (Role.FINANCE, Role.BACK_OFFICE)
PERMIT_READERS = (*RAISERS, *SEE_ALL_PERMITS, Role.LEADERSHIP, Role.ADMIN)
# Close an approved permit once the collection is done and remitted: the owner, or finance or the
# sales office, who see the money arrive.
PERMIT_CLOSERS = SEE_ALL_PERMITS
PERMIT_OVERSEERS = (*OVERSEERS, Role.BACK_OFFICE)
