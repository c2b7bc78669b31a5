"""The conversation token: a visitor's dialogue state, signed so that any worker can trust it.

The service keeps no session in memory: each answer comes with a token that
holds the conversation's id, its number of turns and its dialogue state
(:meth:`Session.state`), with an issue time and an expiry, as compact JSON in
base64url followed by an HMAC-SHA256 of it under the server's secret. A token
that was altered, signed with another secret, expired or malformed reads as
None: the visitor simply starts a new conversation.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Conversation", "TokenSigner", "MIN_SECRET_LENGTH"]

MIN_SECRET_LENGTH = 16
"""Shorter secrets are refused: a guessable secret lets anyone forge conversations."""
_VERSION = 1
_MAX_TOKEN = 4096  # a real token is a few hundred characters; longer is garbage


@dataclass(frozen=True)
class Conversation:
    """What a token carries."""

    id: str
    """Random id of the conversation (links the question log and feedback)."""
    turns: int
    """How many questions have been answered in it."""
    state: dict
    """The dialogue state, as :meth:`Session.state` gives it."""
    issued: int
    """When the token was signed (Unix seconds)."""


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class TokenSigner:
    """Sign and check conversation tokens with *secret*, valid *ttl* seconds after they are issued.

    Examples
    --------
    >>> signer = TokenSigner("a secret of sixteen+ characters", ttl=3600)
    >>> token = signer.sign(signer.new_conversation_id(), 1, {"roles": ["kam"]})
    >>> signer.verify(token).state
    {'roles': ['kam']}
    >>> signer.verify(token[:-2] + "xx") is None
    True
    """

    def __init__(self, secret: str | bytes, *, ttl: int = 86400, clock: Callable[[], float] = time.time):
        key = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
        if len(key) < MIN_SECRET_LENGTH:
            raise ValueError(f"The secret must be at least {MIN_SECRET_LENGTH} characters long, "
                             f"got {len(key)}; generate one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'")
        self._key = key
        self.ttl = ttl
        self._clock = clock

    @staticmethod
    def new_conversation_id() -> str:
        """A fresh random conversation id (16 characters)."""
        return secrets.token_urlsafe(12)

    def _mac(self, body: str) -> str:
        return _b64encode(hmac.new(self._key, body.encode("ascii"), hashlib.sha256).digest())

    def sign(self, conversation_id: str, turns: int, state: dict) -> str:
        """A token for the conversation *conversation_id* after *turns* answers, remembering *state*."""
        now = int(self._clock())
        payload = {"v": _VERSION, "c": conversation_id, "n": turns, "i": now, "e": now + self.ttl, "s": state}
        body = _b64encode(json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
        return f"{body}.{self._mac(body)}"

    def verify(self, token) -> Conversation | None:
        """The conversation *token* carries, or None when it is not a valid, unexpired token of ours."""
        if not isinstance(token, str) or len(token) > _MAX_TOKEN or token.count(".") != 1:
            return None
        body, mac = token.split(".")
        try:
            if not hmac.compare_digest(mac.encode("ascii"), self._mac(body).encode("ascii")):
                return None
            payload = json.loads(_b64decode(body))
        except (UnicodeError, ValueError, binascii.Error):
            return None
        if not isinstance(payload, dict) or payload.get("v") != _VERSION:
            return None
        cid, turns, issued, expires, state = (payload.get(k) for k in ("c", "n", "i", "e", "s"))
        if not (isinstance(cid, str) and isinstance(turns, int) and isinstance(issued, int)
                and isinstance(expires, int) and isinstance(state, dict)):
            return None
        now = self._clock()
        # A minute of clock skew between machines; a shorter ttl configured since also applies.
        if not issued - 60 <= now < min(expires, issued + self.ttl):
            return None
        return Conversation(id=cid, turns=turns, state=state, issued=issued)
