"""Who does what in compliance (the services and views check these)."""

from salesops.org.roles import Role

# See the "rules at risk" page and the department's violations (their scope does the rest).
OVERSEERS = (Role.SALES_MANAGER, Role.BRANCH_MANAGER, Role.LEADERSHIP, Role.ADMIN)
# Export the monthly per-person summary for the HR / payroll office.
HR_EXPORTERS = (Role.LEADERSHIP, Role.ADMIN, Role.FINANCE)
# Propose rewards and penalties to the company (D3, D5).
PROPOSERS = (Role.SALES_MANAGER, Role.BRANCH_MANAGER)
# Enter the monthly wage a loss deduction is capped against (HR / payroll).
WAGE_KEEPERS = (Role.FINANCE, Role.ADMIN)
