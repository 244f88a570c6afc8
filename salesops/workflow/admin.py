"""The document kernel in the admin site (admin role only).

Approval rules are editable: that is how the admin changes policy (a change applies to
documents submitted afterwards; chains in flight were copied at submission). So are the copies
(联) of printed forms. Approval steps, the audit trail and notifications are written by the
services only: the admin may look.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from salesops.core.admin import ReadOnlyAdmin, RoleAdmin

from .models import ApprovalRule, ApprovalStep, DocumentEvent, Notification, PrintCopy, StepCondition
from .registry import all_document_types


def document_type_choices(current: str = "") -> list[tuple[str, str]]:
    choices = [
        (t.label, f"{t.model._meta.verbose_name} ({t.label})")
        for t in sorted(all_document_types(), key=lambda t: t.label)
    ]
    if current and current not in {value for value, _ in choices}:
        choices.append((current, current))
    return choices


class ApprovalRuleForm(forms.ModelForm):
    doc_type = forms.ChoiceField(label=_("document type"))

    class Meta:
        model = ApprovalRule
        fields = ("doc_type", "sequence", "role", "condition", "flag", "branch", "is_active")
        help_texts = {
            "sequence": _("Steps run in ascending order."),
            "flag": _("Only for the condition 'when the document carries the flag', e.g. non_standard or deviation."),
            "branch": _("Leave empty to apply to every branch."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doc_type"].choices = document_type_choices(self.instance.doc_type if self.instance else "")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("condition") == StepCondition.FLAG:
            if not (cleaned.get("flag") or "").strip():
                self.add_error("flag", gettext("Name the flag this step depends on."))
        else:
            cleaned["flag"] = ""
        return cleaned


@admin.register(ApprovalRule)
class ApprovalRuleAdmin(RoleAdmin):
    form = ApprovalRuleForm
    list_display = ("doc_type", "sequence", "role", "condition", "flag", "branch", "is_active")
    list_filter = ("doc_type", "role", "condition", "is_active", "branch")
    list_select_related = ("branch",)
    ordering = ("doc_type", "sequence", "pk")


class PrintCopyForm(forms.ModelForm):
    doc_type = forms.ChoiceField(label=_("document type"))

    class Meta:
        model = PrintCopy
        fields = ("doc_type", "position", "name", "purpose", "colour_label", "colour")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doc_type"].choices = document_type_choices(self.instance.doc_type if self.instance else "")


@admin.register(PrintCopy)
class PrintCopyAdmin(RoleAdmin):
    """The copies (联) of each printed form; a type without rows prints its declared copies (the
    settings page, ``workflow:print-copies``, starts from those)."""

    form = PrintCopyForm
    list_display = ("doc_type", "position", "name", "purpose", "colour_label", "colour")
    list_filter = ("doc_type",)
    ordering = ("doc_type", "position")


class _DocumentColumn:
    """Shows the step's or event's document number; the documents come in one prefetch."""

    @admin.display(description=_("document"))
    def document_number(self, obj) -> str:
        doc = obj.document
        return doc.number if doc is not None else f"{obj.content_type.model} #{obj.object_id}"


@admin.register(ApprovalStep)
class ApprovalStepAdmin(_DocumentColumn, ReadOnlyAdmin):
    list_display = (
        "document_number",
        "content_type",
        "round",
        "sequence",
        "role",
        "approver",
        "status",
        "pending_since",
        "decided_by",
        "decided_at",
    )
    list_filter = ("status", "role", "content_type")
    list_select_related = ("content_type", "approver", "decided_by")
    date_hierarchy = "pending_since"
    actions = None

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("document")


@admin.register(DocumentEvent)
class DocumentEventAdmin(ReadOnlyAdmin):
    """The audit trail: append-only (the model and a database trigger refuse changes)."""

    list_display = ("at", "number", "action", "from_state", "to_state", "actor", "request_id")
    list_filter = ("action", "content_type")
    list_select_related = ("actor", "content_type")
    search_fields = ("number", "comment", "actor__username", "request_id")
    date_hierarchy = "at"
    actions = None


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "text", "read_at", "dedupe_key")
    list_select_related = ("user",)
    search_fields = ("text", "user__username", "dedupe_key")
    date_hierarchy = "created_at"
    actions = None
