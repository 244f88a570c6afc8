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
