"""Shared response cache (issue 8): one content version for everything readers see.

- version.py: the content version, a token in the default cache (Redis in production) that every
  event changing what a reader sees replaces (receivers.py connects them). Cached responses are
  keyed on it, so a publish on one instance shows in the very next response of every instance.
- buckets.py: the next moment at which an answer changes by itself (a meeting ends, content
  expires); cached entries never outlive it.
- responses.py: the middleware that serves anonymous GET/HEAD of the API, pages and sitemaps from
  the cache, with ETag and Last-Modified stored beside the body (a 304 needs no rendering).
- local.py: each process's copies of the entries it served last (a large answer is then not moved
  out of Redis on every hit), served only under the version read from the shared cache.
"""
