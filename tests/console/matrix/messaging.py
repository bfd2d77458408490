"""Matrix entries of the messaging pages: sent messages, duty by SMS, unconfirmed duty alerts."""

from datetime import UTC, datetime, timedelta

from backend.extensions import db
from backend.messaging.models import DutyNotice
from backend.roster.models import RosterShift
from tests import factories
from tests.console.business_helpers import make_business
from tests.console.matrix import route


def end_sms_duty(w) -> str:
    return f"/console/messaging/duty/{make_business(w.guild)}/end"


def alert_seen(w) -> str:
    business_id = make_business(w.guild)
    start = datetime.now(UTC) - timedelta(hours=1)
    shift = RosterShift(business_id=business_id, trade=factories.trade("klempner"),
                        starts_at=start, ends_at=start + timedelta(hours=12))  # fmt: skip
    db.session.add(shift)
    db.session.flush()
    notice = DutyNotice(shift_id=shift.id, kind="alert", sent_at=start)
    db.session.add(notice)
    db.session.commit()
    return f"/console/messaging/alerts/{notice.id}/seen"


# fmt: off
ENTRIES = [
    #     method url                                          anon admin g.own g.for c.own c.for
    route("GET",  "/console/messaging/?guild={guild.slug}",       "302 200  200  403  200  200"),
    route("GET",  "/console/messaging/duty?guild={guild.slug}",   "302 200  200  403  403  403"),
    route("POST", end_sms_duty,                                   "302 302  302  403  403  403"),
    route("GET",  "/console/messaging/alerts?guild={guild.slug}", "302 200  200  403  403  403"),
    route("POST", alert_seen,                                     "302 302  302  403  403  403"),
]
# fmt: on
