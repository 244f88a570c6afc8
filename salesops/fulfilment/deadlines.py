"""R7: after a formal contract is signed, the goods ship within one working day. The ship-by date is
the first working day strictly after the signing date (Chinese working days with 调休; 预计 when
counted on a provisional calendar)."""

import datetime

from salesops.org.calendar import CalendarData, Deadline, working_day_deadline


def ship_by(signed_on: datetime.date, *, data: CalendarData | None = None) -> Deadline:
    return working_day_deadline(signed_on, 1, data=data)
