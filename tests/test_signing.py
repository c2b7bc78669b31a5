"""The conversation token (signing.py) and the per-client rate limit (ratelimit.py)."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.ratelimit import RateLimiter
from bot.signing import TokenSigner

SECRET = "sixteen+ characters of secret"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1_800_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_token_round_trip():
    signer = TokenSigner(SECRET)
    token = signer.sign("abc", 3, {"roles": ["kam"], "quota": 120000.0})
    conversation = signer.verify(token)
    assert (conversation.id, conversation.turns, conversation.state) == ("abc", 3, {"roles": ["kam"], "quota": 120000.0})
    assert len(token) < 300


def test_token_expires_after_ttl():
    clock = Clock()
    signer = TokenSigner(SECRET, ttl=600, clock=clock)
    token = signer.sign("abc", 1, {})
    clock.now += 599
    assert signer.verify(token) is not None
    clock.now += 2
    assert signer.verify(token) is None


def test_a_shorter_ttl_configured_later_applies_to_older_tokens():
    clock = Clock()
    token = TokenSigner(SECRET, ttl=86400, clock=clock).sign("abc", 1, {})
    clock.now += 3600
    assert TokenSigner(SECRET, ttl=600, clock=clock).verify(token) is None


def test_payload_re_signed_with_another_secret_is_refused():
    """Changing the payload and re-signing needs the secret: another key's signature does not pass."""
    signer = TokenSigner(SECRET)
    body = base64.urlsafe_b64encode(json.dumps(
        {"v": 1, "c": "x", "n": 1, "i": 0, "e": 4_000_000_000, "s": {"roles": ["kam"]}}).encode()).rstrip(b"=").decode()
    forged = TokenSigner("another secret of sixteen+")._mac(body)
    assert signer.verify(f"{body}.{forged}") is None


NOW = 1_800_000_000
GOOD = {"v": 1, "c": "x", "n": 1, "i": NOW, "e": NOW + 600, "s": {}}


@pytest.mark.parametrize("change", [
    None, {"v": 2}, {"c": 1}, {"n": "1"}, {"i": "now"}, {"e": None}, {"s": []}, {"s": "roles"},
], ids=repr)
def test_well_signed_but_malformed_payload_is_refused(change):
    """Even correctly signed, a payload of the wrong shape reads as no conversation (the unchanged one passes)."""
    signer = TokenSigner(SECRET, clock=Clock(NOW + 1))
    payload = GOOD if change is None else GOOD | change
    body = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    assert (signer.verify(f"{body}.{signer._mac(body)}") is None) is (change is not None)


def test_well_signed_json_that_is_not_an_object_is_refused():
    signer = TokenSigner(SECRET)
    body = base64.urlsafe_b64encode(b"[1, 2]").rstrip(b"=").decode()
    assert signer.verify(f"{body}.{signer._mac(body)}") is None


@given(st.text(max_size=300) | st.binary(max_size=300).map(lambda b: base64.urlsafe_b64encode(b).decode() + ".x"))
def test_verify_never_raises(garbage):
    assert TokenSigner(SECRET).verify(garbage) is None


@pytest.mark.parametrize("value", [None, 5, b"bytes", ["a.b"]])
def test_verify_non_strings(value):
    assert TokenSigner(SECRET).verify(value) is None


def test_short_secret_refused_with_how_to_make_one():
    with pytest.raises(ValueError, match=r"at least 16 characters.*secrets\.token_urlsafe"):
        TokenSigner("short")


def test_rate_limit_refills_over_time():
    """60 a minute with a burst of 3: three at once, then one a second."""
    clock = Clock()
    limit = RateLimiter(60, burst=3, clock=clock)
    assert [limit.wait("a") for _ in range(4)] == [0.0, 0.0, 0.0, 1.0]
    clock.now += 0.5
    assert limit.wait("a") == pytest.approx(0.5)
    clock.now += 1.0
    assert limit.wait("a") == 0.0


def test_rate_limit_table_is_bounded():
    """Past max_clients, the least recently seen client is forgotten (and starts again with a full bucket)."""
    clock = Clock()
    limit = RateLimiter(1, burst=1, max_clients=100, clock=clock)
    for i in range(1000):
        limit.wait(f"client-{i}")
    assert len(limit._buckets) == 100
    assert limit.wait("client-999") > 0          # still remembered: limited
    assert limit.wait("client-0") == 0.0         # forgotten: full bucket


@pytest.mark.parametrize("wait, header", [(0.01, "1"), (1.0, "1"), (1.2, "2"), (59.9, "60")])
def test_retry_after_is_whole_seconds(wait, header):
    assert RateLimiter.retry_after(wait) == header


def test_rate_limiter_refuses_nonsense_settings():
    with pytest.raises(ValueError, match="per_minute > 0 and burst >= 1"):
        RateLimiter(0, burst=1)
