"""Forms of the registry's Wagtail admin.

Certificates are edited through :class:`CertificateAdminForm`: a new certificate
gets a fresh number when none is typed, and a status change goes through
``lookup.status.change_status``, so it is checked and recorded in the history.
"""

import copy

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.log_actions import log

from lookup import codes
from lookup.models import CertificationBody, Status
from lookup.permissions import BODY_STAFF, ensure_registry_groups, restricted_body_id
from lookup.status import (
    REASON_REQUIRED,
    TRANSITIONS,
    StatusTransitionError,
    change_status,
    check_transition,
    record_initial_status,
)


def accept_typed_code(field):
    """Let a code field take what a person types (spaces, hyphens, full-width
    characters): the length is judged after normalisation, not before."""
    field.max_length = None
    field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
    field.widget.attrs.pop("maxlength", None)


class LinesField(forms.CharField):
    """A list of short texts, one per line (a semicolon also separates them)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("One per line."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        return [item.strip() for line in text.splitlines() for item in line.split(";") if item.strip()]

    def has_changed(self, initial, data):
        return self.to_python(self.prepare_value(initial) or "") != self.to_python(data)


class CertificateAdminForm(WagtailAdminModelForm):
    rules = LinesField(label=_("implementation rules"))
    standards = LinesField(label=_("standards"))
    product_models = LinesField(label=_("models"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_new = self.instance._state.adding
        self.initial_status = self.instance.status
        self.confined_body_id = restricted_body_id(self.for_user) if self.for_user else None

        number = self.fields.get("number")
        if number is not None:
            if self.is_new:
                accept_typed_code(number)
                number.required = False
                number.help_text = _("Leave empty to issue a new number.")
            else:
                number.disabled = True

        body = self.fields.get("body")
        if body is not None and self.confined_body_id is not None:
            body.widget = forms.Select()
            body.queryset = CertificationBody.objects.filter(pk=self.confined_body_id)
            body.empty_label = None
            self.initial.setdefault("body", self.confined_body_id)

        status = self.fields.get("status")
        if status is not None and not self.is_new:
            current = Status(self.instance.effective_status())
            reachable = {Status(self.initial_status), *TRANSITIONS[current]}
            if self.instance.expires_on >= timezone.localdate():
                reachable.discard(Status.EXPIRED)
            status.choices = [(value, label) for value, label in Status.choices if value in reachable]
            status.help_text = _("A change is recorded in the certificate's status history.")
        reason = self.fields.get("status_reason")
        if reason is not None:
            reason.label = _("Reason for the status change")
            reason.help_text = _("Needed to suspend, withdraw or revoke.")
            if not self.is_new:
                self.initial["status_reason"] = ""

    def clean_number(self):
        raw = self.cleaned_data.get("number") or ""
        if not self.is_new:
            return self.instance.number
        if not raw.strip():
            return ""
        try:
            return codes.validate_certificate_number(raw)
        except codes.CodeError as error:
            raise forms.ValidationError(error.message, code=error.code) from None

    def clean(self):
        cleaned = super().clean()
        issued_on, expires_on = cleaned.get("issued_on"), cleaned.get("expires_on")
        if issued_on and expires_on and expires_on <= issued_on:
            self.add_error("expires_on", _("The expiry date must come after the issue date."))
        self._check_number_matches(cleaned)
        self._check_status(cleaned)
        return cleaned

    def _check_number_matches(self, cleaned):
        number, body, category, issued_on = (cleaned.get(name) for name in ("number", "body", "category", "issued_on"))
        if not (self.is_new and number and body and category and issued_on):
            return
        expected = f"G{issued_on.year:04d}{body.code}{category.code}"
        if number[: codes.PREFIX_LENGTH] != expected:
            self.add_error(
                "number",
                _(
                    "A number for this certificate starts with %(prefix)s: G, the year of issue, "
                    "the body's code and the category's code."
                )
                % {"prefix": expected},
            )

    def _check_status(self, cleaned):
        status = cleaned.get("status")
        reason = (cleaned.get("status_reason") or "").strip()
        if status is None:
            return
        if self.is_new:
            if status in REASON_REQUIRED and not reason:
                self.add_error("status_reason", _("Give the reason for this status."))
            return
        if status == self.initial_status:
            if reason:
                self.add_error(
                    "status_reason", _("A reason is recorded with a status change; the status has not changed.")
                )
            return
        probe = copy.copy(self.instance)
        probe.issued_on = cleaned.get("issued_on") or probe.issued_on
        probe.expires_on = cleaned.get("expires_on") or probe.expires_on
        try:
            check_transition(probe, status, reason=reason)
        except StatusTransitionError as error:
            self.add_error("status_reason" if error.code == "reason_required" else "status", error.message)

    def save(self, commit=True):
        if not commit:
            return super().save(commit=False)
        with transaction.atomic():
            if self.is_new:
                return self._save_new()
            return self._save_existing()

    def _save_new(self):
        certificate = super().save(commit=False)
        if self.confined_body_id is not None:
            certificate.body_id = self.confined_body_id
        if certificate.status != Status.VALID and not certificate.status_changed_on:
            certificate.status_changed_on = timezone.localdate()
        if certificate.number:
            certificate.save()
        else:
            codes.issue_certificate_number(certificate)
        self.save_m2m()
        record_initial_status(certificate, user=self.for_user)
        return certificate

    def _save_existing(self):
        new_status = self.cleaned_data["status"]
        reason = (self.cleaned_data.get("status_reason") or "").strip()
        certificate = super().save(commit=False)
        certificate.status = self.initial_status
        certificate.status_reason = (
            type(certificate).objects.values_list("status_reason", flat=True).get(pk=certificate.pk)
        )
        if self.confined_body_id is not None:
            certificate.body_id = self.confined_body_id
        certificate.save()
        self.save_m2m()
        if new_status != self.initial_status:
            change = change_status(certificate, new_status, reason=reason, user=self.for_user)
            log(
                instance=certificate,
                action="lookup.change_status",
                user=self.for_user,
                data={"from": change.from_status, "to": change.to_status, "reason": change.reason},
            )
        return certificate


class OrganisationAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "uscc" in self.fields:
            accept_typed_code(self.fields["uscc"])

    def clean_uscc(self):
        raw = self.cleaned_data.get("uscc") or ""
        if not raw.strip():
            return None
        try:
            return codes.validate_uscc(raw)
        except codes.CodeError as error:
            raise forms.ValidationError(error.message, code=error.code) from None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("country", "CN") == "CN" and not cleaned.get("uscc") and "uscc" not in self.errors:
            self.add_error("uscc", _("A Chinese organisation is identified by its unified social credit code."))
        return cleaned


class ApiTokenAdminForm(WagtailAdminModelForm):
    """A new token needs a body and a name (its key is made when it is saved); an
    existing one can be renamed or revoked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance._state.adding:
            for name in ("key_prefix", "revoked_at"):
                self.fields.pop(name, None)
        else:
            for name in ("body", "key_prefix"):
                if name in self.fields:
                    self.fields[name].disabled = True


class BodyStaffAdminForm(WagtailAdminModelForm):
    """Linking a user to a body also puts them in the "Certification body staff"
    group, which lets them sign in to the admin."""

    def save(self, commit=True):
        staff = super().save(commit=commit)
        if commit:
            staff.user.groups.add(ensure_registry_groups()[BODY_STAFF])
        return staff
