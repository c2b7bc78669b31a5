"""The HTTP API on the ASGI app: follow-ups through the token, bad tokens, limits, CORS, rate limit, errors, logs."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading

import httpx2
import pytest
from starlette.testclient import TestClient

from bot.questionlog import QuestionLog
from bot.signing import TokenSigner
from bot.web import ENV, ServiceConfig, ServiceConfigError, create_app

SECRET = "test secret, long enough to sign"
KAM_SOURCE = "004_8b581f9a927034e0.txt"


def make_client(bot, *, log=None, client=("198.51.100.7", 50000), raise_errors=True, **settings) -> TestClient:
    """A test client on an app serving *bot* with *settings* over the defaults (rate limit off unless given)."""
    settings.setdefault("rate_limit", 0)
    app = create_app(bot, ServiceConfig(secret=SECRET, **settings), log=log)
    return TestClient(app, client=client, raise_server_exceptions=raise_errors)


@pytest.fixture
def api(bot):
    """A test client of the service on the bundled bot, no rate limit, no question log."""
    with make_client(bot) as client:
        yield client


def ask(client, question, session=None, **extra):
    body = {"question": question, **extra}
    if session is not None:
        body["session"] = session
    return client.post("/api/ask", json=body)


def error_code(response) -> str:
    return response.json()["error"]["code"]


# --- conversations through the token ----------------------------------------------------------------------------

def test_follow_up_travels_in_the_token(api):
    """"c'est quoi un KAM ?" then "et son salaire ?" with the returned token: the KAM's salary, 60 000 €, cited."""
    first = ask(api, "c'est quoi un KAM ?")
    assert first.status_code == 200
    data = first.json()
    assert (data["role"], data["intent"], data["turn"], data["restarted"]) == ("kam", "definition", 1, False)
    second = ask(api, "et son salaire ?", data["session"]).json()
    assert (second["role"], second["intent"], second["turn"]) == ("kam", "salary", 2)
    assert "60 000" in second["text"]
    assert second["citations"] == [{"file": KAM_SOURCE, "title": "Fiche métier : Key account manager"}]


def test_answer_carries_every_answer_field(api, bot):
    """The JSON is Answer.to_dict() (citations added when it has none, lang included) plus session, turn and restarted."""
    data = ask(api, "combien gagne un KAM ?").json()
    expected = bot.ask("combien gagne un KAM ?").to_dict()
    citations = data.pop("citations")
    assert citations == expected.pop("citations", citations)  # the answer's own, when it has them
    assert {k: data[k] for k in expected} == expected
    assert set(data) - set(expected) == {"session", "turn", "restarted"}


def test_without_a_token_a_follow_up_has_no_context(api):
    """The same follow-up with no token asks which role: the state was in the token, not in the server."""
    data = ask(api, "et son salaire ?").json()
    assert data["intent"] == "clarify"
    assert data["restarted"] is False


@pytest.mark.parametrize("tamper", [
    lambda t: t[:-3] + ("AAA" if not t.endswith("AAA") else "BBB"),               # signature changed
    lambda t: t.replace(t.split(".")[0][:8], "eyJ2IjoyLC"),                      # payload changed
    lambda t: TokenSigner("another secret, long enough").sign("x" * 16, 1, {"roles": ["kam"]}),
    lambda t: "not a token",
    lambda t: "",
    lambda t: "a.b.c",
    lambda t: "é" * 5000,
], ids=["signature", "payload", "other-secret", "garbage", "empty", "three-parts", "huge"])
def test_tampered_token_starts_a_new_conversation(api, tamper):
    """An altered, foreign or garbage token is not an error: the answer comes, as turn 1 of a new conversation."""
    token = ask(api, "c'est quoi un KAM ?").json()["session"]
    response = ask(api, "et son salaire ?", tamper(token))
    assert response.status_code == 200
    data = response.json()
    assert data["turn"] == 1
    assert data["intent"] == "clarify"
    assert data["restarted"] is (tamper(token) != "")


def test_expired_token_starts_a_new_conversation(api):
    """A token issued two days ago (validity one day) is expired: new conversation, no error."""
    old = TokenSigner(SECRET, clock=lambda: __import__("time").time() - 2 * 86400)
    token = old.sign(old.new_conversation_id(), 3, {"roles": ["kam"], "topic": "definition"})
    data = ask(api, "et son salaire ?", token).json()
    assert (data["turn"], data["intent"], data["restarted"]) == (1, "clarify", True)


