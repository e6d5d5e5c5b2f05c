"""What the MCP module tells the layers above it, which it may not import."""

from __future__ import annotations

from django.dispatch import Signal

# Sent once a publication is committed, with `snapshot` (the ScoreSnapshot published). The
# public pages make themselves ready for the visitors the news brings (cegah/public/warm.py).
scores_published = Signal()
