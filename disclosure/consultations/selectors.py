"""Reads of 意见征集 for the public pages and the office's dashboard."""

from dataclasses import dataclass

from django.db.models import Count, Q

from .models import Comment, Consultation


@dataclass
class CommentTally:
    total: int
    shown: int
    adopted: int
    partly: int
    not_adopted: int
    enterprises: int
    associations: int


def comment_tally(consultation: Consultation) -> CommentTally:
    """How many comments arrived and what became of them: one query."""
    counts = consultation.comments.aggregate(
        total=Count("pk"),
        shown=Count("pk", filter=Q(state=Comment.State.APPROVED)),
        adopted=Count("pk", filter=Q(decision=Comment.Decision.ADOPTED)),
        partly=Count("pk", filter=Q(decision=Comment.Decision.PARTLY)),
        not_adopted=Count("pk", filter=Q(decision=Comment.Decision.NOT_ADOPTED)),
        enterprises=Count("pk", filter=Q(kind=Comment.Kind.ENTERPRISE)),
        associations=Count("pk", filter=Q(kind=Comment.Kind.ASSOCIATION)),
    )
    return CommentTally(**counts)


def overdue_feedback(today=None):
    """Consultations whose 意见采纳情况反馈 is overdue, oldest first, for the office's dashboard."""
    return Consultation.objects.feedback_overdue(today).select_related("unit").order_by("closes_on", "pk")
