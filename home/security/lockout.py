"""What a locked-out login sees (django-axes' AXES_LOCKOUT_CALLABLE): a page that says why and
for how long, with status 429 and Retry-After, never a 403 or a stack trace."""

import math

from axes.helpers import get_cool_off
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    response = render(
        request, "home/security/lockout.html", {"cooloff_minutes": minutes}, status=429
    )
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
