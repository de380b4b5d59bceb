"""Abuse resistance (issue 10): who the client is behind a proxy, the login lockout page, and the
Content-Security-Policy chosen by the kind of page."""
