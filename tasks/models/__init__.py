"""The work points (`plan`: the document, its sections, points and the units they name) and
their tracking (`tracking`: tasks, progress reports with evidence, reviews, reminders) and
`carry_over` (unfinished tasks continued in a later year's plan).
Import from this package."""

from .carry_over import CarryOver
from .plan import PlanDocument, Section, WorkPoint, WorkPointParty, WorkPointQuerySet, chinese_numeral
from .tracking import (
    AT_RISK_DAYS,
    EvidenceFile,
    EvidenceStorage,
    ProgressReport,
    Reminder,
    Schedule,
    Task,
    TaskQuerySet,
    TaskReview,
    WorkPointSetting,
    check_due_on,
    evidence_path,
)

__all__ = [
    "AT_RISK_DAYS",
    "CarryOver",
    "EvidenceFile",
    "EvidenceStorage",
    "PlanDocument",
    "ProgressReport",
    "Reminder",
    "Schedule",
    "Section",
    "Task",
    "TaskQuerySet",
    "TaskReview",
    "WorkPoint",
    "WorkPointParty",
    "WorkPointQuerySet",
    "WorkPointSetting",
    "chinese_numeral",
    "check_due_on",
    "evidence_path",
]