def test_token_from_the_future_is_refused(api):
    """A token issued an hour ahead (beyond the minute of clock skew allowed) is not trusted."""
    ahead = TokenSigner(SECRET, clock=lambda: __import__("time").time() + 3600)
    token = ahead.sign("c" * 16, 1, {"roles": ["kam"]})
    assert ask(api, "et son salaire ?", token).json()["restarted"] is True


def test_state_with_unknown_role_in_a_valid_token_is_a_fresh_conversation(api):
    """A correctly signed token whose state names a role this bot lacks gives a fresh state, not an error."""
    token = TokenSigner(SECRET).sign("c" * 16, 4, {"roles": ["astronaut"], "topic": "salary"})
    data = ask(api, "et pour un AE ?", token).json()
    assert data["turn"] == 5 and data["intent"] != "salary"


def test_concurrent_conversations_do_not_mix(bot):
    """Twelve conversations interleaved on one app each get the answers of their own Python session."""
    scripts = [["c'est quoi un KAM ?", "et son salaire ?", "et pour un AE ?"],
               ["différence entre AE et SDR", "et le premier ?", "et son salaire ?"],
               ["combien gagne un AE ?", "et un KAM ?", "et ses missions ?"],
               ["bonjour", "c'est quoi le churn ?", "et pour un CSM ?"]] * 3
    expected = []
    for script in scripts:
        session = bot.new_session()
        expected.append([(a.intent, a.role, a.text) for a in (bot.ask(q, session) for q in script)])
    app = create_app(bot, ServiceConfig(secret=SECRET, rate_limit=0))

    async def converse(client, script):
        token, got = None, []
        for question in script:
            body = {"question": question} | ({"session": token} if token else {})
            data = (await client.post("/api/ask", json=body)).json()
            token = data["session"]
            got.append((data["intent"], data["role"], data["text"]))
            await asyncio.sleep(0)
        return got

    async def main():
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await asyncio.gather(*(converse(client, s) for s in scripts))

    assert asyncio.run(main()) == expected


# --- limits and errors -------------------------------------------------------------------------------------------

def test_body_over_the_limit_is_413(bot):
    """A body larger than max_body is refused with 413 and a JSON error, before it is parsed."""
    with make_client(bot, max_body=1024) as client:
        response = client.post("/api/ask", content=json.dumps({"question": "x" * 2000}),
                               headers={"content-type": "application/json"})
        assert response.status_code == 413
        assert error_code(response) == "body_too_large"


def test_streamed_body_over_the_limit_is_413(bot):
    """A chunked body with no Content-Length is counted as it arrives and refused past the limit."""
    def chunks():
        yield b'{"question": "'
        for _ in range(64):
            yield b"x" * 1024
        yield b'"}'

    with make_client(bot, max_body=4096) as client:
        response = client.post("/api/ask", content=chunks(), headers={"content-type": "application/json"})
        assert response.status_code == 413
        assert error_code(response) == "body_too_large"


