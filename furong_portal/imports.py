"""The admin's spreadsheet import, confirmed once: a pending import belongs to the session
that previewed it. A confirmation that is replayed (imported already), tampered with (another
file name, a format that does not exist) or expired gets a clear message, never a 500, and can
never make the server read a file the session did not upload."""

import os

from django.contrib import messages
from django.shortcuts import redirect

PENDING_SESSION_KEY = "pending_imports"
MAX_PENDING = 5


class ConfirmedOnceImportMixin:
    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if initial.get("import_file_name"):
            pending = request.session.get(PENDING_SESSION_KEY, [])
            request.session[PENDING_SESSION_KEY] = [*pending, os.path.basename(initial["import_file_name"])][-MAX_PENDING:]
        return initial

    def process_import(self, request, **kwargs):
        if self.has_import_permission(request):
            name = os.path.basename(request.POST.get("import_file_name", ""))
            pending = request.session.get(PENDING_SESSION_KEY, [])
            format_index = request.POST.get("format", "")
            if (
                name not in pending
                or not format_index.isdigit()
                or int(format_index) >= len(self.get_import_formats())
            ):
                messages.error(request, "该导入确认已失效（已经导入过、已过期或内容被改动），请重新上传文件并预览后再确认。")
                return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
            request.session[PENDING_SESSION_KEY] = [entry for entry in pending if entry != name]
        return super().process_import(request, **kwargs)
