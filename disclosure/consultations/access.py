"""Which consultations a back-office account may see and act on: the one place that scopes
them (admin querysets, actions and the write services all ask here). Units reach their own
consultations; the district office reaches every unit's."""

from django.db.models import QuerySet

from responsibility.access import is_district_office, unit_of

from .models import Comment, Consultation


def consultations_visible_to(user) -> QuerySet[Consultation]:
    if not (user.is_authenticated and user.is_active and user.is_staff and user.has_perm("consultations.view_consultation")):
        return Consultation.objects.none()
    if is_district_office(user):
        return Consultation.objects.all()
    unit = unit_of(user)
    return Consultation.objects.filter(unit=unit) if unit else Consultation.objects.none()


def consultations_editable_by(user) -> QuerySet[Consultation]:
    """Drafts whose text may still change."""
    if not user.has_perm("consultations.change_consultation"):
        return Consultation.objects.none()
    return consultations_visible_to(user).filter(state=Consultation.State.DRAFT)


def consultations_reviewable_by(user) -> QuerySet[Consultation]:
    """Consultations the user may publish, or whose feedback they may publish."""
    if not user.has_perm("consultations.review_consultation"):
        return Consultation.objects.none()
    return consultations_visible_to(user)


def comments_moderatable_by(user) -> QuerySet[Comment]:
    if not user.has_perm("consultations.change_comment"):
        return Comment.objects.none()
    return Comment.objects.filter(consultation__in=consultations_visible_to(user).values("pk"))


def require(allowed: QuerySet, obj, message: str) -> None:
    from django.core.exceptions import PermissionDenied

    if obj.pk is None or not allowed.filter(pk=obj.pk).exists():
        raise PermissionDenied(message)
