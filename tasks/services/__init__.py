"""Writes to the work points, their tasks, progress reports and reviews.

The modules: `work_points` (a point's units and scoring), `assignment` (one task per unit a
point names, due dates), `reports` (progress reports, evidence, the office's review) and
`reminders` (the daily email). Import from this package."""

from .assignment import (
    TaskSync,
    plan_tasks_sync,
    task_due_on_set,
    tasks_due_on_set,
    text_deadlines,
    work_point_assignments,
    work_point_default_due_on,
    work_point_tasks_sync,
    work_points_tasks_sync,
)
from .carry_over import carry_over_candidates, previous_plan, task_carry_over, tasks_carry_over
from .reminders import ReminderRun, reminder_compose, reminders_send
from .reports import (
    EVIDENCE_EXTENSIONS,
    EVIDENCE_MAX_FILES,
    EVIDENCE_MAX_SIZE,
    evidence_file_validate,
    progress_report_submit,
    task_review,
)
from .work_points import units_clause_parse, work_point_parties_replace, work_point_setting_update

__all__ = [
    "EVIDENCE_EXTENSIONS",
    "EVIDENCE_MAX_FILES",
    "EVIDENCE_MAX_SIZE",
    "ReminderRun",
    "TaskSync",
    "carry_over_candidates",
    "evidence_file_validate",
    "plan_tasks_sync",
    "previous_plan",
    "progress_report_submit",
    "reminder_compose",
    "reminders_send",
    "task_carry_over",
    "task_due_on_set",
    "tasks_carry_over",
    "task_review",
    "tasks_due_on_set",
    "text_deadlines",
    "units_clause_parse",
    "work_point_assignments",
    "work_point_default_due_on",
    "work_point_parties_replace",
    "work_point_setting_update",
    "work_point_tasks_sync",
    "work_points_tasks_sync",
]
