"""Browser replay viewer: a static page plus a small read-only server; reads run directories only.

``hyosan view RUN_DIR`` serves it; ``hyosan view RUN_DIR --export DIR`` writes a static site.
"""

from __future__ import annotations

from hyosan.viewer.export import build_site, export_site
from hyosan.viewer.server import ViewerServer, serve

__all__ = ["ViewerServer", "build_site", "export_site", "serve"]
