"""Middleware of the security app.

* :class:`AuditContextMiddleware` keeps the current request where
  :func:`security.audit.record` finds it, and records every write to the reporting
  API with its outcome.
* :class:`SecondFactorMiddleware` sends a user who has a second factor to its
  verification page, and a user who must have one but has none to its set-up page,
  before any other admin page.
* :class:`IdleSessionMiddleware` signs out a user who has done nothing for
  ``SESSION_IDLE_TIMEOUT`` seconds. The admin's background requests (the editing
  session ping every few seconds) do not count as doing something.
"""

import time

from django_otp import user_has_device

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from security.audit import Outcome, current_request, record
from security.two_factor import second_factor_required

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
API_NAMESPACE = "api-v1"
# URL namespaces of requests the admin sends by itself, not on a person's action.
BACKGROUND_NAMESPACES = {"wagtailadmin_editing_sessions"}
LAST_ACTIVITY_KEY = "security_last_activity"
# Activity is written to the session at most this often (seconds).
ACTIVITY_RESOLUTION = 30


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            response = self.get_response(request)
            self._record_api_write(request, response)
            return response
        finally:
            current_request.reset(token)

    def _record_api_write(self, request, response):
        match = getattr(request, "resolver_match", None)
        if request.method not in WRITE_METHODS or match is None or API_NAMESPACE not in match.namespaces:
            return
        token = getattr(request, "auth", None)
        details = {"method": request.method, "path": request.path, "status": response.status_code}
        label = ""
        if token is not None and hasattr(token, "key_prefix"):
            label = f"API key {token.key_prefix} ({token.body.code})"
            details.update(api_token=token.pk, body=token.body.code)
        number = match.kwargs.get("number", "")
        record(
            "api.write",
            outcome=Outcome.SUCCESS if response.status_code < 400 else Outcome.FAILURE,
            actor=getattr(token, "created_by", None),
            actor_label=label,
            request=request,
            object_type="lookup.certificate" if number or match.url_name == "reporting-certificates" else "",
            object_id=number,
            object_repr=number,
            details=details,
        )


class IdleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        now = int(time.time())
        last = request.session.get(LAST_ACTIVITY_KEY)
        if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT:
            user = request.user
            logout(request)
            record("session_timeout", actor=user, request=request, details={"idle_seconds": now - last})
            return None
        background = bool(BACKGROUND_NAMESPACES.intersection(request.resolver_match.namespaces))
        if last is None or (not background and now - last >= ACTIVITY_RESOLUTION):
            request.session[LAST_ACTIVITY_KEY] = now
        return None


# Admin pages open to a signed-in user who still has to give or set up the second
# factor, and the files those pages load: the icons, which the admin's script fetches
# and puts into the page, and the translations of its scripts.
SECOND_FACTOR_EXEMPT_URL_NAMES = {
    "security_two_factor_verify",
    "security_two_factor_enrol",
    "wagtailadmin_logout",
    "wagtailadmin_login",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
}


class SecondFactorMiddleware:
    """After django-otp's ``OTPMiddleware``: admin pages need ``user.is_verified()``
    from users who have a confirmed device, and a device from users who must have one
    (:func:`security.two_factor.second_factor_required`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        match = request.resolver_match
        if (
            not user.is_authenticated
            or not request.path.startswith(reverse("wagtailadmin_home"))
            or match.url_name in SECOND_FACTOR_EXEMPT_URL_NAMES
            or user.is_verified()
        ):
            return None
        if user_has_device(user):
            step = "security_two_factor_verify"
        elif second_factor_required(user):
            step = "security_two_factor_enrol"
        else:
            return None
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
