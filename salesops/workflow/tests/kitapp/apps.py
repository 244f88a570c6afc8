from django.apps import AppConfig


class KitAppConfig(AppConfig):
    name = "salesops.workflow.tests.kitapp"
    label = "workflow_kit"
    verbose_name = "kernel test kit"

    def ready(self) -> None:
        from salesops.workflow.registry import register_defaults, register_document

        from .models import Memo, MemoState
        from .workflows import MEMO_FLOW, ensure_default_policies

        register_document(Memo, flow=MEMO_FLOW, print_template="print/base.html", print_states=(MemoState.APPROVED,))
        register_defaults(ensure_default_policies)
