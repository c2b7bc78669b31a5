/* careerbot chat widget: one <script src=".../widget.js" data-endpoint="https://careerbot.example"> in any page.
 *
 * A standard web component (<careerbot-chat>) with its own shadow DOM: no build step, no framework, no request to
 * anyone but the careerbot service. Everything the server sends is shown as text (textContent), never as HTML.
 * Settings, as data-* attributes of the script tag (or of a <careerbot-chat> element placed in the page):
 *   data-endpoint  the service's address (default: where this script was loaded from)
 *   data-lang      fr (default), en, or auto (the page's lang, then the browser's)
 */
(function () {
  "use strict";

  var TAG = "careerbot-chat";
  if (window.customElements.get(TAG)) return;
  var script = document.currentScript;

  var STRINGS = {
    fr: {
      open: "Questions métiers", close: "Fermer la discussion", title: "careerbot — les métiers de la vente",
      label: "Votre question", placeholder: "Posez votre question…", send: "Envoyer",
      welcome: "Bonjour ! Je réponds aux questions sur les métiers de la vente (AE, AM, KAM, SDR, CSM…), " +
        "à partir de fiches métiers dont je cite les sources.",
      starters: ["C'est quoi un KAM ?", "Combien gagne un Account Executive ?", "Différence entre AE et SDR ?"],
      sources: "Sources :", source: "Source :", suggestions: "Suggestions", useful: "Utile ?", yes: "Oui, utile",
      no: "Non, pas utile", thanks: "Merci pour votre avis.", feedbackError: "Avis non envoyé.",
      thinking: "careerbot écrit…", you: "Vous", bot: "careerbot",
      offline: "Le service ne répond pas. Vérifiez votre connexion et réessayez.",
      busy: function (s) { return "Trop de questions d'un coup : réessayez dans " + s + " s."; },
      tooLong: "Question trop longue : raccourcissez-la.",
      failed: "La question n'a pas pu être traitée. Réessayez.",
      restarted: "(La conversation précédente avait expiré : nouvelle conversation.)"
    },
    en: {
      open: "Career questions", close: "Close the chat", title: "careerbot — sales careers",
      label: "Your question", placeholder: "Ask your question…", send: "Send",
      welcome: "Hello! I answer questions about sales jobs (AE, AM, KAM, SDR, CSM…) from career sheets, " +
        "citing their sources. The sheets are in French; I answer in the language of your question.",
      starters: ["What is a KAM?", "How much does an Account Executive earn?", "Difference between AE and SDR?"],
      sources: "Sources:", source: "Source:", suggestions: "Suggestions", useful: "Useful?", yes: "Yes, useful",
      no: "No, not useful", thanks: "Thanks for your feedback.", feedbackError: "Feedback not sent.",
      thinking: "careerbot is typing…", you: "You", bot: "careerbot",
      offline: "The service does not answer. Check your connection and try again.",
      busy: function (s) { return "Too many questions at once: try again in " + s + " s."; },
      tooLong: "Question too long: please shorten it.",
      failed: "The question could not be handled. Try again.",
      restarted: "(The previous conversation had expired: new conversation.)"
    }
  };

  var STYLE = [
    ":host{all:initial;position:fixed;right:16px;bottom:16px;z-index:2147483000;",
    "font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1c2430}",
    "*{box-sizing:border-box;font:inherit}",
    "[hidden]{display:none!important}",
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}",
    "button{cursor:pointer}",
    ":focus-visible{outline:3px solid #f0a202;outline-offset:2px}",
    ".launcher{display:flex;align-items:center;gap:8px;border:0;border-radius:999px;padding:12px 18px;",
    "background:#174ea6;color:#fff;font-weight:600;box-shadow:0 4px 14px rgba(0,0,0,.25)}",
    ".launcher:hover{background:#123f87}",
    ".panel{position:absolute;right:0;bottom:calc(100% + 10px);width:min(400px,calc(100vw - 32px));",
    "height:min(600px,calc(100vh - 100px));display:flex;flex-direction:column;background:#fff;",
    "border:1px solid #c9d2de;border-radius:12px;box-shadow:0 10px 30px rgba(0,0,0,.25);overflow:hidden;overflow:clip}",
    "header{display:flex;align-items:center;justify-content:space-between;gap:8px;padding:10px 12px;",
    "background:#174ea6;color:#fff}",
    "h2{margin:0;font-size:16px;font-weight:600;overflow-wrap:anywhere}",
    ".close{border:0;background:transparent;color:#fff;font-size:22px;line-height:1;padding:4px 8px;border-radius:6px}",
    ".log{flex:1;overflow-y:auto;overflow-x:hidden;padding:12px;display:flex;flex-direction:column;gap:10px;",
    "background:#f5f7fa}",
    ".msg{max-width:92%;padding:8px 11px;border-radius:10px;overflow-wrap:anywhere}",
    ".user{align-self:flex-end;background:#174ea6;color:#fff;white-space:pre-wrap}",
    ".bot{align-self:flex-start;background:#fff;border:1px solid #dbe1ea}",
    ".error{align-self:stretch;background:#fdecea;color:#8a1c12;border:1px solid #f3b8b1}",
    ".note{align-self:center;color:#55606e;font-size:13px}",
    ".text{white-space:pre-line;margin:0}",
    ".sources{margin:8px 0 0;font-size:13px;color:#3c4756}",
    ".sources ul{margin:2px 0 0;padding-left:18px}",
    ".chips{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px}",
    ".chip{border:1px solid #174ea6;background:#fff;color:#174ea6;border-radius:999px;padding:4px 10px;",
    "font-size:13px;text-align:left;max-width:100%;overflow-wrap:anywhere}",
    ".chip:hover{background:#e8effb}",
    ".feedback{display:flex;align-items:center;gap:6px;margin-top:8px;font-size:13px;color:#3c4756;flex-wrap:wrap}",
    ".feedback button{border:1px solid #c9d2de;background:#fff;border-radius:8px;padding:2px 8px;font-size:15px}",
    ".feedback button[aria-pressed=true]{background:#e8effb;border-color:#174ea6}",
    ".feedback button:disabled{cursor:default}",
    ".feedback button:disabled:not([aria-pressed=true]){opacity:.45}",
    "form{display:flex;gap:8px;padding:10px;border-top:1px solid #dbe1ea;background:#fff}",
    "input{flex:1;min-width:0;border:1px solid #9aa6b5;border-radius:8px;padding:8px 10px;color:#1c2430}",
    ".send{border:0;border-radius:8px;padding:8px 14px;background:#174ea6;color:#fff;font-weight:600}",
    ".send:disabled{background:#7d93b8;cursor:default}",
    "@media (max-width:480px){:host{right:8px;bottom:8px}",
    ".panel{width:calc(100vw - 16px);height:calc(100vh - 84px)}.launcher span{display:none}}"
  ].join("");

  var MAX_KEPT = 60; // messages kept in sessionStorage

  function el(tag, props, children) {
    var node = document.createElement(tag);
    var key;
    for (key in props || {}) {
      if (key === "text") node.textContent = props[key];
      else if (key === "class") node.className = props[key];
      else if (key === "hidden") node.hidden = !!props[key];
      else node.setAttribute(key, props[key]);
    }
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function pickLang(value) {
    value = (value || "fr").toLowerCase();
    if (value === "auto") value = (document.documentElement.lang || navigator.language || "fr").toLowerCase();
    return value.slice(0, 2) === "en" ? "en" : "fr";
  }

  // The answer text ends with a "Source : …" line naming its documents (by file or by title); the widget lists
  // the titles under the answer instead, so that line goes when it names every one of the answer's citations.
  function withoutSourceLines(text, citations) {
    if (!citations || !citations.length) return text;
    return text.split("\n").filter(function (line) {
      if (!/^\s*Sources?\s*:/.test(line)) return true;
      return !citations.every(function (c) {
        return line.indexOf(c.file) >= 0 || (c.title && line.indexOf(c.title) >= 0);
      });
    }).join("\n").trim();
  }

  class CareerbotChat extends HTMLElement {
    connectedCallback() {
      if (this._built) return;
      this._built = true;
      var endpoint = this.dataset.endpoint ||
        (script && script.src ? new URL(script.src, location.href).origin : location.origin);
      this.endpoint = endpoint.replace(/\/+$/, "");
      this.langAsked = (this.dataset.lang || "fr").toLowerCase();
      this.lang = pickLang(this.langAsked);
      this.t = STRINGS[this.lang];
      this.storeKey = "careerbot:" + this.endpoint;
      this.state = this.load();
      this.build();
      this.state.messages.forEach(this.render, this);
      if (this.state.open) this.setOpen(true, false);
    }

    load() {
      try {
        var saved = JSON.parse(window.sessionStorage.getItem(this.storeKey) || "null");
        if (saved && Array.isArray(saved.messages)) return saved;
      } catch (e) { /* storage disabled or corrupted: start afresh */ }
      return { token: null, open: false, messages: [] };
    }

    save() {
      this.state.messages = this.state.messages.slice(-MAX_KEPT);
      try { window.sessionStorage.setItem(this.storeKey, JSON.stringify(this.state)); } catch (e) { /* ignore */ }
    }

    build() {
      var t = this.t, self = this;
      var root = this.attachShadow({ mode: "open" });
      root.appendChild(el("style", { text: STYLE }));
      this.launcher = el("button", { class: "launcher", type: "button", "aria-expanded": "false",
        "aria-controls": "careerbot-panel" }, [el("b", { text: "💬", "aria-hidden": "true" }), el("span", { text: t.open })]);
      this.launcher.setAttribute("aria-label", t.open);
      this.closeButton = el("button", { class: "close", type: "button", "aria-label": t.close, text: "×" });
      this.log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
        "aria-label": t.title, tabindex: "0" });
      this.status = el("p", { class: "sr", role: "status" });
      this.input = el("input", { id: "careerbot-q", type: "text", autocomplete: "off", placeholder: t.placeholder,
        maxlength: "1000", enterkeyhint: "send" });
      this.sendButton = el("button", { class: "send", type: "submit", text: t.send });
      this.form = el("form", {}, [el("label", { class: "sr", for: "careerbot-q", text: t.label }), this.input,
        this.sendButton]);
      this.panel = el("section", { class: "panel", id: "careerbot-panel", role: "dialog", "aria-modal": "false",
        "aria-labelledby": "careerbot-title", hidden: true }, [
        el("header", {}, [el("h2", { id: "careerbot-title", text: t.title }), this.closeButton]),
        this.log, this.status, this.form]);
      root.appendChild(this.panel);
      root.appendChild(this.launcher);

      this.log.appendChild(this.welcome());
      this.launcher.addEventListener("click", function () { self.setOpen(self.panel.hidden, true); });
      this.closeButton.addEventListener("click", function () { self.setOpen(false, true); });
      this.panel.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { event.preventDefault(); self.setOpen(false, true); }
      });
      this.form.addEventListener("submit", function (event) {
        event.preventDefault();
        self.ask(self.input.value);
      });
    }

    welcome() {
      var self = this;
      return el("div", { class: "msg bot welcome" }, [
        el("p", { class: "text", text: this.t.welcome }),
        el("div", { class: "chips", role: "group", "aria-label": this.t.suggestions },
          this.t.starters.map(function (q) { return self.chip(q); }))]);
    }

    setOpen(open, focus) {
      this.panel.hidden = !open;
      this.launcher.setAttribute("aria-expanded", String(open));
      this.state.open = open;
      this.save();
      if (open) {
        this.log.scrollTop = this.log.scrollHeight;
        if (focus) this.input.focus();
      } else if (focus) {
        this.launcher.focus();
      }
    }

    chip(question) {
      var self = this;
      var button = el("button", { class: "chip", type: "button", text: question });
      button.addEventListener("click", function () { self.ask(question); });
      return button;
    }

    render(message) {
      var t = this.t, self = this, node;
      if (message.who === "user") {
        node = el("div", { class: "msg user" }, [el("span", { class: "sr", text: t.you + " : " }),
          el("span", { text: message.text })]);
      } else if (message.who === "bot") {
        var citations = message.citations || [];
        node = el("div", { class: "msg bot" }, [
          el("span", { class: "sr", text: t.bot + " : " }),
          el("p", { class: "text", text: withoutSourceLines(message.text, citations) })]);
        if (citations.length) {
          node.appendChild(el("div", { class: "sources" }, [
            el("span", { text: citations.length > 1 ? t.sources : t.source }),
            el("ul", {}, citations.map(function (c) { return el("li", { text: c.title || c.file }); }))]));
        }
        if (message.suggestions && message.suggestions.length) {
          node.appendChild(el("div", { class: "chips", role: "group", "aria-label": t.suggestions },
            message.suggestions.map(function (q) { return self.chip(q); })));
        }
        node.appendChild(this.feedbackBar(message));
      } else {
        node = el("div", { class: "msg " + (message.who === "note" ? "note" : "error"), text: message.text });
      }
      this.log.appendChild(node);
      this.log.scrollTop = this.log.scrollHeight;
    }

    feedbackBar(message) {
      var t = this.t, self = this;
      var up = el("button", { type: "button", "aria-label": t.yes, title: t.yes, text: "👍" });
      var down = el("button", { type: "button", "aria-label": t.no, title: t.no, text: "👎" });
      var said = el("span", { class: "said" });
      function show() {
        var given = message.feedback;
        up.setAttribute("aria-pressed", String(given === true));
        down.setAttribute("aria-pressed", String(given === false));
        up.disabled = down.disabled = given === true || given === false;
        said.textContent = given === true || given === false ? t.thanks : "";
      }
      function send(useful) {
        up.disabled = down.disabled = true;
        // The answer's own token: it names that answer's conversation, even after a restart.
        self.post("/api/feedback", { session: message.session, turn: message.turn, useful: useful })
          .then(function () {
            message.feedback = useful;
            self.save();
            show();
          }, function () {
            up.disabled = down.disabled = false;
            said.textContent = t.feedbackError;
          });
      }
      up.addEventListener("click", function () { send(true); });
      down.addEventListener("click", function () { send(false); });
      show();
      return el("div", { class: "feedback" }, [el("span", { text: t.useful }), up, down, said]);
    }

    post(path, body) {
      return fetch(this.endpoint + path, {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
        credentials: "omit"
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok) {
            var error = new Error((data.error && data.error.code) || "http_" + response.status);
            error.status = response.status;
            error.retryAfter = response.headers.get("Retry-After");
            throw error;
          }
          return data;
        });
      });
    }

    add(message) {
      this.state.messages.push(message);
      this.save();
      this.render(message);
    }

    ask(question) {
      var t = this.t, self = this;
      question = (question || "").trim();
      if (!question || this.busy) return;
      if (this.panel.hidden) this.setOpen(true, false);
      this.busy = true;
      this.sendButton.disabled = true;
      this.input.value = "";
      this.add({ who: "user", text: question });
      this.status.textContent = t.thinking;
      // The answer follows the question's language; a data-lang the page sets explicitly forces it.
      this.post("/api/ask", { question: question, session: this.state.token,
                              lang: this.dataset.lang ? this.lang : "auto" })
        .then(function (data) {
          self.state.token = data.session;
          if (data.restarted) self.add({ who: "note", text: t.restarted });
          self.add({ who: "bot", text: String(data.text || ""), citations: data.citations || [],
            suggestions: data.suggestions || [], turn: data.turn, session: data.session, feedback: null });
        }, function (error) {
          var text = t.failed;
          if (!error.status) text = t.offline;
          else if (error.status === 429) text = t.busy(error.retryAfter || "1");
          else if (error.status === 413) text = t.tooLong;
          self.add({ who: "error", text: text });
        })
        .then(function () {
          self.busy = false;
          self.sendButton.disabled = false;
          self.status.textContent = "";
          self.input.focus();
        });
    }
  }

  window.customElements.define(TAG, CareerbotChat);

  // The script tag alone is enough: it adds the element, carrying its data-* settings.
  function mount() {
    if (document.querySelector(TAG)) return;
    var widget = document.createElement(TAG);
    if (script) {
      if (script.dataset.endpoint) widget.dataset.endpoint = script.dataset.endpoint;
      if (script.dataset.lang) widget.dataset.lang = script.dataset.lang;
    }
    document.body.appendChild(widget);
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
