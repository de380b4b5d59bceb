"""OParl 1.1 (https://oparl.org/spezifikation/), read-only, at /api/oparl/: the advisory bodies
(platforms) as Organization, their meetings, programme items, contact people and minutes. One
Body per site. Czech (the source language) only: OParl has no notion of translations."""
