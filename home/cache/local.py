"""This process's copies of the response entries it served last, in front of the shared cache.

A hit in the shared cache moves the whole entry: a 500 KB Concept tree crosses the socket and is
unpickled on every request, which halved the rate of a large answer against a small one. Here a
process keeps recent entries, up to RESPONSE_CACHE_LOCAL_BYTES, and serves one only after reading
the content version from the shared cache for this very request (one small round trip) and only
under that version and before its expiry: the same test as for the shared entry, so a publish on
any instance is seen by the very next request here too, and with the shared cache down nothing is
served from this copy."""

import threading
from collections import OrderedDict

from django.conf import settings


class LocalEntries:
    """A byte-bounded LRU map of entry key -> entry (responses.py's dict)."""

    def __init__(self):
        self._entries = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        budget = settings.RESPONSE_CACHE_LOCAL_BYTES
        size = len(entry["content"])
        with self._lock:
            self._drop(key)
            if size > budget // 4:  # one answer may not push out the others
                return
            self._entries[key] = entry
            self._bytes += size
            while self._bytes > budget:
                self._drop(next(iter(self._entries)))

    def _drop(self, key):
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= len(entry["content"])

    def clear(self):
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self):
        return len(self._entries)


entries = LocalEntries()
