"""The middleware of signed-in users, skipped for reads that cannot use a session.

The trace page ``/t/<code>`` is what a phone opens after scanning a label: an
anonymous ``GET``, no form, no message, no sign-in, and a page that reads neither the
session nor the user. It is also the address most likely to take a burst of traffic.
The middleware that serves people who sign in (sessions, authentication, the idle
sign-out, django-otp, the second-factor gate and messages) has nothing to do there,
yet each of them costs every request a little. CSRF protection stays as Django ships
it: on a read it only looks for its cookie, and ``check --deploy`` asks for Django's
own class by name (security.W003).

Each of those is listed in ``MIDDLEWARE`` through :func:`skipped_when_sessionless`:
the same middleware, at the same place, except that for a ``GET`` or ``HEAD`` whose
path starts with one of ``SESSIONLESS_PATHS`` neither it nor its hooks run. Every
other request goes through it unchanged. What a sessionless request keeps is listed
in ``MIDDLEWARE`` unwrapped: the audit context, ``SecurityMiddleware`` (HSTS,
nosniff, referrer and opener policies, the HTTPS redirect), the Content-Security-
Policy with its nonce, Permissions-Policy, the language choice, the rate limit,
``CommonMiddleware``, CSRF, X-Frame-Options, and two that cost nothing unless they act:
Wagtail's redirects (on a 404 only) and django-axes (on a lockout only)
(tests/test_security_headers.py, tests/test_sessionless.py).

A path belongs in ``SESSIONLESS_PATHS`` only if none of its views and templates reads
``request.session`` or ``request.user``, sets a cookie, takes a form or shows a
message: there ``request.user`` and ``request.session`` do not exist.
"""

from django_otp.middleware import OTPMiddleware as _OTPMiddleware

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware as _AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware as _MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware as _SessionMiddleware

from security.middleware import IdleSessionMiddleware as _IdleSessionMiddleware
from security.middleware import SecondFactorMiddleware as _SecondFactorMiddleware

SESSIONLESS_METHODS = ("GET", "HEAD")
HOOKS = ("process_view", "process_exception", "process_template_response")


def is_sessionless(request):
    """Whether ``request`` is a read of one of ``SESSIONLESS_PATHS``."""
    return request.method in SESSIONLESS_METHODS and request.path_info.startswith(settings.SESSIONLESS_PATHS)


def skipped_when_sessionless(middleware_class):
    """A subclass of ``middleware_class`` (so Django's and Wagtail's checks still find
    it in ``MIDDLEWARE``) that passes a sessionless request (:func:`is_sessionless`)
    straight on, without its own work before or after the view nor its hooks."""

    def __call__(self, request):
        if is_sessionless(request):
            return self.get_response(request)
        return middleware_class.__call__(self, request)

    namespace = {
        "__call__": __call__,
        "__module__": __name__,
        "__doc__": f"{middleware_class.__module__}.{middleware_class.__qualname__}, skipped when sessionless.",
    }
    for name in HOOKS:
        if hasattr(middleware_class, name):
            namespace[name] = _unless_sessionless(getattr(middleware_class, name))
    return type(middleware_class.__name__, (middleware_class,), namespace)


def _unless_sessionless(hook):
    def run(self, request, *args):
        return None if is_sessionless(request) else hook(self, request, *args)

    return run


SessionMiddleware = skipped_when_sessionless(_SessionMiddleware)
AuthenticationMiddleware = skipped_when_sessionless(_AuthenticationMiddleware)
IdleSessionMiddleware = skipped_when_sessionless(_IdleSessionMiddleware)
OTPMiddleware = skipped_when_sessionless(_OTPMiddleware)
SecondFactorMiddleware = skipped_when_sessionless(_SecondFactorMiddleware)
MessageMiddleware = skipped_when_sessionless(_MessageMiddleware)
