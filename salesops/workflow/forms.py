"""The copies (联) of a printed form, entered one per line (``workflow.printing``)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.core.forms import BootstrapFormMixin
from salesops.core.pdf import COLOUR, MARK_COLOURS, FormCopy


def copies_text(copies: list[FormCopy]) -> str:
    return "\n".join(f"{c.name} {c.purpose} {c.colour_label} {c.colour}" for c in copies)


def parse_copies(text: str) -> list[FormCopy]:
    """One copy per line: name, purpose, paper colour and, optionally, the mark's colour (#RRGGBB;
    the usual one of the paper colour when left out). A line that does not parse is named by its number."""
    copies, bad = [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        parts = raw.split()
        if not parts:
            continue
        if len(parts) == 3:
            parts.append(MARK_COLOURS.get(parts[2], MARK_COLOURS["白"]))
        if len(parts) != 4 or not COLOUR.match(parts[3]):
            bad.append(str(number))
            continue
        name, purpose, colour_label, colour = parts
        copies.append(FormCopy(name, purpose, colour_label, colour))
    if bad:
        raise forms.ValidationError(
            _(
                "Line %(lines)s: write the copy's name, purpose and paper colour, then the mark's colour "
                "as #RRGGBB if you like."
            )
            % {"lines": ", ".join(bad)}
        )
    return copies


class PrintCopiesForm(BootstrapFormMixin, forms.Form):
    copies = forms.CharField(
        label=gettext_lazy("Copies"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "One copy per line, in printing order: name, purpose, paper colour and, if you like, the mark's "
            "colour, e.g. “第二联 仓库联 红 #c62828”. Leave it empty to print the form's default copies."
        ),
    )

    def clean_copies(self) -> list[FormCopy]:
        return parse_copies(self.cleaned_data["copies"])
