"""The district office's pages for whole plans: importing a new year's 工作要点."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.generic import TemplateView

from .access import is_office_staff
from .forms import NameChoicesForm, PlanUploadForm
from .services.plan_import import plan_import, plan_preview
from .views import AdminPageMixin


class OfficeOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not is_office_staff(request.user):
            raise PermissionDenied("仅区政务公开办可以操作。")
        return super().dispatch(request, *args, **kwargs)


class PlanImportView(OfficeOnlyMixin, AdminPageMixin, TemplateView):
    """Upload → preview (nothing written) → map unknown names → confirm (one transaction).

    The text travels with the preview form, so the page keeps no state between steps;
    every step parses it again and the confirmation re-checks everything."""

    template_name = "tasks/admin/plan_import.html"
    title = "导入工作要点"

    def post(self, request, *args, **kwargs):
        if "text" in request.POST and request.POST.get("step") in ("refresh", "confirm"):
            return self.preview_step(request)
        upload = PlanUploadForm(request.POST, request.FILES)
        if not upload.is_valid():
            return self.render_to_response(self.get_context_data(upload=upload))
        return self.render_preview(upload.cleaned_data["text"], data=None, upload=upload)

    def preview_step(self, request):
        return self.render_preview(request.POST.get("text", ""), data=request.POST, confirm=request.POST["step"] == "confirm")

    def render_preview(self, text: str, *, data, confirm: bool = False, upload=None):
        try:
            names = plan_preview(text=text).unresolved
        except ValidationError as error:
            upload = upload or PlanUploadForm(initial={"text": text})
            upload.errors.setdefault("__all__", upload.error_class()).extend(error.messages)
            return self.render_to_response(self.get_context_data(upload=upload))
        form = NameChoicesForm(data, names=names, initial={"text": text})
        choices = form.cleaned_data["choices"] if form.is_valid() else {}
        if confirm and form.is_valid():
            try:
                result = plan_import(text=form.cleaned_data["text"], choices=choices, source=self.request.user.get_username())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    self.request,
                    f"已导入{result.plan}：工作要点 {result.plan.sections.count()} 个板块，"
                    f"分解任务 {result.tasks.created} 个" + (f"；已登记名称：{'、'.join(result.registered)}" if result.registered else "") + "。",
                )
                return HttpResponseRedirect(reverse("admin:tasks_office") + f"?year={result.plan.year}")
        preview = plan_preview(text=text, choices=choices)
        return self.render_to_response(self.get_context_data(preview=preview, form=form))

    def get_context_data(self, **kwargs):
        kwargs.setdefault("upload", PlanUploadForm())
        return super().get_context_data(**kwargs)
