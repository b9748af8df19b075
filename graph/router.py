"""The /graphql router: UTF-8 JSON answers, and the development console (GraphiQL) served from
the package itself, so that it works on an intranet without internet access."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse

from graph.http import GraphQLEdgeRouter

CONSOLE = Path(__file__).resolve().parent / "console"
# The console's files (graph/console/SOURCES.md says where each comes from); nothing else in
# that folder is served.
CONSOLE_ASSETS = {
    "react.production.min.js": "text/javascript",
    "react-dom.production.min.js": "text/javascript",
    "graphiql.min.js": "text/javascript",
    "plugin-explorer.umd.js": "text/javascript",
    "graphiql.min.css": "text/css",
    "plugin-explorer.css": "text/css",
}


class IntegrityRouter(GraphQLEdgeRouter):
    """strawberry's router with the strict body parser of the HTTP edge (graph.http), readable
    JSON (Chinese text as UTF-8, 3 bytes a character, not 6-byte `\\u` escapes; readable with
    curl) and the package's own console page."""

    def encode_json(self, data: object) -> bytes:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return HTMLResponse((CONSOLE / "graphiql.html").read_text(encoding="utf-8"))


def mount_console(app: FastAPI) -> None:
    """GET /console/<asset>: the console's scripts and styles (development mode only)."""

    @app.get("/console/{name}", include_in_schema=False)
    async def console_asset(name: str) -> FileResponse:
        media_type = CONSOLE_ASSETS.get(name)
        if media_type is None:
            raise HTTPException(status_code=404)
        return FileResponse(CONSOLE / name, media_type=media_type,
                            headers={"Cache-Control": "public, max-age=86400"})
