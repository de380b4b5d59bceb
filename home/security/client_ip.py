"""THE rule for a client's IP address, shared by the login lockout (django-axes) and the API's
anonymous throttling.

Without configuration the client is the connection's peer (REMOTE_ADDR); any X-Forwarded-For
a client sends is ignored, so it cannot pick a fresh address for every request. Behind a reverse
proxy, CLIENT_IP_HEADER names the header the proxy writes (e.g. X-Forwarded-For or X-Real-IP)
and TRUSTED_PROXY_COUNT how many proxies of ours append to it: the address is read that many
entries from the right, the part of the header a client cannot forge.
"""

from django.conf import settings


def client_ip(request):
    header = settings.CLIENT_IP_HEADER
    remote_addr = request.META.get("REMOTE_ADDR", "")
    if not header:
        return remote_addr
    meta_name = "HTTP_" + header.upper().replace("-", "_")
    addresses = [part.strip() for part in request.META.get(meta_name, "").split(",")]
    addresses = [address for address in addresses if address]
    count = settings.TRUSTED_PROXY_COUNT
    if len(addresses) < count:
        # Not through our proxies (e.g. a health check from the host itself): the peer it is.
        return remote_addr
    return addresses[-count]
