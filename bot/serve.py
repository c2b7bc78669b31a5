"""``careerbot serve``: check the settings, the knowledge and the question log, then run uvicorn.

Options become ``CAREERBOT_*`` environment variables (:data:`bot.web.ENV`), which
is how every uvicorn worker process, and any other machine started the same
way, gets the same configuration; :func:`bot.web.app_from_env` reads them back.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys

from .errors import CareerbotError

__all__ = ["add_arguments", "run_serve", "ServeUsageError"]


class ServeUsageError(CareerbotError):
    """An option of ``careerbot serve`` has an unusable value (exit code 2)."""


def add_arguments(serve: argparse.ArgumentParser) -> None:
    """The options of ``careerbot serve``."""
    net = serve.add_argument_group("network")
    net.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    net.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    net.add_argument("--workers", type=int, default=1, help="worker processes (default: 1)")
    net.add_argument("--forwarded-allow-ips", metavar="IPS",
                     help="addresses of reverse proxies whose X-Forwarded-For/-Proto are trusted (comma-separated)")
    api = serve.add_argument_group("API (each also read from the environment variable named)")
    api.add_argument("--secret", help="key signing conversation tokens, the same on every machine "
                                      "(CAREERBOT_SECRET; prefer the variable: options show in ps)")
    api.add_argument("--origin", action="append", metavar="ORIGIN",
                     help="another site allowed to call the API, e.g. https://portal.example (repeatable; "
                          "CAREERBOT_ORIGINS, comma-separated)")
    api.add_argument("--max-body", type=int, metavar="BYTES", help="largest request body (CAREERBOT_MAX_BODY; 16384)")
    api.add_argument("--max-question", type=int, metavar="CHARS",
                     help="longest question (CAREERBOT_MAX_QUESTION; 1000)")
    api.add_argument("--rate-limit", type=float, metavar="PER_MIN",
                     help="requests a minute per client, 0 for none (CAREERBOT_RATE_LIMIT; 60)")
    api.add_argument("--burst", type=int, help="requests a client may send at once (CAREERBOT_RATE_BURST; 20)")
    api.add_argument("--session-ttl", type=int, metavar="SECONDS",
                     help="how long a conversation lasts after its last answer (CAREERBOT_SESSION_TTL; 86400)")
    api.add_argument("--log-ip", action="store_true", default=None,
                     help="put visitors' addresses in the access log (CAREERBOT_LOG_IP; off)")
    api.add_argument("--no-access-log", action="store_true", help="no access log (CAREERBOT_ACCESS_LOG=0)")
    log = serve.add_argument_group("question log")
    log.add_argument("--log-db", metavar="PATH_OR_URL",
                     help="SQLite file or postgresql://user:password@host/db URL (CAREERBOT_LOG_DB; "
                          "default: questions.sqlite3 in the data folder)")
    log.add_argument("--log-retention", type=int, metavar="DAYS",
                     help="days questions are kept, 0 for ever (CAREERBOT_LOG_RETENTION; 90)")
    log.add_argument("--no-log", action="store_true", help="do not record questions")


def _environment(args, extra: list[str]) -> dict[str, str]:
    """The CAREERBOT_* variables the options given set (options win over the environment)."""
    from .web import ENV

    env: dict[str, str] = {}
    given = {
        "secret": args.secret,
        "origins": ",".join(args.origin) if args.origin else None,
        "max_body": args.max_body, "max_question": args.max_question, "rate_limit": args.rate_limit,
        "burst": args.burst, "session_ttl": args.session_ttl,
        "log_ip": "1" if args.log_ip else None, "access_log": "0" if args.no_access_log else None,
        "log_db": "off" if args.no_log else args.log_db, "log_retention": args.log_retention,
        "base": args.base, "knowledge": os.pathsep.join(str(p) for p in extra) if extra else None,
    }
    for name, value in given.items():
        if value is not None:
            env[ENV[name]] = str(value)
    return env


def run_serve(args, *, extra: list[str]) -> int:
    """Run the service as *args* say; *extra* are the extra knowledge folders. Returns the exit code."""
    import uvicorn
    from uvicorn.config import LOGGING_CONFIG

    from .engine import Bot
    from .questionlog import DEFAULT_RETENTION_DAYS, QuestionLog
    from .signing import TokenSigner
    from .web import ENV, ServiceConfig, ServiceConfigError

    if args.workers < 1:
        raise ServeUsageError("--workers must be at least 1")
    if not 0 < args.port < 65536:
        raise ServeUsageError(f"--port must be between 1 and 65535, got {args.port}")
    env = {**{k: v for k, v in os.environ.items() if k.startswith("CAREERBOT_")}, **_environment(args, extra)}
    if not env.get(ENV["secret"]):
        env[ENV["secret"]] = secrets.token_urlsafe(32)
        sys.stderr.write("careerbot: warning: no secret set (CAREERBOT_SECRET or --secret); a random one is used, "
                         "so conversations end when the service restarts and other machines cannot continue them\n")
    try:
        config = ServiceConfig.from_env(env)
        TokenSigner(config.secret)
    except (ServiceConfigError, ValueError) as exc:
        raise ServeUsageError(str(exc)) from None
    # Checked once here, so a broken knowledge base or log database stops the command
    # with one message instead of every worker failing on its own.
    Bot.load(args.base, extra=extra)
    target = env.get(ENV["log_db"], "")
    if target.lower() not in ("off", "none", "0"):
        from .paths import data_dir

        try:
            retention = int(env.get(ENV["log_retention"], DEFAULT_RETENTION_DAYS))
        except ValueError:
            raise ServeUsageError(f"{ENV['log_retention']}: expected a number of days (0 keeps everything)") from None
        QuestionLog(target or data_dir() / "questions.sqlite3", retention_days=retention).close()
        where = target or str(data_dir() / "questions.sqlite3")
        sys.stderr.write(f"careerbot: questions are logged to {_hide_password(where)}\n")
    os.environ.update(env)
    if args.workers > 1:
        # Workers share one listening socket; by default libuv (uvloop) accepts every pending
        # connection at once, so a burst of keep-alive connections piles onto one worker.
        # One accept per wake-up spreads them (p99 at 32 sessions: about 40-75 ms -> 30 ms).
        os.environ.setdefault("UV_TCP_SINGLE_ACCEPT", "1")
    log_config = {**LOGGING_CONFIG, "loggers": {**LOGGING_CONFIG["loggers"], "careerbot": {
        "handlers": ["default"], "level": "INFO", "propagate": False}}}
    shown = f"[{args.host}]" if ":" in args.host else args.host
    sys.stderr.write(f"careerbot: demo page on http://{shown}:{args.port}/ — Ctrl-C to stop\n")
    uvicorn.run("bot.web:app_from_env", factory=True, host=args.host, port=args.port, workers=args.workers,
                log_config=log_config, access_log=False, server_header=False,
                proxy_headers=bool(args.forwarded_allow_ips), forwarded_allow_ips=args.forwarded_allow_ips,
                timeout_graceful_shutdown=10)
    return 0


def _hide_password(target: str) -> str:
    if "://" not in target:
        return target
    from sqlalchemy.engine import make_url

    try:
        return make_url(target).render_as_string(hide_password=True)
    except Exception:
        return target.split("://", 1)[0] + "://…"
