"""gzip for JSON answers: residents on a weak mobile connection pay for every byte."""

from __future__ import annotations

import gzip

from flask import Response, request

# Below this size the gzip header and CPU cost outweigh the saving.
MIN_COMPRESS_BYTES = 1024
JSON_TYPES = {"application/json", "application/problem+json"}


def gzip_json_response(response: Response) -> Response:
    """Compress a JSON response when the client accepts gzip and the body is large enough."""
    if (
        response.mimetype not in JSON_TYPES
        or response.direct_passthrough
        or "Content-Encoding" in response.headers
        or request.accept_encodings["gzip"] <= 0
    ):
        return response
    body = response.get_data()
    if len(body) < MIN_COMPRESS_BYTES:
        return response
    response.set_data(gzip.compress(body, compresslevel=6, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    return response
