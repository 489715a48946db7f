"""Small pieces shared by the back-office pages of the disclosure apps (专栏, 意见征集, 三同步):
turning a service's error into a message, and running a service over the selected rows."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect


def error_message(error: Exception) -> str:
    """What a person reads for a ValidationError or PermissionDenied raised by a service."""
    return "；".join(getattr(error, "messages", [])) or str(error) or "您没有执行该操作的权限。"


class ServiceErrorsMixin:
    """A rule only a service could check (raised from `save_model`): nothing was saved; say why."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            self.message_user(request, error_message(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ReadOnlyMixin:
    """Rows written only by services elsewhere (the public's evaluations, the derived lists)."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def apply_each(model_admin, request, objects, *, verb: str, apply, name=str) -> int:
    """Run `apply` (a service call) on each object; report what was done and, one by one, what
    was refused and why. Returns how many succeeded."""
    done = 0
    for obj in objects:
        try:
            apply(obj)
            done += 1
        except (ValidationError, PermissionDenied) as error:
            model_admin.message_user(request, f"{name(obj)}：{error_message(error)}", messages.WARNING)
    if done:
        model_admin.message_user(request, f"已{verb} {done} 条。", messages.SUCCESS)
    return done
