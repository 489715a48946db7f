"""/files/<name>: the one door to non-public files. The file's owner is looked up and the
rule that owns its reading is asked; nobody else's file is ever found by its name."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .storage import file_response


def _attachment(user, name):
    from disclosure.access import items_visible_to
    from disclosure.models import Attachment

    attachment = Attachment.objects.select_related("item").filter(file=name).first()
    if attachment is None:
        return None, None
    item = attachment.item
    public = item.state == item.State.PUBLISHED and item.published_at and item.published_at <= timezone.now()
    allowed = public or items_visible_to(user).filter(pk=item.pk).exists()
    return (attachment.file, attachment.name) if allowed else (False, None)


def _consultation_attachment(user, name):
    from disclosure.consultations.access import consultations_visible_to
    from disclosure.consultations.models import Consultation, ConsultationAttachment

    attachment = ConsultationAttachment.objects.select_related("consultation").filter(file=name).first()
    if attachment is None:
        return None, None
    public = attachment.consultation.state in Consultation.PUBLIC_STATES
    allowed = public or consultations_visible_to(user).filter(pk=attachment.consultation_id).exists()
    return (attachment.file, attachment.name) if allowed else (False, None)


def _evidence(user, name):
    from tasks.access import tasks_visible_to
    from tasks.models import EvidenceFile

    evidence = EvidenceFile.objects.select_related("report").filter(file=name).first()
    if evidence is None:
        return None, None
    allowed = tasks_visible_to(user).filter(pk=evidence.report.task_id).exists()
    return (evidence.file, evidence.name) if allowed else (False, None)


def _letter(user, name):
    from disclosure.requests.models import InformationRequest
    from disclosure.requests.selectors import requests_visible_to

    request = InformationRequest.objects.filter(letter_file=name).first()
    if request is None:
        return None, None
    allowed = requests_visible_to(user).filter(pk=request.pk).exists()
    extension = name.rsplit(".", 1)[-1]
    return (request.letter_file, f"{request.number}-答复书.{extension}") if allowed else (False, None)


OWNERS = (_attachment, _consultation_attachment, _evidence, _letter)


@never_cache
@require_GET
def protected_file(request, name: str):
    for owner in OWNERS:
        field_file, filename = owner(request.user, name)
        if field_file is None:
            continue
        if field_file is False:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            break
        return file_response(field_file, filename=filename)
    raise Http404("文件不存在或您无权查看。")
