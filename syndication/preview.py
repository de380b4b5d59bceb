"""Headless preview: the admin opens the consumer's preview page with a short-lived signed token
for the page's latest revision; /api/v1/preview/<id>/?token= serves that draft, to that token
only. An expired, tampered or other page's token is a 401 problem+json; nothing is cached.

wagtail-headless-preview is not used (its support for Wagtail 7.4 was not verified here, and it
stores preview data in its own table): a signed token (django.core.signing) carrying the page
and revision ids with an expiry is all this needs, and the draft goes through the same
serializers as the published API."""

from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.admin.widgets.button import Button
from wagtail.models import Page, Revision

from home.api.errors import PROBLEM_CONTENT_TYPE
from home.api.pages import RESOURCE_OF_MODEL
from home.api.schema import ProblemSerializer
from home.localization import fallback_chain

SALT = "syndication.preview"


def make_token(revision):
    return signing.dumps({"page": revision.object_id, "revision": revision.pk}, salt=SALT)


def read_token(token):
    """(page id, revision id); AuthenticationFailed (401) when expired or not ours."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.PREVIEW_TOKEN_MAX_AGE)
        return int(data["page"]), int(data["revision"])
    except signing.SignatureExpired:
        raise AuthenticationFailed(
            "The preview token has expired; open the preview again."
        ) from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise AuthenticationFailed("Invalid preview token.") from None


def preview_url(page, token):
    """The consumer's preview page for `page` (settings.HEADLESS_PREVIEW_URL, by site)."""
    site = page.get_site()
    template = settings.HEADLESS_PREVIEW_URLS.get(site.hostname if site else "") or (
        settings.HEADLESS_PREVIEW_URLS.get("default")
    )
    if not template:
        return None
    return template.format(
        token=quote(token), id=page.translation_key, locale=page.locale.language_code
    )


def viewset_for(page):
    """The API viewset serving `page`'s type (its own resource, or /api/v1/pages/)."""
    from cms.urls import api_v1

    resource = RESOURCE_OF_MODEL.get(page._meta.label_lower)
    for prefix, viewset, basename in api_v1.registry:
        if prefix == resource:
            return viewset, basename
    return None, None


class PreviewView(APIView):
    """The draft (latest revision) of a page, for the holder of a preview token."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def get_authenticate_header(self, request):
        return 'Bearer realm="preview"'  # a 401 must say how to authenticate (RFC 9110)

    @extend_schema(
        parameters=[OpenApiParameter("token", str, required=True, description="Preview token.")],
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="The draft, as its resource's detail, with preview: true.",
            ),
            (401, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer, description="Expired, tampered or for another page."
            ),
        },
    )
    def get(self, request, id):
        token = request.query_params.get("token", "")
        page_id, revision_id = read_token(token)
        revision = Revision.page_revisions.filter(pk=revision_id, object_id=str(page_id)).first()
        if revision is None:
            raise AuthenticationFailed("Invalid preview token.")
        page = revision.as_object()
        if str(page.translation_key) != str(id):
            raise AuthenticationFailed("The preview token is for another page.")
        viewset_class, basename = viewset_for(page)
        if viewset_class is None:
            raise AuthenticationFailed("This page type has no API resource to preview.")
        view = viewset_class()
        view.request, view.args, view.kwargs = request, (), {"id": str(id)}
        view.action, view.basename, view.format_kwarg = "retrieve", basename, None
        view.language = page.locale.language_code
        view.chain = fallback_chain(view.language)
        data = view.serialize(page, many=False)
        data["preview"] = True
        return Response(data, headers={"Content-Language": view.language})

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store, private"
        response["Referrer-Policy"] = "no-referrer"  # the token is in the URL
        return response


# --- admin: the button that opens the consumer's preview ------------------------------------
def admin_preview(request, page_id):
    """Latest revision → token → redirect to the consumer's preview page."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    revision = page.latest_revision or page.save_revision(user=request.user)
    url = preview_url(page, make_token(revision))
    if url is None:
        raise PermissionDenied
    return redirect(url)


def header_buttons(page, user, view_name, next_url=None):
    if not settings.HEADLESS_PREVIEW_URLS or page.depth < 2:
        return
    from django.urls import reverse

    if page.permissions_for_user(user).can_edit():
        yield Button(
            _("Náhled ve front-endu"),
            reverse("headless_preview", args=[page.pk]),
            icon_name="view",
            attrs={"target": "_blank", "rel": "noreferrer"},
            priority=40,
        )
