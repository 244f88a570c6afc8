"""Role sets of the document kernel."""

from salesops.org.roles import Role

# Who sees approvals that wait too long and hands them to someone else.
REROUTERS = (Role.LEADERSHIP, Role.ADMIN)
