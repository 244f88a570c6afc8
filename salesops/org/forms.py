"""The form of a year's official holiday arrangement (放假安排), entered in one go."""

import datetime

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.core.forms import BootstrapFormMixin

from .calendar import PROVISIONAL_HOLIDAYS
from .services import CalendarDay


def parse_days(text: str) -> list[CalendarDay]:
    """One line per day or range: ``2027-02-05`` or ``2027-02-05..2027-02-11``, then a note.
    A line that does not parse is named by its number."""
    days: list[CalendarDay] = []
    bad: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        when, _sep, note = line.partition(" ")
        first, _dots, last = when.partition("..")
        try:
            start = datetime.date.fromisoformat(first)
            end = datetime.date.fromisoformat(last) if last else start
        except ValueError:
            bad.append(str(number))
            continue
        if end < start or (end - start).days > 31:
            bad.append(str(number))
            continue
        days.extend(
            CalendarDay(start + datetime.timedelta(days=n), note.strip()) for n in range((end - start).days + 1)
        )
    if bad:
        raise forms.ValidationError(
            _("Line %(lines)s: write a date as 2027-02-05, or a range as 2027-02-05..2027-02-11, then a note.")
            % {"lines": ", ".join(bad)}
        )
    return days


def provisional_text(year: int) -> str:
    """The holidays known ahead for ``year``, one line per day, as a starting point to correct."""
    return "\n".join(day.isoformat() for day in sorted(PROVISIONAL_HOLIDAYS.get(year, ())))


class CalendarYearForm(BootstrapFormMixin, forms.Form):
    source = forms.CharField(
        label=gettext_lazy("Source"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "The notice the arrangement comes from, e.g. 国务院办公厅关于2027年部分节假日安排的通知."
        ),
    )
    holidays = forms.CharField(
        label=gettext_lazy("Holidays"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy("One day or range per line, then its name: 2027-02-05..2027-02-11 春节"),
    )
    workdays = forms.CharField(
        label=gettext_lazy("Make-up working days (调休)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=gettext_lazy("Weekend days worked instead, one per line: 2027-02-20 春节调休"),
    )

    def clean_holidays(self) -> list[CalendarDay]:
        return parse_days(self.cleaned_data["holidays"])

    def clean_workdays(self) -> list[CalendarDay]:
        return parse_days(self.cleaned_data.get("workdays") or "")
