"""A second factor: a time-based one-time password (TOTP, RFC 6238).

A user turns it on in the admin (account menu, "Two-factor authentication"): the page
shows a QR code for an authenticator app and asks for one code to confirm. From then
on, after the password, :class:`security.middleware.SecondFactorMiddleware` sends the
user to :func:`verify` before any other admin page. Devices are django-otp's
``TOTPDevice``; a user has at most one.

For superusers and the roles in ``SECOND_FACTOR_REQUIRED_ROLES`` it is compulsory
(:func:`second_factor_required`): the middleware sends such a user without a device
to :func:`enrol` before any other admin page, and they cannot turn it off. A user who
lost the phone asks an administrator, who resets the device (:func:`reset`); the user
sets it up again at the next admin page.
"""

from urllib.parse import quote

import qrcode
import qrcode.image.svg
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from security.audit import Outcome, record

DEVICE_NAME = "authenticator"


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def qr_svg(data):
    """``data`` as an inline SVG QR code."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308 (made here, no user text in markup)


def confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def second_factor_required(user):
    """Whether ``user`` must have a second factor to use the admin."""
    if user.is_superuser and settings.SECOND_FACTOR_REQUIRED_FOR_SUPERUSERS:
        return True
    return user.groups.filter(name__in=settings.SECOND_FACTOR_REQUIRED_ROLES).exists()


def can_reset(request_user, user):
    """Administrators reset other users' devices; only superusers reset a superuser's."""
    return (
        request_user.has_perm("auth.change_user")
        and user.pk != request_user.pk
        and (request_user.is_superuser or not user.is_superuser)
    )


def _pending_device(user):
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _confirm_pending_device(request, form):
    """Check the code typed for the user's pending device; on success the device is
    confirmed and this session verified with it. Returns the device, confirmed or not."""
    user = request.user
    device = _pending_device(user)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            record("otp.enable", actor=user, details={"compulsory": second_factor_required(user)})
            return device
        record("otp.enable", outcome=Outcome.FAILURE, actor=user)
        form.add_error("token", _("That code is not right. Try the current one."))
    return device


def _enrolment_context(device, form):
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return {"form": form, "qr_code": qr_svg(device.config_url), "secret": quote(secret, safe="")}


@require_http_methods(["GET", "POST"])
def setup(request):
    """Turn the second factor on (QR code, then one code), or off (one code) where it
    is not compulsory."""
    user = request.user
    device = confirmed_device(user)
    form = TokenForm(request.POST or None)
    if device is not None:
        required = second_factor_required(user)
        if request.method == "POST" and not required and form.is_valid():
            if device.verify_token(form.cleaned_data["token"]):
                TOTPDevice.objects.filter(user=user).delete()
                record("otp.disable", actor=user)
                messages.success(request, _("Two-factor authentication is off."))
                return redirect("security_two_factor")
            record("otp.disable", outcome=Outcome.FAILURE, actor=user)
            form.add_error("token", _("That code is not right. Try the current one."))
        return TemplateResponse(request, "security/two_factor_enabled.html", {"form": form, "required": required})

    device = _confirm_pending_device(request, form)
    if device.confirmed:
        messages.success(request, _("Two-factor authentication is on."))
        return redirect("security_two_factor")
    return TemplateResponse(request, "security/two_factor_setup.html", _enrolment_context(device, form))


@require_http_methods(["GET", "POST"])
def enrol(request):
    """The step after the password for users who must have a second factor and have
    none yet: set it up, then go on."""
    user = request.user
    default = reverse("wagtailadmin_home")
    if not user.is_authenticated:
        return redirect("wagtailadmin_login")
    if user_has_device(user) or not second_factor_required(user):
        return redirect(_safe_next(request, default))
    form = TokenForm(request.POST or None)
    device = _confirm_pending_device(request, form)
    if device.confirmed:
        messages.success(request, _("Two-factor authentication is on."))
        return redirect(_safe_next(request, default))
    context = {**_enrolment_context(device, form), "next": _safe_next(request, default)}
    return TemplateResponse(request, "security/two_factor_enrol.html", context)


@require_http_methods(["GET", "POST"])
def verify(request):
    """The step after the password, for users who turned the second factor on."""
    user = request.user
    default = reverse("wagtailadmin_home")
    if not user.is_authenticated:
        return redirect("wagtailadmin_login")
    if user.is_verified() or not user_has_device(user):
        return redirect(_safe_next(request, default))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = confirmed_device(user)
        if device is not None and device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            record("otp.verify", actor=user)
            return redirect(_safe_next(request, default))
        record("otp.verify", outcome=Outcome.FAILURE, actor=user)
        form.add_error("token", _("That code is not right. Try the current one."))
    return TemplateResponse(
        request, "security/two_factor_verify.html", {"form": form, "next": _safe_next(request, default)}
    )


@require_http_methods(["GET", "POST"])
def reset(request, user_id):
    """An administrator removes another user's device, after a confirmation page. The
    user sets a new one up (compulsory roles: at their next admin page)."""
    user = get_object_or_404(get_user_model(), pk=user_id)
    if not can_reset(request.user, user):
        record("otp.reset", outcome=Outcome.FAILURE, obj=user, details={"reason": "not allowed"})
        raise PermissionDenied
    devices = TOTPDevice.objects.filter(user=user)
    if request.method == "POST":
        count, _deleted = devices.delete()
        if count:
            record("otp.reset", obj=user, details={"devices": count})
            messages.success(request, _("The second factor of %(user)s is reset.") % {"user": user.get_username()})
        return redirect("wagtailusers_users:index")
    return TemplateResponse(
        request,
        "security/two_factor_reset.html",
        {"target": user, "has_device": devices.exists(), "required": second_factor_required(user)},
    )
