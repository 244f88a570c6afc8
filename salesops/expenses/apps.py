from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpensesConfig(AppConfig):
    name = "salesops.expenses"
    label = "expenses"
    verbose_name = _("Expenses")

    def ready(self) -> None:
        from salesops.workflow.inbox import register_task_source
        from salesops.workflow.registry import register_defaults, register_document

        from . import services
        from .models import CollectionPermit, ExpenseRequest, ExpenseState, PermitState, SpecialFee, SpecialFeeState
        from .policies import ensure_default_policies
        from .selectors import payment_tasks, permit_tasks
        from .workflows import EXPENSE_FLOW, PERMIT_FLOW, SPECIAL_FEE_FLOW

        register_document(
            ExpenseRequest,
            flow=EXPENSE_FLOW,
            # Submitting checks R3's planned date; the other actions are the bare transitions.
            services={
                "submit": lambda doc, *, actor, comment="": services.expense_transition(
                    expense=doc, action="submit", actor=actor, comment=comment
                )
            },
            print_template="expenses/print/expense.html",
            print_states=(ExpenseState.APPROVED,),
        )
        register_document(
            SpecialFee,
            flow=SPECIAL_FEE_FLOW,
            print_template="expenses/print/special_fee.html",
            print_states=(SpecialFeeState.APPROVED, SpecialFeeState.PAID),
        )
        register_document(
            CollectionPermit,
            flow=PERMIT_FLOW,
            # Submitting copies the remit days, closing stamps the time (services.permit_transition).
            services={
                action: (
                    lambda doc, *, actor, comment="", action=action: services.permit_transition(
                        permit=doc, action=action, actor=actor, comment=comment
                    )
                )
                for action in services.PERMIT_ACTION_VALUES
            },
            # Stamped only while it may be used: a closed permit shown to a dealer would invite a
            # collection nobody allows any more (R2).
            print_template="expenses/print/collection_permit.html",
            print_states=(PermitState.APPROVED,),
        )
        register_task_source(payment_tasks)
        register_task_source(permit_tasks)
        from salesops.workflow.rules import register_rule

        from .rules import RULES

        for check in RULES:
            register_rule(check)
        register_defaults(ensure_default_policies)

        from salesops.core.services import list_url, listed_rows, register_exporter

        from . import exports, selectors
        from .permissions import READERS

        list_rows = listed_rows(selectors.expense_list, selectors.expense_listing)
        register_exporter(
            "expenses",
            roles=READERS,
            rows=lambda *, user, params: exports.expense_export_rows(list_rows(user=user, params=params)),
            write=lambda rows, *, user, params, progress: exports.expenses_to_xlsx(rows, progress=progress),
            filename=exports.expenses_filename,
            list_url=list_url("expenses:expense-list"),
        )
