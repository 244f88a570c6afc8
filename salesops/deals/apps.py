from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DealsConfig(AppConfig):
    name = "salesops.deals"
    label = "deals"
    verbose_name = _("Deals")

    def ready(self) -> None:
        from salesops.workflow.inbox import register_task_source
        from salesops.workflow.registry import register_defaults, register_document, services_taking

        from .choices import ContractState, QuotationState
        from .models import Contract, Inquiry, PhoneOrder, Quotation
        from .policies import ensure_default_policies
        from .selectors.contracts import archive_tasks
        from .selectors.inquiries import inquiry_tasks, support_request_tasks
        from .selectors.quotations import quotation_tasks
        from .selectors.register import register_tasks
        from .services import contracts, inquiries, orders, quotations
        from .workflows import CONTRACT_FLOW, INQUIRY_FLOW, PHONE_ORDER_FLOW, QUOTATION_FLOW

        register_defaults(ensure_default_policies)
        from salesops.workflow.rules import register_rule

        from .rules import RULES

        for check in RULES:
            register_rule(check)
        register_document(
            Inquiry,
            flow=INQUIRY_FLOW,
            services=services_taking(
                "inquiry",
                {
                    "bid": inquiries.inquiry_decide_bid,
                    "decline": (inquiries.inquiry_decline, "reason"),
                    "instruct": inquiries.inquiry_instruct,
                    "overrule": (inquiries.inquiry_overrule, "reason"),
                    "agree_decline": (inquiries.inquiry_overrule, "reason"),
                    "instruct_bid": inquiries.inquiry_instruct,
                    "cancel": (inquiries.inquiry_cancel, "reason"),
                },
            ),
        )
        register_document(
            Quotation,
            flow=QUOTATION_FLOW,
            services=services_taking(
                "quotation",
                {
                    "submit": quotations.quotation_submit,
                    "approve": quotations.quotation_approve,
                    "reject": (quotations.quotation_reject, "reason"),
                    "issue": quotations.quotation_issue,
                    "cancel": (quotations.quotation_cancel, "reason"),
                },
            ),
            print_template="deals/print/quotation.html",
            # W2.6: only a reviewed quotation goes out; a won one was issued before.
            print_states=(QuotationState.ISSUED, QuotationState.WON),
        )
        register_document(
            Contract,
            flow=CONTRACT_FLOW,
            services=services_taking(
                "contract",
                {
                    "submit": contracts.contract_submit,
                    "confirm": contracts.contract_confirm,
                    "reject": contracts.contract_reject,
                    "archive": contracts.contract_archive,
                    "void": (contracts.contract_void, "reason"),
                    "cancel": (contracts.contract_cancel, "reason"),
                },
            ),
            print_template="deals/print/contract.html",
            # W3.3: the deviations are re-confirmed before the contract is stamped for signing.
            print_states=(ContractState.CONFIRMED, ContractState.SIGNED, ContractState.ARCHIVED),
        )
        register_document(
            PhoneOrder,
            flow=PHONE_ORDER_FLOW,
            services=services_taking(
                "order",
                {
                    "submit": orders.phone_order_submit,
                    "confirm": orders.phone_order_confirm,
                    "reject": orders.phone_order_reject,
                    "cancel": orders.phone_order_cancel,
                },
            ),
        )
        for source in (inquiry_tasks, support_request_tasks, quotation_tasks, archive_tasks, register_tasks):
            register_task_source(source)

        from django.urls import reverse

        from salesops.core.services import register_exporter

        from .permissions import REGISTER_READERS
        from .selectors import register

        register_exporter(
            "contract-register",
            roles=REGISTER_READERS,
            rows=lambda *, user, params: register.register_export_rows(user=user, period=params.get("period")),
            write=lambda rows, *, user, params, progress: register.register_rows_xlsx(
                rows, period=params["period"], progress=progress
            ),
            filename=lambda params: f"contract-register-{params.get('period')}.xlsx",
            list_url=lambda params: reverse("deals:register-detail", args=[params.get("period")]),
        )
