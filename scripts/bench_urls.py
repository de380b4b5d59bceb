"""URLs for `make bench`: the project's, plus a minimal Django view that returns fixed bytes
(the baseline: what serving those bytes costs without any API work)."""

import os

from django.http import HttpResponse
from django.urls import path

from cms.urls import urlpatterns as cms_urlpatterns

_BYTES = {}


def raw_bytes(request):
    if "body" not in _BYTES:
        with open(os.environ["BENCH_BYTES_FILE"], "rb") as handle:
            _BYTES["body"] = handle.read()
    return HttpResponse(_BYTES["body"], content_type="application/json")


urlpatterns = [path("bench/raw/", raw_bytes), *cms_urlpatterns]
