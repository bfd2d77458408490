"""Business hours in OpenStreetMap ``opening_hours`` syntax, judged in Europe/Berlin.

``PH`` means the public holidays of the business's own Land, which is why the
expressions are compiled here rather than by ``opening-hours-py`` (that package
only knows countries). Supported syntax: see :mod:`.parser`; evaluation rules,
including midnight-crossing spans: see :mod:`.compiler`; daylight saving: see
:mod:`.berlin`.

Typical use::

    schedule = compile_hours("Mo-Fr 07:00-17:00; Sa 08:00-12:00; PH off", "ST")
    schedule.is_open(datetime.now(BERLIN))
    list(schedule.open_intervals(start, end))
"""

from backend.hours.berlin import BERLIN
from backend.hours.intervals import Interval, available_window, merge_intervals
from backend.hours.parser import HoursSyntaxError, validate_hours
from backend.hours.schedule import Schedule, compile_hours

__all__ = [
    "BERLIN",
    "HoursSyntaxError",
    "Interval",
    "Schedule",
    "available_window",
    "compile_hours",
    "merge_intervals",
    "validate_hours",
]
