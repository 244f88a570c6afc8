from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DealsConfig(AppConfig):
    name = "salesops.deals"
    label = "deals"
    verbose_name = _("Deals")

    def ready(self) -> None:
        from salesops.workflow.inbox import register_task_source
        from salesops.workflow.registry import register_defaults, register_document

        from .choices import ContractState, QuotationState
        from .models import Contract, Inquiry, PhoneOrder, Quotation
        from .policies import ensure_default_policies
        from .selectors.contracts import archive_tasks
        from .selectors.inquiries import inquiry_tasks, support_request_tasks
        from .selectors.quotations import quotation_tasks
        from .selectors.register import register_tasks
        from .services.contracts import contract_act
        from .services.inquiries import inquiry_act
        from .services.orders import phone_order_act
        from .services.quotations import quotation_act
        from .workflows import CONTRACT_FLOW, INQUIRY_FLOW, PHONE_ORDER_FLOW, QUOTATION_FLOW

        register_defaults(ensure_default_policies)
        register_document(Inquiry, flow=INQUIRY_FLOW, act=inquiry_act)
        register_document(
            Quotation,
            flow=QUOTATION_FLOW,
            act=quotation_act,
            print_template="deals/print/quotation.html",
            # W2.6: only a reviewed quotation goes out; a won one was issued before.
            print_states=(QuotationState.ISSUED, QuotationState.WON),
        )
        register_document(
            Contract,
            flow=CONTRACT_FLOW,
            act=contract_act,
            print_template="deals/print/contract.html",
            # W3.3: the deviations are re-confirmed before the contract is stamped for signing.
            print_states=(ContractState.CONFIRMED, ContractState.SIGNED, ContractState.ARCHIVED),
        )
        register_document(PhoneOrder, flow=PHONE_ORDER_FLOW, act=phone_order_act)
        for source in (inquiry_tasks, support_request_tasks, quotation_tasks, archive_tasks, register_tasks):
            register_task_source(source)
