"""The "report a suspected fake or non-compliance" form of a certificate's page.

A well-formed number is enough: a fake certificate often carries a number that was
never issued, and that is worth reporting too. The form has a honeypot field that
people do not see; a form that fills it is refused like any other invalid form.
After a report is saved the reader is sent to a thank-you page that only a fresh,
signed reference opens, so that page never answers a report that was not made.
"""

from django import forms
from django.core import signing
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from lookup.codes import CodeError, validate_certificate_number
from lookup.concern_reports import receive_report
from lookup.models import Certificate, ConcernReport
from lookup.models.reports import DESCRIPTION_MAX_LENGTH, DESCRIPTION_MIN_LENGTH
from security.audit import client_ip

FORM_TEMPLATE = "lookup/pages/report.html"
THANKS_TEMPLATE = "lookup/pages/report_thanks.html"
INVALID_NUMBER_TEMPLATE = "lookup/pages/certificate.html"
RECEIPT_SALT = "lookup.views.reports.receipt"
RECEIPT_MAX_AGE = 60 * 60


class ConcernReportForm(forms.ModelForm):
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = ConcernReport
        fields = ["kind", "description", "where_seen", "contact"]
        labels = {
            "kind": _("What is wrong?"),
            "description": _("What did you see?"),
            "where_seen": _("Where did you see the product? (optional)"),
            "contact": _("How can the editors reach you? (optional)"),
        }
        help_texts = {
            "where_seen": _("A shop's name and address, or a web address."),
            "contact": _(
                "An email address or a phone number, only if you agree to be asked about your report. "
                "It is seen only by the market-supervision editors."
            ),
        }
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 6, "minlength": DESCRIPTION_MIN_LENGTH}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ConcernReport.Kind.choices
        self.fields["description"].help_text = _(
            "Say what the product or label shows and why you doubt it: the model, the shop, the date. "
            "Between %(minimum)s and %(maximum)s characters."
        ) % {"minimum": DESCRIPTION_MIN_LENGTH, "maximum": DESCRIPTION_MAX_LENGTH}

    def clean_description(self):
        description = self.cleaned_data["description"].strip()
        if len(description) < DESCRIPTION_MIN_LENGTH:
            raise forms.ValidationError(
                _("Write at least %(minimum)s characters, so that the editors can follow it up.")
                % {"minimum": DESCRIPTION_MIN_LENGTH}
            )
        return description

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("This field must be left empty."))
        return ""


def _number_or_response(request, number, url_name):
    """The canonical number, or the response for a malformed or loosely typed one."""
    try:
        value = validate_certificate_number(number)
    except CodeError as error:
        context = {"raw_number": number, "error": error.message}
        return None, render(request, INVALID_NUMBER_TEMPLATE, context, status=400)
    if value != number:
        return None, redirect(url_name, number=value, permanent=True)
    return value, None


@require_http_methods(["GET", "HEAD", "POST"])
def report_concern(request, number):
    value, response = _number_or_response(request, number, "lookup-certificate-report")
    if response is not None:
        return response
    certificate = Certificate.objects.filter(number=value).first()
    form = ConcernReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report = receive_report(
            number=value,
            certificate=certificate,
            kind=form.cleaned_data["kind"],
            description=form.cleaned_data["description"],
            where_seen=form.cleaned_data["where_seen"],
            contact=form.cleaned_data["contact"],
            language=translation.get_language(),
            address=client_ip(request),
        )
        receipt = signing.dumps(report.pk, salt=RECEIPT_SALT)
        return redirect(reverse("lookup-certificate-report-thanks", kwargs={"number": value}) + f"?receipt={receipt}")
    context = {"number": value, "certificate": certificate, "form": form}
    return render(request, FORM_TEMPLATE, context, status=400 if form.is_bound else 200)


@require_safe
def report_thanks(request, number):
    value, response = _number_or_response(request, number, "lookup-certificate-report-thanks")
    if response is not None:
        return response
    try:
        pk = signing.loads(request.GET.get("receipt", ""), salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE)
    except signing.BadSignature:
        return redirect("lookup-certificate-report", number=value)
    if not ConcernReport.objects.filter(pk=pk, number=value).exists():
        return redirect("lookup-certificate-report", number=value)
    certificate = Certificate.objects.filter(number=value).first()
    return render(request, THANKS_TEMPLATE, {"number": value, "certificate": certificate})
