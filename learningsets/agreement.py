"""The set's confidentiality agreement: what everyone in a set agrees to before they see anything in it.

The words live in `templates/learningsets/agreement_text.html` (one place, shown on the invitation page and on the
set's page). `AGREEMENT_VERSION` is kept on each acceptance: when the words change in a way that matters, give it a
new version, and the acceptances say which words each person agreed to.
"""

from __future__ import annotations

AGREEMENT_VERSION = "2026-11"
AGREEMENT_TEMPLATE = "learningsets/agreement_text.html"
