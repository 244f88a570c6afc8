from django.apps import AppConfig


class KitAppConfig(AppConfig):
    name = "salesops.workflow.tests.kitapp"
    label = "workflow_kit"
    verbose_name = "kernel test kit"

    def ready(self) -> None:
        from salesops.core.pdf import A4, CONTINUOUS_HALF, CONTINUOUS_THIRD, FOUR_PART_COPIES
        from salesops.workflow.registry import register_defaults, register_document

        from .models import Memo, MemoState
        from .workflows import MEMO_FLOW, ensure_default_policies

        register_document(
            Memo,
            flow=MEMO_FLOW,
            print_template="workflow_kit/print/memo.html",
            print_states=(MemoState.APPROVED,),
            print_copies=FOUR_PART_COPIES,
            print_sizes=(CONTINUOUS_HALF, CONTINUOUS_THIRD, A4),
        )
        register_defaults(ensure_default_policies)
