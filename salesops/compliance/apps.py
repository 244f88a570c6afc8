from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "salesops.compliance"
    label = "compliance"
    verbose_name = _("Compliance")

    def ready(self) -> None:
        from salesops.workflow.inbox import register_task_source
        from salesops.workflow.registry import register_defaults, register_document
        from salesops.workflow.rules import listen

        from . import services
        from .models import Proposal, Violation
        from .policies import ensure_defaults
        from .selectors import acknowledgement_tasks
        from .workflows import PROPOSAL_FLOW, VIOLATION_FLOW

        register_document(Violation, flow=VIOLATION_FLOW, services=services.VIOLATION_SERVICES)
        register_document(Proposal, flow=PROPOSAL_FLOW, services=services.PROPOSAL_SERVICES)
        register_defaults(ensure_defaults)
        register_task_source(acknowledgement_tasks)
        listen(services.check_after_action)
        # After every migrate: the review policy, and a new version of the rule set when an app
        # registered a rule the current one lacks.
        post_migrate.connect(_seed, sender=self)


def _seed(sender, **kwargs) -> None:
    from .policies import ensure_defaults

    ensure_defaults()
