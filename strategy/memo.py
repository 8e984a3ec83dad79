"""What a request asks more than once, answered once: a dictionary that lives for one
request (RequestMemoMiddleware), for facts that do not change within it, such as which
groups the signed-in person belongs to. Outside a request nothing is kept.

A write that changes such a fact within the request calls `forget()` (the membership
signals do), so a check after it sees the change.
"""

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

_memo: ContextVar[dict | None] = ContextVar("request_memo", default=None)


def active() -> bool:
    """Whether a request is being answered (facts are remembered)."""
    return _memo.get() is not None


def memoised(key, compute: Callable[[], Any]) -> Any:
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def remember(key, value) -> None:
    """Record a fact a request has just learnt another way (a row it fetched under the same
    rule), so that asking `memoised(key, ...)` later does not ask the database again."""
    memo = _memo.get()
    if memo is not None:
        memo[key] = value


def drop(key) -> None:
    """Forget one fact: the next `memoised(key, ...)` computes it again."""
    memo = _memo.get()
    if memo is not None:
        memo.pop(key, None)


def forget() -> None:
    memo = _memo.get()
    if memo is not None:
        memo.clear()


class RequestMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
