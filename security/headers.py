"""Response headers that tell browsers what a page may do.

* :class:`ContentSecurityPolicyMiddleware` is django-csp's middleware with two rules
  on top of ``CONTENT_SECURITY_POLICY`` (the public pages' policy, with a fresh nonce
  for each response): the Wagtail admin gets ``CONTENT_SECURITY_POLICY_ADMIN`` in
  place of some directives, because its own scripts and styles are inline and its
  page preview frames a page of the same site; and a page whose URL name is a key of
  ``CONTENT_SECURITY_POLICY_UPDATES`` gets the sources listed there on top. Views
  therefore need no decorators; django-csp's own decorators still work and win.
  The header is the same text for every response of a kind of page (public by URL
  name, admin, preview) but for its nonce, so it is built once per kind and process,
  with a mark where the nonce goes (django-csp built it twice per response, a tenth
  of what a cached trace page costs); a response with a policy of its own, and every
  response under ``DEBUG``, go through django-csp unchanged.
* :class:`PermissionsPolicyMiddleware` sends ``Permissions-Policy`` from
  ``PERMISSIONS_POLICY``, with ``PERMISSIONS_POLICY_UPDATES`` by URL name likewise
  (the certificate code scanner needs the camera, nothing else does).

Both are for responses Django makes; nginx (site/nginx.conf) adds its own strict
copies only to the files it serves itself.
"""

from dataclasses import asdict

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy

from django.conf import settings
from django.core.signals import setting_changed
from django.urls import reverse

PERMISSIONS_POLICY_HEADER = "Permissions-Policy"
# What django-csp's decorators leave on a response that has a policy of its own.
OWN_POLICY_ATTRIBUTES = tuple(
    f"_csp_{part}{suffix}" for part in ("config", "update", "replace") for suffix in ("", "_ro")
)
# Each header: its name, whether it is the report-only one, what exempts a response.
HEADERS = ((HEADER, False, "_csp_exempt"), (HEADER_REPORT_ONLY, True, "_csp_exempt_ro"))
NONCE_MARK = "\x00csp-nonce\x00"

_built_policies = {}  # (kind of page, report only, with a nonce) → the header with NONCE_MARK


def _forget_built_policies(setting, **kwargs):
    if setting.startswith(("CONTENT_SECURITY_POLICY", "ROOT_URLCONF")):
        _built_policies.clear()


setting_changed.connect(_forget_built_policies, dispatch_uid="security_headers_forget_built_policies")


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


def _page_kind(request):
    """What the policy of a response to ``request`` depends on besides settings."""
    if getattr(request, "is_preview", False):
        return "preview", None
    if is_admin(request):
        return "admin", None
    return "public", url_name(request)


def _excluded(request, report_only):
    name = "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY"
    policy = getattr(settings, name, None)
    prefixes = (policy or {}).get("EXCLUDE_URL_PREFIXES") or ()
    return request.path_info.startswith(tuple(prefixes))


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if settings.DEBUG or any(hasattr(response, name) for name in OWN_POLICY_ATTRIBUTES):
            return super().process_response(request, response)
        nonce = getattr(request, "_csp_nonce", None)
        kind = _page_kind(request)
        for header, report_only, exempt in HEADERS:
            if header in response or getattr(response, exempt, False) or _excluded(request, report_only):
                continue
            key = (kind, report_only, nonce is not None)
            policy = _built_policies.get(key)
            if policy is None:
                parts = self.get_policy_parts(request, response, report_only=report_only)
                parts.nonce = NONCE_MARK if nonce is not None else None
                policy = _built_policies[key] = build_policy(**asdict(parts), report_only=report_only)
            if policy:
                response[header] = policy.replace(NONCE_MARK, nonce) if nonce is not None else policy
        if nonce is None:
            # As django-csp does: a nonce asked for after the header is written is an error.
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

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
