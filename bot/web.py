"""The HTTP service: careerbot as an ASGI application (Starlette), with the chat widget and its demo page.

:func:`create_app` builds the application from a :class:`~bot.Bot` (or a
function that loads one) and a :class:`ServiceConfig`; tests call it with a
test client, ``careerbot serve`` runs it under uvicorn through
:func:`app_from_env`. The conversation state travels in a signed token
(:mod:`bot.signing`), so any worker or machine answers any turn.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, fields
from importlib import metadata
from pathlib import Path

from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .answer import Answer
from .engine import MAX_QUESTION_CHARS, Bot
from .errors import CareerbotError
from .questionlog import DEFAULT_RETENTION_DAYS, QuestionLog
from .ratelimit import RateLimiter
from .signing import TokenSigner

__all__ = ["create_app", "app_from_env", "ServiceConfig", "ServiceConfigError", "LANGUAGES", "ENV"]

LANGUAGES = ("fr", "en", "auto")
"""Values of the ``lang`` field of ``/api/ask``."""
MAX_COMMENT_CHARS = 1000
STATIC = Path(__file__).resolve().parent / "static"

access_logger = logging.getLogger("careerbot.access")
error_logger = logging.getLogger("careerbot.error")


class ServiceConfigError(CareerbotError):
    """A service setting (option or environment variable) has an unusable value."""


@dataclass(frozen=True)
class ServiceConfig:
    """Everything the service can be told, with its defaults; :meth:`from_env` reads it from ``CAREERBOT_*``."""

    secret: str
    """Key of the HMAC that signs conversation tokens; the same on every worker and machine."""
    origins: tuple[str, ...] = ()
    """Other origins (``https://portal.example``) whose pages may call the API; ``*`` for any."""
    max_body: int = 16_384
    """Largest request body accepted, in bytes (413 beyond)."""
    max_question: int = MAX_QUESTION_CHARS
    """Longest question accepted, in characters (413 beyond)."""
    rate_limit: float = 60.0
    """Requests a minute allowed per client on the API, on average; 0 turns the limit off."""
    burst: int = 20
    """Requests a client may send at once before the rate limit applies."""
    session_ttl: int = 86_400
    """Seconds a conversation token stays valid after its last answer."""
    log_ip: bool = False
    """Put the client's address in the access log."""
    access_log: bool = True
    """Write one access-log line per request."""
    worker_header: bool = False
    """Add an ``X-Careerbot-Worker`` header (the process id) to responses, to see load balancing."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> ServiceConfig:
        """The configuration the ``CAREERBOT_*`` variables of *environ* give (see :data:`ENV`)."""
        values = {}
        for f in fields(cls):
            name = ENV[f.name]
            raw = environ.get(name)
            if raw is None or raw == "":
                continue
            try:
                values[f.name] = _parse(f.name, raw)
            except ValueError:
                raise ServiceConfigError(f"{name}={raw!r}: {_EXPECTED[f.name]}") from None
        if "secret" not in values:
            raise ServiceConfigError(f"{ENV['secret']} is not set; the service needs a secret to sign conversations")
        return cls(**values)


ENV = {
    "secret": "CAREERBOT_SECRET",
    "origins": "CAREERBOT_ORIGINS",
    "max_body": "CAREERBOT_MAX_BODY",
    "max_question": "CAREERBOT_MAX_QUESTION",
    "rate_limit": "CAREERBOT_RATE_LIMIT",
    "burst": "CAREERBOT_RATE_BURST",
    "session_ttl": "CAREERBOT_SESSION_TTL",
    "log_ip": "CAREERBOT_LOG_IP",
    "access_log": "CAREERBOT_ACCESS_LOG",
    "worker_header": "CAREERBOT_WORKER_HEADER",
    "log_db": "CAREERBOT_LOG_DB",
    "log_retention": "CAREERBOT_LOG_RETENTION",
    "base": "CAREERBOT_BASE",
    "knowledge": "CAREERBOT_KNOWLEDGE",
}
"""The environment variable of each setting (the service's, then the question log's and the knowledge's)."""

_EXPECTED = {
    "origins": "expected origins separated by commas, e.g. https://portal.example,https://www.portal.example",
    "max_body": "expected a number of bytes of at least 256",
    "max_question": "expected a number of characters of at least 1",
    "rate_limit": "expected requests per minute (a number; 0 for no limit)",
    "burst": "expected a whole number of at least 1",
    "session_ttl": "expected seconds (a whole number of at least 60)",
    "log_ip": "expected 1 or 0",
    "access_log": "expected 1 or 0",
    "worker_header": "expected 1 or 0",
}


def _parse(name: str, raw: str):
    if name == "secret":
        return raw
    if name == "origins":
        origins = tuple(o.strip().rstrip("/") for o in raw.split(",") if o.strip())
        if any(o != "*" and "://" not in o for o in origins):
            raise ValueError(name)
        return origins
    if name in ("log_ip", "access_log", "worker_header"):
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise ValueError(name)
    if name == "rate_limit":
        value = float(raw)
        if value < 0:
            raise ValueError(name)
        return value
    value = int(raw)
    if value < {"max_body": 256, "session_ttl": 60}.get(name, 1):
        raise ValueError(name)
    return value


class ApiError(Exception):
    """An error answered as ``{"error": {"code", "message"}}`` with an HTTP status."""

    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


def _error(status: int, code: str, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


_HTTP_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return _error(exc.status, exc.code, exc.message, exc.headers)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    message = {404: f"no such page: {request.url.path}",
               405: f"{request.method} is not allowed on {request.url.path}"}.get(exc.status_code, str(exc.detail))
    return _error(exc.status_code, code, message, getattr(exc, "headers", None))


async def _server_error(request: Request, exc: Exception) -> JSONResponse:
    # The trace goes to the server's log, never to the client.
    error_logger.error("error answering %s %s", request.method, request.url.path, exc_info=exc)
    return _error(500, "internal_error", "careerbot could not answer this request; the error has been logged")


async def _json_body(request: Request, limit: int) -> dict:
    """The request's JSON object, read up to *limit* bytes."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/json":
        raise ApiError(415, "unsupported_media_type", "send the request body as JSON (Content-Type: application/json)")
    length = request.headers.get("content-length")
    if length is not None and not length.isdigit():
        raise ApiError(400, "bad_request", "the Content-Length header is not a number")
    if length is not None and int(length) > limit:
        raise ApiError(413, "body_too_large", f"the request body is larger than {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise ApiError(413, "body_too_large", f"the request body is larger than {limit} bytes")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "bad_json", f"the request body is not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise ApiError(400, "bad_json", f"the request body must be a JSON object, got a JSON {type(data).__name__}")
    return data


def _version() -> str:
    try:
        return metadata.version("careerbot")
    except metadata.PackageNotFoundError:
        return "unknown"


class _Service:
    """The state behind the routes: the bot (once loaded), the signer, the rate limit and the log."""

    def __init__(self, bot: Bot | Callable[[], Bot], config: ServiceConfig, log: QuestionLog | None):
        self.config = config
        self.signer = TokenSigner(config.secret, ttl=config.session_ttl)
        self.limiter = RateLimiter(config.rate_limit, burst=config.burst) if config.rate_limit else None
        self.log = log
        self.bot: Bot | None = None
        self.load_failed = False
        self._loader = None
        if isinstance(bot, Bot):
            self._set_bot(bot)
        else:
            self._loader = bot
        self.widget = (STATIC / "widget.js").read_bytes()
        self.demo = (STATIC / "demo.html").read_bytes()

    def _set_bot(self, bot: Bot) -> None:
        self._answer: Callable[..., Answer] = bot.ask
        roles = sorted(bot.knowledge.roles.values(), key=lambda r: r.id)
        self.info = {
            "name": "careerbot",
            "version": _version(),
            "roles": [{"id": r.id, "name": r.name, "short": r.short} for r in roles],
            "sources": [{"file": s.file, "title": s.title} for s in bot.knowledge.sources.values()],
            # Answers follow the question's language unless the request forces one.
            "languages": {"questions": ["fr", "en"], "answers": ["fr", "en"]},
        }
        self.bot = bot

    def load_in_background(self) -> None:
        """Load the bot in a thread, so /api/health can say "loading" meanwhile."""
        if self._loader is None:
            return

        def load():
            try:
                self._set_bot(self._loader())
            except Exception:
                self.load_failed = True
                error_logger.exception("careerbot could not load its knowledge base")

        threading.Thread(target=load, name="careerbot-load", daemon=True).start()

    # --- helpers ----------------------------------------------------------------------------------------------

    def _ready(self) -> Bot:
        if self.bot is None:
            raise ApiError(503, "not_ready", "careerbot is still loading its knowledge base; try again in a second",
                           {"Retry-After": "1"})
        return self.bot

    def _limit(self, request: Request) -> None:
        if self.limiter is None:
            return
        client = request.client.host if request.client else "?"
        wait = self.limiter.wait(client)
        if wait:
            seconds = RateLimiter.retry_after(wait)
            raise ApiError(429, "rate_limited", f"too many requests; try again in {seconds} s",
                           {"Retry-After": seconds})

    def _check_origin(self, request: Request) -> None:
        # Browsers enforce CORS on reading the answer; refusing here also keeps a page
        # of another site from spending the visitor's rate limit or filling the log.
        origin = request.headers.get("origin")
        if origin is None or "*" in self.config.origins or origin in self.config.origins:
            return
        if origin == f"{request.url.scheme}://{request.url.netloc}":
            return
        raise ApiError(403, "origin_not_allowed", f"pages from {origin} may not call this service; "
                       "add the origin to CAREERBOT_ORIGINS (or --origin)")

    def _citations(self, sources) -> list[dict]:
        known = self.bot.knowledge.sources if self.bot else {}
        return [{"file": f, "title": known[f].title if f in known else f} for f in sources]

    # --- routes -----------------------------------------------------------------------------------------------

    async def ask(self, request: Request) -> Response:
        self._check_origin(request)
        self._limit(request)
        bot = self._ready()
        data = await _json_body(request, self.config.max_body)
        question, token, lang = data.get("question"), data.get("session"), data.get("lang") or "auto"
        if not isinstance(question, str):
            raise ApiError(400, "bad_request", "'question' must be a string: {\"question\": \"…\"}")
        if len(question) > self.config.max_question:
            raise ApiError(413, "question_too_long", f"the question has {len(question)} characters; "
                           f"at most {self.config.max_question} are accepted")
        if token is not None and not isinstance(token, str):
            raise ApiError(400, "bad_request", "'session' must be the token of an earlier answer, or absent")
        if lang not in LANGUAGES:
            raise ApiError(400, "bad_request", f"'lang' must be one of {', '.join(LANGUAGES)}, got {lang!r}")
        conversation = self.signer.verify(token) if token else None
        if conversation is None:
            cid, turns, state = self.signer.new_conversation_id(), 0, {}
        else:
            cid, turns, state = conversation.id, conversation.turns, conversation.state
        session = bot.restore_session(state)
        # Answering takes well under a millisecond: done in the event loop, not in a thread.
        answer = self._answer(question, session, lang=lang)
        payload = answer.to_dict()
        payload["citations"] = payload.get("citations") or self._citations(payload.get("sources", ()))
        turn = turns + 1
        if self.log is not None:
            self.log.record(conversation=cid, turn=turn, question=question, lang=answer.lang, answer=payload)
        payload.update(session=self.signer.sign(cid, turn, session.state()), turn=turn, lang=answer.lang,
                       restarted=bool(token) and conversation is None)
        return JSONResponse(payload)

    async def feedback(self, request: Request) -> Response:
        self._check_origin(request)
        self._limit(request)
        data = await _json_body(request, self.config.max_body)
        conversation = self.signer.verify(data.get("session"))
        if conversation is None:
            raise ApiError(400, "bad_session", "'session' must be the token of the conversation's last answer "
                           "(it is missing, altered or expired)")
        turn, useful, comment = data.get("turn"), data.get("useful"), data.get("comment")
        if not isinstance(turn, int) or isinstance(turn, bool) or not 1 <= turn <= conversation.turns:
            raise ApiError(400, "bad_request", f"'turn' must be the number of an answered question of this "
                           f"conversation (1 to {conversation.turns})")
        if not isinstance(useful, bool):
            raise ApiError(400, "bad_request", "'useful' must be true or false")
        if comment is not None and not isinstance(comment, str):
            raise ApiError(400, "bad_request", "'comment' must be a string, or absent")
        if comment is not None and len(comment) > MAX_COMMENT_CHARS:
            raise ApiError(413, "comment_too_long", f"the comment has {len(comment)} characters; "
                           f"at most {MAX_COMMENT_CHARS} are accepted")
        if self.log is not None:
            self.log.give_feedback(conversation=conversation.id, turn=turn, useful=useful, comment=comment)
        return JSONResponse({"ok": True, "logged": self.log is not None})

    async def health(self, request: Request) -> Response:
        if self.bot is not None:
            return JSONResponse({"status": "ok"})
        if self.load_failed:
            return JSONResponse({"status": "error"}, status_code=503)
        return JSONResponse({"status": "loading"}, status_code=503, headers={"Retry-After": "1"})

    async def api_info(self, request: Request) -> Response:
        self._ready()
        return JSONResponse(self.info)

    async def demo_page(self, request: Request) -> Response:
        # The demo is a portal page like any other: the widget is its only script.
        return Response(self.demo, media_type="text/html; charset=utf-8", headers={
            "Cache-Control": "no-cache",
            "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                                       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"})

    async def widget_js(self, request: Request) -> Response:
        return Response(self.widget, media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=300"})


class _Edge:
    """Outermost layer: security headers, the optional worker header, and the access log (no IP by default)."""

    def __init__(self, app, config: ServiceConfig):
        self.app = app
        self.config = config
        self._pid = str(os.getpid())

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def send_with_headers(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "no-referrer"
                if self.config.worker_header:
                    headers["X-Careerbot-Worker"] = self._pid
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            if self.config.access_log:
                ms = (time.perf_counter() - start) * 1000
                who = ""
                if self.config.log_ip and scope.get("client"):
                    who = f"{scope['client'][0]} "
                access_logger.info('%s"%s %s" %d %.1fms', who, scope["method"], scope["path"], status, ms)


def create_app(bot: Bot | Callable[[], Bot], config: ServiceConfig, *, log: QuestionLog | None = None):
    """The ASGI application serving *bot* with *config*, logging questions to *log* (None: not logged).

    *bot* may be a function that loads the bot: it then runs in a thread at
    start-up, and ``/api/health`` answers 503 until it is done. The log is
    closed (its queue written) when the application shuts down.
    """
    service = _Service(bot, config, log)

    @asynccontextmanager
    async def lifespan(app):
        service.load_in_background()
        try:
            yield
        finally:
            if service.log is not None:
                service.log.close()

    routes = [
        Route("/", service.demo_page, methods=["GET"]),
        Route("/widget.js", service.widget_js, methods=["GET"]),
        Route("/api/ask", service.ask, methods=["POST"]),
        Route("/api/feedback", service.feedback, methods=["POST"]),
        Route("/api/health", service.health, methods=["GET"]),
        Route("/api/info", service.api_info, methods=["GET"]),
    ]
    middleware = [Middleware(CORSMiddleware, allow_origins=list(config.origins), allow_methods=["GET", "POST"],
                             allow_headers=["Content-Type"], max_age=600)]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan, exception_handlers={
        ApiError: _api_error, HTTPException: _http_error, Exception: _server_error})
    app.state.service = service
    return _Edge(app, config)


def app_from_env():
    """The application as ``careerbot serve`` runs it in each worker, configured by ``CAREERBOT_*`` variables."""
    environ = os.environ
    config = ServiceConfig.from_env(environ)
    target = environ.get(ENV["log_db"], "")
    log = None
    if target.lower() not in ("off", "none", "0"):
        from .paths import data_dir

        try:
            retention = int(environ.get(ENV["log_retention"], DEFAULT_RETENTION_DAYS))
        except ValueError:
            raise ServiceConfigError(f"{ENV['log_retention']}: expected a number of days (0 keeps everything)") from None
        log = QuestionLog(target or data_dir() / "questions.sqlite3", retention_days=retention, background=True)
    base = environ.get(ENV["base"]) or None
    extra = [p for p in environ.get(ENV["knowledge"], "").split(os.pathsep) if p]

    def load() -> Bot:
        bot = Bot.load(base, extra=extra)
        # The knowledge never changes once loaded: keep the garbage collector from walking
        # its objects again on every full collection (a source of latency spikes).
        gc.collect()
        gc.freeze()
        return bot

    return create_app(load, config, log=log)
