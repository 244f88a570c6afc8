from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class FulfilmentConfig(AppConfig):
    name = "salesops.fulfilment"
    label = "fulfilment"
    verbose_name = _("Fulfilment")

    def ready(self) -> None:
        from salesops.core.pdf import A4, CONTINUOUS_HALF, CONTINUOUS_THIRD, FOUR_PART_COPIES
        from salesops.workflow.inbox import register_task_source
        from salesops.workflow.registry import register_defaults, register_document

        from . import sections, services, workflows
        from .models import (
            Confirmation,
            DeliveryNote,
            NoteState,
            Outbound,
            RedNote,
            RedNoteState,
            Requisition,
            RequisitionState,
            ReturnRequest,
            ShipmentDelay,
        )
        from .policies import ensure_defaults
        from .selectors import TASK_SOURCES

        register_document(
            Requisition,
            flow=workflows.REQUISITION_FLOW,
            services=services.REQUISITION_SERVICES,
            print_template="fulfilment/print/requisition.html",
            print_states=(RequisitionState.APPROVED, RequisitionState.ARCHIVED),
        )
        register_document(
            DeliveryNote,
            flow=workflows.NOTE_FLOW,
            services=services.NOTE_SERVICES,
            print_template="fulfilment/print/note.html",
            print_states=(NoteState.ISSUED, NoteState.PARTLY, NoteState.SHIPPED, NoteState.CLOSED),
            print_copies=FOUR_PART_COPIES,
            print_sizes=(CONTINUOUS_HALF, CONTINUOUS_THIRD, A4),
        )
        register_document(Outbound, flow=workflows.OUTBOUND_FLOW)
        register_document(Confirmation, flow=workflows.CONFIRMATION_FLOW, services=services.CONFIRMATION_SERVICES)
        register_document(ReturnRequest, flow=workflows.RETURN_FLOW, services=services.RETURN_SERVICES)
        register_document(
            RedNote,
            flow=workflows.RED_NOTE_FLOW,
            services=services.RED_NOTE_SERVICES,
            print_template="fulfilment/print/rednote.html",
            print_states=(RedNoteState.ISSUED, RedNoteState.RECEIVED),
            print_copies=FOUR_PART_COPIES,
            print_sizes=(CONTINUOUS_HALF, CONTINUOUS_THIRD, A4),
        )
        register_document(ShipmentDelay, flow=workflows.DELAY_FLOW)
        register_defaults(ensure_defaults)
        sections.register()
        for source in TASK_SOURCES:
            register_task_source(source)
        from salesops.workflow.rules import register_rule

        from .rules import RULES
        from .selectors.due import shipping_tasks

        for check in RULES:
            register_rule(check)
        register_task_source(shipping_tasks)
        post_migrate.connect(_seed, sender=self)


def _seed(sender, **kwargs) -> None:
    from .policies import ensure_defaults

    ensure_defaults()
