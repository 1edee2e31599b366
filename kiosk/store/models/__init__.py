"""All tables of the kiosk database, split by what they hold.

Importing this package registers every model on :data:`Base.metadata`.
"""

from kiosk.store.models.activities import CourseSignup, EventRegistration, MentorRequest
from kiosk.store.models.base import Base
from kiosk.store.models.core import AuditEntry, KeyValue, OutboxRecord, UsageEvent
from kiosk.store.models.jobs import Employer, Job
from kiosk.store.models.records import (
    Application,
    CallbackRequest,
    JobSignup,
    PrintJob,
    Rating,
    SeekerRegistration,
)
from kiosk.store.models.sync import PullCheckpoint, SyncEntity

__all__ = [
    "Application",
    "AuditEntry",
    "Base",
    "CallbackRequest",
    "CourseSignup",
    "Employer",
    "EventRegistration",
    "Job",
    "JobSignup",
    "KeyValue",
    "MentorRequest",
    "OutboxRecord",
    "PrintJob",
    "PullCheckpoint",
    "Rating",
    "SeekerRegistration",
    "SyncEntity",
    "UsageEvent",
]
