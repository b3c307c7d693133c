"""Wagtail admin: issue a batch of trace codes for a certificate and download it as
CSV, an SVG sheet of QR codes or a PDF sheet.

Registry editors issue codes for any certificate; a certification body's staff for
that body's certificates only (see :mod:`lookup.permissions`).
"""

import datetime
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from lookup.codes import CodeError, validate_certificate_number
from lookup.models import Certificate, TraceCode
from lookup.permissions import is_registry_editor, restricted_body_id, staff_body_id
from lookup.qr import SHEET_PART_SIZE, QrItem, pdf_sheet, svg_sheet
from lookup.trace import (
    MAX_PER_REQUEST,
    TraceIssueError,
    check_can_issue,
    display_product_name,
    issue_trace_codes,
    trace_codes_csv_response,
    trace_url,
)

FORMATS = ("csv", "svg", "pdf")
PREVIEW_COUNT = 24


def user_can_issue(user):
    """Registry editors, and certification body staff for their own body."""
    return user.is_active and (is_registry_editor(user) or staff_body_id(user) is not None)


def user_can_issue_for(user, certificate):
    if not user.is_active:
        return False
    body_id = restricted_body_id(user)
    return body_id is None or body_id == certificate.body_id


class IssueForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Certificate number"), max_length=60)
    count = forms.IntegerField(
        label=gettext_lazy("Number of codes"),
        min_value=1,
        max_value=MAX_PER_REQUEST,
        initial=100,
        help_text=gettext_lazy("One code per product unit, up to 10,000 at a time."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.certificate = None

    def clean_number(self):
        try:
            number = validate_certificate_number(self.cleaned_data["number"])
        except CodeError as error:
            raise forms.ValidationError(error.message, code=error.code) from None
        certificate = Certificate.objects.select_related("body").filter(number=number).first()
        if certificate is None or not user_can_issue_for(self.user, certificate):
            # Another body's certificate reads as unknown: staff do not learn of it here.
            raise forms.ValidationError(_("No certificate of yours has the number %(number)s.") % {"number": number})
        self.certificate = certificate
        return number

    def clean(self):
        cleaned = super().clean()
        if self.certificate is not None and cleaned.get("count"):
            try:
                check_can_issue(self.certificate, cleaned["count"])
            except TraceIssueError as error:
                field = "count" if error.code == "bad_count" else "number"
                self.add_error(field, forms.ValidationError(error.message, code=error.code))
        return cleaned


class IssueTraceCodesView(WagtailAdminTemplateMixin, FormView):
    template_name = "wagtailadmin/generic/form.html"
    form_class = IssueForm
    page_title = gettext_lazy("Issue trace codes")
    header_icon = "tag"

    def dispatch(self, request, *args, **kwargs):
        if not user_can_issue(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {**super().get_initial(), "number": self.request.GET.get("number", "")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=reverse("lookup_trace_codes:issue"),
            submit_button_label=_("Issue codes"),
            submit_button_active_label=_("Issuing…"),
            **kwargs,
        )

    def form_invalid(self, form):
        messages.validation_error(self.request, _("The codes could not be issued. Correct the errors below."), form)
        return super().form_invalid(form)

    def form_valid(self, form):
        certificate = form.certificate
        try:
            traces = issue_trace_codes(certificate, form.cleaned_data["count"], user=self.request.user)
        except TraceIssueError as error:
            form.add_error("count", forms.ValidationError(error.message, code=error.code))
            return self.form_invalid(form)
        log(certificate, "lookup.issue_trace_codes", user=self.request.user, data={"count": len(traces)})
        messages.success(
            self.request,
            _("%(count)s trace codes issued for %(number)s.") % {"count": len(traces), "number": certificate.number},
        )
        return redirect(batch_url(certificate.number, traces[0].issued_at))


def batch_query(issued_at):
    return urlencode({"issued": issued_at.isoformat()})


def batch_url(number, issued_at, name="batch", **kwargs):
    return f"{reverse(f'lookup_trace_codes:{name}', kwargs={'number': number, **kwargs})}?{batch_query(issued_at)}"


class BatchMixin:
    """The certificate of the address and the codes of one batch (``?issued=``)."""

    def get_batch(self):
        request = self.request
        certificate = Certificate.objects.select_related("body", "client").filter(number=self.kwargs["number"]).first()
        if certificate is None or not user_can_issue_for(request.user, certificate):
            raise Http404
        try:
            issued_at = datetime.datetime.fromisoformat(request.GET.get("issued", ""))
        except ValueError:
            raise Http404 from None
        traces = TraceCode.objects.filter(certificate=certificate, issued_at=issued_at).order_by("code")
        return certificate, issued_at, traces


class TraceCodeBatchView(BatchMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "lookup/admin/trace_code_batch.html"
    page_title = gettext_lazy("Trace codes")
    header_icon = "tag"

    def dispatch(self, request, *args, **kwargs):
        if not user_can_issue(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.kwargs["number"]

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("lookup_trace_codes:issue"), "label": _("Issue trace codes")},
            {"url": "", "label": self.kwargs["number"]},
        ]

    def get_context_data(self, **kwargs):
        certificate, issued_at, traces = self.get_batch()
        count = traces.count()
        if not count:
            raise Http404
        parts = -(-count // SHEET_PART_SIZE)
        downloads = [(batch_url(certificate.number, issued_at, "download", fmt="csv"), _("Codes as CSV"))]
        for part in range(1, parts + 1):
            first, last = (part - 1) * SHEET_PART_SIZE + 1, min(part * SHEET_PART_SIZE, count)
            for fmt, label in (("pdf", _("QR sheet (PDF)")), ("svg", _("QR sheet (SVG)"))):
                if parts > 1:
                    label = _("%(label)s, codes %(first)s–%(last)s") % {"label": label, "first": first, "last": last}
                url = batch_url(certificate.number, issued_at, "download", fmt=fmt)
                downloads.append((f"{url}&part={part}" if parts > 1 else url, label))
        return super().get_context_data(
            certificate=certificate,
            product_name=display_product_name(certificate),
            issued_at=issued_at,
            count=count,
            preview=[(trace.code, trace_url(trace.code)) for trace in traces[:PREVIEW_COUNT]],
            downloads=downloads,
            issue_more_url=f"{reverse('lookup_trace_codes:issue')}?{urlencode({'number': certificate.number})}",
            **kwargs,
        )


class TraceCodeDownloadView(BatchMixin, TemplateView):
    """The whole batch as CSV; QR sheets in parts of ``SHEET_PART_SIZE`` codes (``?part=``)."""

    def get_part(self, count):
        try:
            part = int(self.request.GET.get("part", "1"))
        except ValueError:
            raise Http404 from None
        if not 1 <= part <= max(1, -(-count // SHEET_PART_SIZE)):
            raise Http404
        return part

    def get(self, request, *args, **kwargs):
        if not user_can_issue(request.user):
            raise PermissionDenied
        fmt = kwargs["fmt"]
        if fmt not in FORMATS:
            raise Http404
        certificate, issued_at, traces = self.get_batch()
        traces = list(traces)
        if not traces:
            raise Http404
        product_name = display_product_name(certificate)
        if fmt == "csv":
            return trace_codes_csv_response(traces, certificate, product_name)
        part = self.get_part(len(traces))
        traces = traces[(part - 1) * SHEET_PART_SIZE : part * SHEET_PART_SIZE]
        items = [QrItem(data=trace_url(trace.code), label=trace.code) for trace in traces]
        filename = f"trace-codes-{certificate.number}-{issued_at:%Y%m%d%H%M%S}"
        if "part" in request.GET:
            filename += f"-part{part}"
        if fmt == "svg":
            response = HttpResponse(svg_sheet(items, title=certificate.number), content_type="image/svg+xml")
        else:
            response = HttpResponse(pdf_sheet(items, title=certificate.number), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
        return response
