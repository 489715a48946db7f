"""Writes of 社会评议: one anonymous evaluation per visitor and quarter."""

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from responsibility.models import Column

from .models import Evaluation, Score, SectionScore, period_of


def visitor_key(visitor_id: str) -> str:
    """A keyed hash of the visitor's random cookie value: stored instead of the value."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:evaluation:{visitor_id}".encode()).hexdigest()


def evaluation_submit(
    *, visitor_id: str, scores: dict[int, int], timeliness: int, findability: int, comment: str = "",
    today: datetime.date | None = None,
) -> Evaluation:  # fmt: skip
    """Record an evaluation. `scores` maps top-level column ids to 1–5; a section the visitor
    did not rate is left out. A second evaluation in the same quarter is refused."""
    period = period_of(today or timezone.localdate())
    key = visitor_key(visitor_id)
    sections = set(Column.objects.roots().values_list("pk", flat=True))
    if set(scores) - sections:
        raise ValidationError("只能评议平台的一级栏目。")
    if any(value not in Score.values for value in (*scores.values(), timeliness, findability)):
        raise ValidationError("评分须在 1 至 5 之间。")
    if Evaluation.objects.filter(period=period, visitor_key=key).exists():
        raise ValidationError("本季度您已经提交过评议，感谢参与；下一季度欢迎再次评议。")
    evaluation = Evaluation(
        period=period, timeliness=timeliness, findability=findability, comment=(comment or "").strip(), visitor_key=key
    )
    evaluation.full_clean(exclude=("visitor_key",))
    try:
        with transaction.atomic():
            evaluation.save()
            SectionScore.objects.bulk_create(
                SectionScore(evaluation=evaluation, column_id=column_id, satisfaction=value)
                for column_id, value in scores.items()
            )
    except IntegrityError as error:  # the same visitor twice at the same moment
        raise ValidationError("本季度您已经提交过评议。") from error
    return evaluation
