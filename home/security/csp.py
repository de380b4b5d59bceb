"""Content-Security-Policy by the kind of page: django-csp's middleware, with the policy chosen
by path (settings.CSP_PATH_POLICIES, the first matching prefix; else CONTENT_SECURITY_POLICY,
the strict policy of the public sites). A view's own csp_* decorators still win."""

from csp.middleware import CSPMiddleware
from django.conf import settings


def policy_for(path):
    """The directives for a request path, or None for the public sites' policy."""
    for prefix, directives in settings.CSP_PATH_POLICIES:
        if path.startswith(prefix):
            return directives
    return None


class PathPolicyCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None:
            parts.config = policy_for(request.path_info)
        return parts
