"""Health checks for load balancers and orchestrators; never cached.

/healthz: the process answers (no database, no cache): restart the process when this fails.
/readyz: the database answers `SELECT 1` and the cache a round trip: send readers elsewhere
while this fails (503 problem+json naming what is down).
"""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from home.operations.availability import probe_cache, probe_database, unavailable_problem


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    checks = {"database": probe_database(), "cache": probe_cache()}
    down = [name for name, status in checks.items() if status != "ok"]
    if down:
        return unavailable_problem(f"Unavailable: {', '.join(down)}.", checks=checks)
    return JsonResponse({"status": "ok", "checks": checks})
