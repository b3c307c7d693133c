"""Response headers that tell browsers what a page may do.

* :class:`ContentSecurityPolicyMiddleware` is django-csp's middleware with two rules
  on top of ``CONTENT_SECURITY_POLICY`` (the public pages' policy, with a fresh nonce
  for each response): the Wagtail admin gets ``CONTENT_SECURITY_POLICY_ADMIN`` in
  place of some directives, because its own scripts and styles are inline and its
  page preview frames a page of the same site; and a page whose URL name is a key of
  ``CONTENT_SECURITY_POLICY_UPDATES`` gets the sources listed there on top. Views
  therefore need no decorators; django-csp's own decorators still work and win.
* :class:`PermissionsPolicyMiddleware` sends ``Permissions-Policy`` from
  ``PERMISSIONS_POLICY``, with ``PERMISSIONS_POLICY_UPDATES`` by URL name likewise
  (the certificate code scanner needs the camera, nothing else does).

Both are for responses Django makes; nginx (site/nginx.conf) adds its own strict
copies only to the files it serves itself.
"""

from csp.middleware import CSPMiddleware

from django.conf import settings
from django.urls import reverse

PERMISSIONS_POLICY_HEADER = "Permissions-Policy"


def url_name(request):
    match = getattr(request, "resolver_match", None)
    return match.url_name if match is not None else None


def is_admin(request):
    return request.path_info.startswith(reverse("wagtailadmin_home"))


def _merged(*directive_sets):
    """Directive sets added together, later sources after earlier ones."""
    merged = {}
    for directives in directive_sets:
        for name, sources in (directives or {}).items():
            merged[name] = [*merged.get(name, []), *sources]
    return merged or None


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            return parts
        if getattr(request, "is_preview", False):
            parts.replace = {**settings.CONTENT_SECURITY_POLICY_PREVIEW, **(parts.replace or {})}
        elif is_admin(request):
            parts.replace = {**settings.CONTENT_SECURITY_POLICY_ADMIN, **(parts.replace or {})}
        parts.update = _merged(settings.CONTENT_SECURITY_POLICY_UPDATES.get(url_name(request)), parts.update)
        return parts


def permissions_policy(features):
    """``{"camera": ["self"], "geolocation": []}`` as ``camera=(self), geolocation=()``."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in features.items())


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if PERMISSIONS_POLICY_HEADER not in response:
            features = {
                **settings.PERMISSIONS_POLICY,
                **settings.PERMISSIONS_POLICY_UPDATES.get(url_name(request), {}),
            }
            response[PERMISSIONS_POLICY_HEADER] = permissions_policy(features)
        return response
