"""Where a webhook may be sent. In production (WEBHOOK_ALLOW_PRIVATE_URLS off) a subscriber URL
must resolve only to public addresses: otherwise an editor could make the server POST into the
internal network (loopback, RFC 1918, link-local cloud metadata…). Checked when the subscriber is
saved and again before every delivery (DNS may change in between)."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def check_url(url):
    """Raise ValidationError unless `url` is an http(s) URL this server may POST to."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValidationError(_("Adresa musí být URL s http:// nebo https://."))
    if settings.WEBHOOK_ALLOW_PRIVATE_URLS:
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError, UnicodeError):
        raise ValidationError(_("Název serveru v adrese nelze přeložit.")) from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if not address.is_global:
            raise ValidationError(
                _("Adresa vede do neveřejné sítě (%(address)s); v produkci to není dovoleno.")
                % {"address": address}
            )
