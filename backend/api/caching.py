"""HTTP caching policy of API responses."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Response, make_response


def cache_for(seconds: int) -> Callable:
    """Mark a view's successful responses as publicly cacheable for ``seconds``.

    ``seconds=0`` means "never store": search answers depend on the time of asking.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs) -> Response:
            response = make_response(view(*args, **kwargs))
            if response.status_code == 200:
                response.headers["Cache-Control"] = (
                    f"public, max-age={seconds}" if seconds else "no-store"
                )
            return response

        return wrapper

    return decorator