def test_huge_body_is_refused_quickly(api):
    """Ten megabytes are refused on the Content-Length alone."""
    response = api.post("/api/ask", content=b"{" + b" " * 10_000_000 + b"}",
                        headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_question_over_the_limit_is_413(bot):
    """A question longer than max_question is refused with its own code; one at the limit is answered."""
    with make_client(bot, max_question=50) as client:
        too_long = ask(client, "combien gagne un KAM " + "?" * 40)
        assert too_long.status_code == 413
        assert error_code(too_long) == "question_too_long"
        assert "50" in too_long.json()["error"]["message"]
        assert ask(client, "combien gagne un KAM ?" + " " * 28).status_code == 200


@pytest.mark.parametrize("body, code", [
    (b"{oops", "bad_json"),
    (b"", "bad_json"),
    (b"[1, 2]", "bad_json"),
    (b'"question"', "bad_json"),
    (b"\xff\xfe\x00", "bad_json"),
    (b'{"question": 3}', "bad_request"),
    (b'{"q": "combien gagne un KAM ?"}', "bad_request"),
    (b'{"question": "x", "lang": "de"}', "bad_request"),
    (b'{"question": "x", "session": 12}', "bad_request"),
], ids=["broken", "empty", "array", "string", "binary", "number", "no-question", "lang", "session-type"])
def test_malformed_requests_get_a_json_400(api, body, code):
    """Malformed JSON and wrong fields give 400 with a code and a message naming the problem."""
    response = api.post("/api/ask", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert error_code(response) == code
    assert response.json()["error"]["message"]


def test_non_json_content_type_is_415(api):
    """A form post (what a page of another site can send without asking) is refused."""
    response = api.post("/api/ask", data={"question": "combien gagne un KAM ?"})
    assert response.status_code == 415
    assert error_code(response) == "unsupported_media_type"


@pytest.mark.parametrize("method, path, status, code", [
    ("GET", "/nowhere", 404, "not_found"),
    ("GET", "/api/ask", 405, "method_not_allowed"),
    ("DELETE", "/api/feedback", 405, "method_not_allowed"),
    ("POST", "/api/health", 405, "method_not_allowed"),
])
def test_unknown_routes_and_methods_are_json(api, method, path, status, code):
    """404 and 405 are JSON errors too."""
    response = api.request(method, path)
    assert response.status_code == status
    assert error_code(response) == code


def test_internal_error_sends_no_stack_trace(bot, monkeypatch, caplog):
    """An exception inside the engine gives a JSON 500 with no trace; the trace goes to the server's log."""
    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(bot, "ask", broken)
    with make_client(bot, raise_errors=False) as client, caplog.at_level(logging.ERROR, "careerbot.error"):
        response = ask(client, "combien gagne un KAM ?")
    assert response.status_code == 500
    assert response.json() == {"error": {"code": "internal_error", "message": response.json()["error"]["message"]}}
    assert "secret internal detail" not in response.text and "Traceback" not in response.text
    assert "secret internal detail" in caplog.text


def test_rate_limit_answers_429_with_retry_after(bot):
    """Past the burst, a client gets 429 with Retry-After; another client is not affected."""
    app = create_app(bot, ServiceConfig(secret=SECRET, rate_limit=6, burst=3))
    with TestClient(app, client=("203.0.113.1", 1)) as first, TestClient(app, client=("203.0.113.2", 1)) as other:
        statuses = [ask(first, "bonjour").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        limited = ask(first, "bonjour")
        assert limited.status_code == 429
        assert error_code(limited) == "rate_limited"
        assert 1 <= int(limited.headers["retry-after"]) <= 10
        assert ask(other, "bonjour").status_code == 200
        assert first.get("/api/health").status_code == 200  # only the API is limited


# --- CORS and origins --------------------------------------------------------------------------------------------

PORTAL = "https://portal.example"


def test_no_other_origin_is_allowed_by_default(api):
    """By default a page of another site can neither pass the preflight nor post."""
    preflight = api.options("/api/ask", headers={"Origin": PORTAL, "Access-Control-Request-Method": "POST",
                                                 "Access-Control-Request-Headers": "content-type"})
    assert "access-control-allow-origin" not in preflight.headers
    response = api.post("/api/ask", json={"question": "bonjour"}, headers={"Origin": PORTAL})
    assert response.status_code == 403
    assert error_code(response) == "origin_not_allowed"


def test_same_origin_is_always_allowed(api):
    """The demo page, served by the service itself, may call it."""
    response = api.post("/api/ask", json={"question": "bonjour"}, headers={"Origin": "http://testserver"})
    assert response.status_code == 200


def test_configured_origin_passes_the_preflight_and_posts(bot):
    """An origin in the allow-list gets the CORS headers; a look-alike does not."""
    with make_client(bot, origins=(PORTAL,)) as client:
        preflight = client.options("/api/ask", headers={
            "Origin": PORTAL, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == PORTAL
        response = client.post("/api/ask", json={"question": "bonjour"}, headers={"Origin": PORTAL})
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == PORTAL
        evil = client.post("/api/ask", json={"question": "bonjour"}, headers={"Origin": PORTAL + ".evil.example"})
        assert evil.status_code == 403


# --- feedback -------------------------------------------------------------------------------------------------------

@pytest.fixture
def logged(bot, tmp_path):
    """A client whose service logs to a fresh SQLite file, and that log (written at once: no background thread)."""
    log = QuestionLog(tmp_path / "questions.sqlite3")
    with make_client(bot, log=log) as client:
        yield client, log


def test_questions_and_feedback_are_logged(logged):
    """Each answered question is logged with intent, role, confidence and fallback; a 👎 joins its turn."""
    client, log = logged
    first = ask(client, "c'est quoi un KAM ?").json()
    second = ask(client, "et son salaire ?", first["session"]).json()
    refused = ask(client, "comment devenir astronaute ?", second["session"]).json()
    response = client.post("/api/feedback", json={"session": refused["session"], "turn": 2, "useful": False,
                                                  "comment": "pas assez détaillé"})
    assert response.json() == {"ok": True, "logged": True}
    rows = list(log.read())
    assert [(r.turn, r.intent, r.role, r.fallback, r.useful) for r in rows] == [
        (1, "definition", "kam", False, None), (2, "salary", "kam", False, False), (3, "fallback", None, True, None)]
    assert rows[1].comment == "pas assez détaillé"
    assert len({r.conversation for r in rows}) == 1
    assert 0 < rows[1].confidence <= 1


def test_feedback_changed_keeps_the_last(logged):
    """A 👍 then a 👎 on the same answer: the log reports the 👎."""
    client, log = logged
    data = ask(client, "combien gagne un KAM ?").json()
    for useful in (True, False):
        assert client.post("/api/feedback", json={"session": data["session"], "turn": 1, "useful": useful}).status_code == 200
    assert [r.useful for r in log.read()] == [False]


@pytest.mark.parametrize("change, code", [
    ({"turn": 0}, "bad_request"), ({"turn": 2}, "bad_request"), ({"turn": "1"}, "bad_request"),
    ({"turn": True}, "bad_request"), ({"useful": "yes"}, "bad_request"), ({"useful": None}, "bad_request"),
    ({"comment": 5}, "bad_request"), ({"session": "forged.token"}, "bad_session"), ({"session": None}, "bad_session"),
], ids=repr)
def test_bad_feedback_is_refused(api, change, code):
    """Feedback must name an answered turn of a valid conversation, with useful true or false."""
    token = ask(api, "combien gagne un KAM ?").json()["session"]
    response = api.post("/api/feedback", json={"session": token, "turn": 1, "useful": True} | change)
    assert response.status_code == 400
    assert error_code(response) == code


def test_feedback_comment_over_the_limit_is_413(api):
    token = ask(api, "combien gagne un KAM ?").json()["session"]
    response = api.post("/api/feedback", json={"session": token, "turn": 1, "useful": False, "comment": "x" * 1001})
    assert response.status_code == 413


def test_feedback_without_log_is_accepted(api):
    """With --no-log, feedback is still a success for the widget, and says it was not logged."""
    token = ask(api, "combien gagne un KAM ?").json()["session"]
    response = api.post("/api/feedback", json={"session": token, "turn": 1, "useful": True})
    assert response.json() == {"ok": True, "logged": False}


# --- health, info, pages, headers, language ------------------------------------------------------------------------

def test_health_says_loading_until_the_knowledge_is_loaded(bot):
    """With a loader, /api/health is 503 "loading" (and /api/ask 503 with Retry-After) until the bot is there."""
    release = threading.Event()

    def load():
        release.wait(10)
        return bot

    app = create_app(load, ServiceConfig(secret=SECRET, rate_limit=0))
    with TestClient(app) as client:
        loading = client.get("/api/health")
        assert (loading.status_code, loading.json()) == (503, {"status": "loading"})
        early = ask(client, "bonjour")
        assert early.status_code == 503 and early.headers["retry-after"] == "1"
        assert error_code(early) == "not_ready"
        release.set()
        for _ in range(200):
            if client.get("/api/health").status_code == 200:
                break
            threading.Event().wait(0.01)
        assert client.get("/api/health").json() == {"status": "ok"}
        assert ask(client, "bonjour").status_code == 200


def test_health_says_error_when_loading_failed(bot):
    def load():
        raise RuntimeError("broken knowledge")

    with TestClient(create_app(load, ServiceConfig(secret=SECRET))) as client:
        for _ in range(200):
            if client.get("/api/health").json()["status"] != "loading":
                break
            threading.Event().wait(0.01)
        assert client.get("/api/health").json() == {"status": "error"}


def test_info_lists_roles_and_sources_with_titles(api, bot):
    data = api.get("/api/info").json()
    assert data["name"] == "careerbot" and data["version"]
    assert {r["id"] for r in data["roles"]} == set(bot.knowledge.roles)
    assert {"file": KAM_SOURCE, "title": "Fiche métier : Key account manager"} in data["sources"]


def test_english_is_accepted_and_answers_say_which_languages_exist(api):
    """lang=en and fr force the answer's language, auto (the default) follows the question; /api/info lists both."""
    for lang, answered in (("en", "en"), ("auto", "en"), ("fr", "fr"), (None, "en")):
        data = ask(api, "how much does a KAM earn?", lang=lang).json()
        assert (data["role"], data["intent"], data["lang"]) == ("kam", "salary", answered)
        assert ("salary:" in data["text"]) == (answered == "en")
    languages = api.get("/api/info").json()["languages"]
    assert languages["questions"] == ["fr", "en"]
    assert "fr" in languages["answers"]


def test_demo_page_and_widget_are_served(api):
    """/ is an HTML page loading /widget.js, under a CSP with no inline script; /widget.js is JavaScript."""
    page = api.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<script src="/widget.js"></script>' in page.text
    assert "script-src" not in page.headers["content-security-policy"]  # default-src 'self' covers scripts
    assert "'self'" in page.headers["content-security-policy"]
    widget = api.get("/widget.js")
    assert widget.headers["content-type"].startswith("text/javascript")
    assert "customElements.define" in widget.text and "attachShadow" in widget.text


def test_widget_never_renders_server_text_as_html(api):
    """The widget builds its DOM with textContent only: no innerHTML, insertAdjacentHTML or document.write."""
    source = api.get("/widget.js").text
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in source, sink
    code = re.sub(r"/\*.*?\*/", "", source, flags=re.S)  # the header comment shows an example address
    assert "http://" not in code and "https://" not in code  # no third-party request


def test_every_response_has_nosniff(api):
    for path in ("/", "/widget.js", "/api/health", "/nowhere"):
        assert api.get(path).headers["x-content-type-options"] == "nosniff"


def test_access_log_has_no_ip_unless_configured(bot, caplog):
    """One access-log line per request; the client's address only with log_ip."""
    for log_ip in (False, True):
        caplog.clear()
        with make_client(bot, log_ip=log_ip) as client, caplog.at_level(logging.INFO, "careerbot.access"):
            ask(client, "bonjour")
        lines = [r.getMessage() for r in caplog.records if r.name == "careerbot.access"]
        assert len(lines) == 1 and '"POST /api/ask" 200' in lines[0]
        assert ("198.51.100.7" in lines[0]) is log_ip


# --- configuration -------------------------------------------------------------------------------------------------

def test_config_from_environment():
    env = {ENV["secret"]: SECRET, ENV["origins"]: "https://a.example, https://b.example/", ENV["rate_limit"]: "0",
           ENV["max_body"]: "4096", ENV["log_ip"]: "yes"}
    config = ServiceConfig.from_env(env)
    assert config.origins == ("https://a.example", "https://b.example")
    assert (config.rate_limit, config.max_body, config.log_ip, config.burst) == (0, 4096, True, 20)


@pytest.mark.parametrize("name, value, words", [
    ("max_body", "12", "at least 256"), ("rate_limit", "fast", "requests per minute"),
    ("origins", "portal.example", "https://portal.example"), ("log_ip", "maybe", "1 or 0"),
    ("session_ttl", "5", "at least 60"),
])
def test_bad_config_names_the_variable_and_what_is_expected(name, value, words):
    with pytest.raises(ServiceConfigError, match=ENV[name]) as info:
        ServiceConfig.from_env({ENV["secret"]: SECRET, ENV[name]: value})
    assert words in str(info.value)


def test_config_needs_a_secret():
    with pytest.raises(ServiceConfigError, match="CAREERBOT_SECRET is not set"):
        ServiceConfig.from_env({})


def test_short_secret_is_refused(bot):
    with pytest.raises(ValueError, match="at least 16 characters"):
        create_app(bot, ServiceConfig(secret="short"))


def test_modules_doctests():
    """The examples in the service modules' docstrings run."""
    import doctest

    from bot import questionlog, ratelimit, report, signing

    for module in (signing, ratelimit, questionlog, report):
        assert doctest.testmod(module).failed == 0, module.__name__
