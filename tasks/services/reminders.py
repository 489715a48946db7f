"""The daily reminder email to each unit: overdue and soon-due tasks, stale and empty columns."""

from dataclasses import dataclass, field
from datetime import date
from smtplib import SMTPException

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from responsibility.models import Unit

from ..freshness import Freshness, column_freshness
from ..models import AT_RISK_DAYS, Reminder, Task
from ..selectors import unit_reminder_tasks


@dataclass
class ReminderRun:
    sent: list[Reminder] = field(default_factory=list)
    already_sent: list[Unit] = field(default_factory=list)
    without_email: list[Unit] = field(default_factory=list)
    failed: list[tuple[Unit, str]] = field(default_factory=list)
    # Filled instead of `sent` on a dry run: (unit, subject, body).
    drafts: list[tuple[Unit, str, str]] = field(default_factory=list)


def reminder_compose(*, unit: Unit, tasks: dict[str, list[Task]], columns: list, today: date) -> tuple[str, str] | None:
    """Subject and body of `unit`'s reminder, or None when there is nothing to remind of."""
    stale = [entry for entry in columns if entry.status == Freshness.STALE]
    empty = [entry for entry in columns if entry.status == Freshness.EMPTY]
    if not (tasks["overdue"] or tasks["due_soon"] or stale or empty):
        return None
    subject = f"【芙蓉区政务公开】{unit.name}工作任务与栏目更新提醒（{today:%Y-%m-%d}）"
    body = render_to_string(
        "tasks/email/reminder.txt",
        {"unit": unit, "today": today, "overdue": [(task, task.days_overdue(today)) for task in tasks["overdue"]],
         "due_soon": tasks["due_soon"],
         "stale": stale, "empty": empty, "soon_days": AT_RISK_DAYS},
    )
    return subject, body


def reminders_send(*, today: date | None = None, dry_run: bool = False) -> ReminderRun:
    """Email each unit (Unit.email) its overdue and soon-due tasks and its stale and
    empty columns, once a day: a unit already reminded on `today` is skipped, so the
    daily cron job may run again without sending anything twice."""
    today = today or timezone.localdate()
    run = ReminderRun()
    tasks_by_unit = unit_reminder_tasks(today=today)
    freshness = column_freshness(today=today)
    for unit in Unit.objects.filter(is_active=True).order_by("order", "name"):
        message = reminder_compose(
            unit=unit, tasks=tasks_by_unit[unit.pk], columns=freshness.for_unit(unit), today=today
        )
        if message is None:
            continue
        if not unit.email:
            run.without_email.append(unit)
            continue
        if dry_run:
            run.drafts.append((unit, *message))
            continue
        subject, body = message
        try:
            with transaction.atomic():
                # The unique (unit, day) row is taken before sending: a second run, even
                # a concurrent one, finds it and sends nothing. If sending fails the row
                # is rolled back, so the next run tries again.
                reminder, created = Reminder.objects.get_or_create(
                    unit=unit, sent_on=today, defaults={"recipient": unit.email, "subject": subject, "body": body}
                )
                if not created:
                    run.already_sent.append(unit)
                    continue
                send_mail(subject, body, None, [unit.email], fail_silently=False)
        except (OSError, SMTPException) as error:
            run.failed.append((unit, str(error)))
            continue
        run.sent.append(reminder)
    return run
