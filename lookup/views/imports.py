"""Wagtail admin: upload a CSV or XLSX file of certificates, see its report, and
download the report as CSV.

Registry editors import for every body; a certification body's staff import their
own body's certificates only (rows of another body are row errors). The import runs
in the request, all or nothing, through :func:`lookup.importer.import_file`.
"""

from pathlib import Path

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from lookup.importer import ImportFileError, import_file, write_report_csv
from lookup.importer.readers import EXTENSIONS, SNIFF_BYTES, file_format
from lookup.models import CertificationBody, ImportRun
from lookup.permissions import is_registry_editor, restricted_body_id, staff_body_id

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
ERRORS_SHOWN = 500
RECENT_RUNS = 10


def user_can_import(user):
    """Registry editors, and certification body staff, who may add and change certificates."""
    return (
        user.is_active
        and user.has_perms(["lookup.add_certificate", "lookup.change_certificate"])
        and (is_registry_editor(user) or staff_body_id(user) is not None)
    )


def runs_visible_to(user):
    """Editors see every import; body staff the imports made for their body."""
    runs = ImportRun.objects.select_related("uploaded_by", "body")
    body_id = restricted_body_id(user)
    return runs if body_id is None else runs.filter(body_id=body_id)


class ImportPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not user_can_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "CSV (UTF-8) or Excel .xlsx in the bulk exchange format, one certificate per row, up to 50 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB: split it into smaller files.")
                % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
                code="too_large",
            )
        upload.seek(0)
        head = upload.read(SNIFF_BYTES)
        upload.seek(0)
        try:
            file_format(upload.name, head)
        except ImportFileError as error:
            raise forms.ValidationError(error.message, code="file_type") from None
        return upload


class ImportUploadView(ImportPermissionMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "lookup/admin/import_upload.html"
    form_class = UploadForm
    page_title = gettext_lazy("Import certificates")
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        body_id = restricted_body_id(self.request.user)
        context["body"] = CertificationBody.objects.filter(pk=body_id).first() if body_id else None
        context["recent_runs"] = runs_visible_to(self.request.user)[:RECENT_RUNS]
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        body_id = restricted_body_id(self.request.user)
        body = CertificationBody.objects.get(pk=body_id) if body_id else None
        run = import_file(
            upload,
            name=Path(upload.name).name,
            origin=ImportRun.Source.ADMIN,
            user=self.request.user,
            body=body,
        )
        return redirect("lookup_import:result", pk=run.pk)


class ImportResultView(ImportPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "lookup/admin/import_result.html"
    header_icon = "upload"

    def get_run(self):
        if not hasattr(self, "run"):
            self.run = get_object_or_404(runs_visible_to(self.request.user), pk=self.kwargs["pk"])
        return self.run

    def get_page_title(self):
        return _("Import of %(file)s") % {"file": self.get_run().file_name}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("lookup_import:upload"), "label": _("Import certificates")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.get_run()
        context["run"] = run
        context["imported"] = run.outcome == ImportRun.Outcome.IMPORTED
        context["errors"] = run.errors[:ERRORS_SHOWN]
        context["errors_hidden"] = max(len(run.errors) - ERRORS_SHOWN, 0)
        context["report_url"] = reverse("lookup_import:report", kwargs={"pk": run.pk})
        return context


class ImportReportView(ImportPermissionMixin, View):
    """The row-level report of an import as CSV: row, field, value, reason."""

    def get(self, request, pk):
        run = get_object_or_404(runs_visible_to(request.user), pk=pk)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-report.csv"'
        # A byte-order mark, so that Excel reads the Chinese text as UTF-8.
        response.write("\ufeff")
        write_report_csv(run.errors, response)
        return response
