/*
 * SEND support assistant: the embeddable chat widget.
 *
 * Load it on a page with:
 *   <link rel="stylesheet" href="/widget/widget.css">
 *   <script src="/widget/widget.js" defer data-audience="parent"></script>
 *
 * Script tag options:
 *   data-audience  "parent" (default) or "young_person" (Future Me pages)
 *   data-api-base  where the gateway is, e.g. "https://assistant.example.org" (default: this site)
 *
 * It talks to the gateway's HTTP API (docs/contracts.md section 2): POST /api/chat and
 * GET /api/widget-config. Text from the server is only ever put into the page with textContent,
 * never as HTML. Plain modern JavaScript: no framework, no build step, no external resources.
 */
(function () {
  "use strict";

  if (window.SendSupportWidget) {
    return; // loaded twice on one page: keep the first
  }

  // The longest message the gateway takes comes with its config (max_message_chars); the count
  // shows from this share of it on.
  var COUNT_FROM_SHARE = 0.8;
  var REQUEST_TIMEOUT_MS = 45000;
  var STORE_SENDER = "sendw:sender-id";
  var STORE_LOG = "sendw:log";
  var STORE_LOG_LIMIT = 60;

  var INTRO =
    "Hello. I can answer questions about SEND support in Gloucestershire and point you to the right page. " +
    "I am a computer program, not a person.";
  var PRIVACY_HINT = "Do not share names, dates of birth or other personal details.";
  var DEMO_NOTICE = "Some services, names and phone numbers in the answers are made-up examples.";

  // ---- settings from the script tag ------------------------------------------------------------

  var script =
    document.currentScript || document.querySelector('script[src*="widget.js"][data-audience], script[src*="widget.js"]');
  var audience = script && script.getAttribute("data-audience") === "young_person" ? "young_person" : "parent";
  var apiBase = ((script && script.getAttribute("data-api-base")) || "").replace(/\/+$/, "");

  var LAUNCHER_TEXT = audience === "young_person" ? "Ask a question" : "Ask a question about SEND support";

  // ---- small helpers ---------------------------------------------------------------------------

  function storageGet(key) {
    try {
      return window.sessionStorage.getItem(key);
    } catch (e) {
      return null; // storage blocked: the widget still works, it just forgets on reload
    }
  }

  function storageSet(key, value) {
    try {
      window.sessionStorage.setItem(key, value);
    } catch (e) {
      /* storage blocked or full: not needed to work */
    }
  }

  function randomId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    // crypto.randomUUID needs a secure context; build a version 4 UUID by hand elsewhere.
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map
      .call(bytes, function (b) {
        return (b + 0x100).toString(16).slice(1);
      })
      .join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function senderId() {
    var id = storageGet(STORE_SENDER);
    if (!id || !/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
      id = randomId();
      storageSet(STORE_SENDER, id);
    }
    return id;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function visuallyHidden(text) {
    return el("span", "sendw-vh", text);
  }

  /** Only http(s) links (relative ones resolve against this page); anything else is shown as plain text. */
  function safeHref(url) {
    if (typeof url !== "string" || !url) return null;
    try {
      var parsed = new URL(url, window.location.href);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  function prefersReducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  // ---- state -----------------------------------------------------------------------------------

  // max_message_chars stays 0 (no check here; the gateway still refuses) until the config comes.
  var config = { demo_data: false, sendiass_phone: "", paused: false, max_message_chars: 0 };
  var configRequested = false;
  var busy = false;
  var transcript = [];
  try {
    transcript = JSON.parse(storageGet(STORE_LOG) || "[]");
    if (!Array.isArray(transcript)) transcript = [];
  } catch (e) {
    transcript = [];
  }

  // ---- build the widget ------------------------------------------------------------------------

  var uid = "sendw-" + Math.random().toString(36).slice(2, 8);
  var ids = {
    panel: uid + "-panel",
    heading: uid + "-heading",
    input: uid + "-input",
    hint: uid + "-hint",
    count: uid + "-count",
    countSr: uid + "-count-sr",
    error: uid + "-error",
  };

  var root = el("div", "sendw sendw--" + audience.replace("_", "-"));
  root.setAttribute("data-sendw", "");

  // Launcher
  var launcher = el("button", "sendw-launcher");
  launcher.type = "button";
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", ids.panel);
  launcher.innerHTML =
    '<svg class="sendw-launcher__icon" aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="24" height="24">' +
    '<path fill="currentColor" d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm0 2v11h2v2l2.5-2H20V5H4z"/>' +
    '<path fill="currentColor" d="M7 8h10v2H7zm0 3h7v2H7z"/></svg>';
  launcher.appendChild(el("span", "sendw-launcher__text", LAUNCHER_TEXT));

  // Panel
  var panel = el("section", "sendw-panel");
  panel.id = ids.panel;
  panel.setAttribute("aria-labelledby", ids.heading);
  panel.hidden = true;

  var header = el("div", "sendw-header");
  var heading = el("h2", "sendw-heading", "SEND support assistant");
  heading.id = ids.heading;
  var closeButton = el("button", "sendw-close");
  closeButton.type = "button";
  closeButton.innerHTML =
    '<svg aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="20" height="20">' +
    '<path fill="currentColor" d="M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6 10.6 12 5 6.4z"/></svg>';
  closeButton.appendChild(el("span", null, "Close"));
  closeButton.appendChild(visuallyHidden(" the assistant"));
  header.appendChild(heading);
  header.appendChild(closeButton);

  var demoNotice = el("p", "sendw-demo");
  demoNotice.hidden = true;
  var demoTag = el("strong", "sendw-demo__tag", "Demo data");
  demoNotice.appendChild(demoTag);
  demoNotice.appendChild(document.createTextNode(" " + DEMO_NOTICE));

  var log = el("div", "sendw-log");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  log.setAttribute("aria-label", "Conversation");
  log.tabIndex = 0; // it scrolls: keyboard users must be able to reach it

  var status = el("p", "sendw-status");
  status.setAttribute("role", "status");

  var form = el("form", "sendw-form");
  form.noValidate = true;
  var label = el("label", "sendw-label", "Type your question");
  label.htmlFor = ids.input;
  var errorMessage = el("p", "sendw-error");
  errorMessage.id = ids.error;
  errorMessage.hidden = true;
  var row = el("div", "sendw-row");
  var input = el("textarea", "sendw-input");
  input.id = ids.input;
  input.name = "message";
  input.rows = 1;
  input.setAttribute("autocomplete", "off");
  input.setAttribute("aria-describedby", ids.hint + " " + ids.countSr);
  var send = el("button", "sendw-send", "Send");
  send.type = "submit";
  row.appendChild(input);
  row.appendChild(send);
  var count = el("p", "sendw-count");
  count.id = ids.count;
  count.setAttribute("aria-hidden", "true");
  count.hidden = true;
  var countSr = el("p", "sendw-vh");
  countSr.id = ids.countSr;
  countSr.setAttribute("aria-live", "polite");
  var hint = el("p", "sendw-hint", PRIVACY_HINT);
  hint.id = ids.hint;
  form.appendChild(label);
  form.appendChild(errorMessage);
  form.appendChild(row);
  form.appendChild(count);
  form.appendChild(countSr);
  form.appendChild(hint);

  panel.appendChild(header);
  panel.appendChild(demoNotice);
  panel.appendChild(log);
  panel.appendChild(status);
  panel.appendChild(form);

  // Shown instead of the chat while SENDIASS staff have paused the assistant (staff console).
  var pausedNotice = el("p", "sendw-paused");
  pausedNotice.setAttribute("role", "status");
  pausedNotice.hidden = true;

  root.appendChild(panel);
  root.appendChild(launcher);
  root.appendChild(pausedNotice);

  function showPaused(text) {
    config.paused = true;
    pausedNotice.textContent = text;
    pausedNotice.hidden = false;
    panel.hidden = true;
    launcher.hidden = true;
    root.classList.remove("sendw--open");
    root.classList.add("sendw--paused");
  }

  // ---- rendering messages ----------------------------------------------------------------------

  function renderSources(sources, into) {
    sources.forEach(function (source) {
      if (!source || typeof source !== "object") return;
      var line = el("p", "sendw-source");
      line.appendChild(el("span", "sendw-source__label", "Source: "));
      var title = String(source.title || source.url || "the page this came from");
      var href = safeHref(source.url);
      if (href) {
        var link = el("a", "sendw-link", title);
        link.href = href;
        line.appendChild(link);
      } else {
        line.appendChild(document.createTextNode(title));
      }
      if (source.last_updated) {
        line.appendChild(document.createTextNode(", last updated " + String(source.last_updated)));
      }
      into.appendChild(line);
    });
  }

  function renderButtons(buttons, into) {
    var group = el("div", "sendw-choices");
    buttons.forEach(function (b) {
      if (!b || typeof b !== "object" || !b.payload) return;
      var button = el("button", "sendw-choice", b.title || b.payload);
      button.type = "button";
      button.addEventListener("click", function () {
        if (busy) return;
        sendMessage(String(b.payload), String(b.title || b.payload), false);
      });
      group.appendChild(button);
    });
    if (group.childNodes.length) into.appendChild(group);
  }

  function renderError(into) {
    var text = el("p", "sendw-text");
    text.appendChild(document.createTextNode("Sorry, something went wrong. Please try again."));
    var phone = config.sendiass_phone;
    if (phone) {
      text.appendChild(document.createTextNode(" You can also call SENDIASS on "));
      var tel = el("a", "sendw-link", phone);
      tel.href = "tel:" + phone.replace(/[^0-9+]/g, "");
      text.appendChild(tel);
      text.appendChild(document.createTextNode("."));
    } else {
      text.appendChild(document.createTextNode(" You can also call SENDIASS, the free SEND advice service."));
    }
    into.appendChild(text);
  }

  /** entry: {role: "user"|"bot"|"error", text, buttons, sources}. Returns the element added. */
  function render(entry) {
    var isUser = entry.role === "user";
    var item = el("div", "sendw-msg " + (isUser ? "sendw-msg--user" : "sendw-msg--bot"));
    if (entry.role === "error") item.className += " sendw-msg--error";
    var bubble = el("div", "sendw-bubble");
    bubble.appendChild(visuallyHidden(isUser ? "You said: " : "Assistant said: "));
    if (entry.role === "error") {
      renderError(bubble);
    } else if (entry.text) {
      bubble.appendChild(el("p", "sendw-text", entry.text)); // textContent only; CSS keeps line breaks
    }
    if (Array.isArray(entry.sources) && entry.sources.length) renderSources(entry.sources, bubble);
    item.appendChild(bubble);
    if (Array.isArray(entry.buttons) && entry.buttons.length) renderButtons(entry.buttons, item);
    log.appendChild(item);
    return item;
  }

  function remember(entry) {
    transcript.push(entry);
    if (transcript.length > STORE_LOG_LIMIT) transcript = transcript.slice(-STORE_LOG_LIMIT);
    storageSet(STORE_LOG, JSON.stringify(transcript));
  }

  function add(entry) {
    remember(entry);
    return render(entry);
  }

  /** Show the start of a new reply; scroll to the end when the whole reply fits. */
  function reveal(first) {
    var behavior = prefersReducedMotion() ? "auto" : "smooth";
    var top = first ? first.offsetTop - log.offsetTop - 8 : log.scrollHeight;
    var toEnd = log.scrollHeight - log.clientHeight;
    log.scrollTo({ top: Math.max(0, Math.min(top, toEnd)), behavior: behavior });
  }

  // ---- input, count and errors -----------------------------------------------------------------

  var countTimer = null;

  /** Grow the text box with its text (up to the CSS max-height), so it starts small. */
  function fitInput() {
    input.style.height = "auto";
    input.style.height = input.scrollHeight + 4 + "px"; // + the 2px borders
  }

  function updateCount() {
    fitInput();
    var length = input.value.length;
    var maxChars = config.max_message_chars;
    var left = maxChars - length;
    var over = maxChars > 0 && left < 0;
    var message = over
      ? "You have " + -left + (left === -1 ? " character" : " characters") + " too many"
      : "You have " + left + (left === 1 ? " character" : " characters") + " remaining";
    var showing = maxChars > 0 && length >= maxChars * COUNT_FROM_SHARE;
    count.hidden = !showing;
    count.textContent = message;
    count.classList.toggle("sendw-count--over", over);
    input.classList.toggle("sendw-input--error", over);
    if (!over && !errorMessage.hidden) hideError();
    // Tell screen reader users only once they pause typing, as the GOV.UK character count does.
    window.clearTimeout(countTimer);
    countTimer = window.setTimeout(function () {
      countSr.textContent = showing ? message : "";
    }, 1000);
  }

  function showError(text) {
    errorMessage.textContent = "";
    errorMessage.appendChild(visuallyHidden("Error: "));
    errorMessage.appendChild(document.createTextNode(text));
    errorMessage.hidden = false;
    input.classList.add("sendw-input--error");
    input.setAttribute("aria-describedby", ids.error + " " + ids.hint + " " + ids.countSr);
    input.setAttribute("aria-invalid", "true");
  }

  function hideError() {
    errorMessage.hidden = true;
    input.classList.remove("sendw-input--error");
    input.setAttribute("aria-describedby", ids.hint + " " + ids.countSr);
    input.removeAttribute("aria-invalid");
  }

  function setBusy(value) {
    busy = value;
    send.setAttribute("aria-disabled", value ? "true" : "false");
    root.classList.toggle("sendw--busy", value);
    status.textContent = "";
    if (value) {
      status.appendChild(el("span", "sendw-status__text", "The assistant is typing…"));
      var dots = el("span", "sendw-dots");
      dots.setAttribute("aria-hidden", "true");
      dots.appendChild(el("span"));
      dots.appendChild(el("span"));
      dots.appendChild(el("span"));
      status.appendChild(dots);
    }
  }

  // ---- talking to the gateway ------------------------------------------------------------------

  function loadConfig() {
    if (configRequested) return;
    configRequested = true;
    fetch(apiBase + "/api/widget-config", { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("widget-config " + response.status);
        return response.json();
      })
      .then(function (data) {
        config.demo_data = data && data.demo_data === true;
        config.sendiass_phone = data && typeof data.sendiass_phone === "string" ? data.sendiass_phone : "";
        config.max_message_chars =
          data && typeof data.max_message_chars === "number" && data.max_message_chars > 0 ? data.max_message_chars : 0;
        updateCount();
        demoNotice.hidden = !config.demo_data;
        if (data && data.paused === true) {
          var phone = config.sendiass_phone ? " on " + config.sendiass_phone : "";
          showPaused(
            typeof data.paused_notice === "string" && data.paused_notice
              ? data.paused_notice
              : "The SEND support assistant is not available at the moment. To talk to someone, call SENDIASS" + phone + "."
          );
        }
      })
      .catch(function () {
        configRequested = false; // try again next time the panel opens
      });
  }

  function postChat(message) {
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = controller
      ? window.setTimeout(function () {
          controller.abort();
        }, REQUEST_TIMEOUT_MS)
      : null;
    return fetch(apiBase + "/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ sender_id: senderId(), message: message, audience: audience }),
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        if (!response.ok) throw new Error("chat " + response.status);
        return response.json();
      })
      .then(function (data) {
        if (!data || !Array.isArray(data.messages)) throw new Error("chat: unexpected reply");
        return data.messages;
      })
      .finally(function () {
        if (timer) window.clearTimeout(timer);
      });
  }

  /**
   * Send a message. `shown` is what appears in the log as the user's words (a button's title
   * for a button's payload). `typed` says whether it came from the text box, so it can be put
   * back there if sending fails.
   */
  function sendMessage(message, shown, typed) {
    if (busy) return;
    var userItem = add({ role: "user", text: shown });
    reveal(userItem);
    setBusy(true);
    postChat(message)
      .then(function (messages) {
        var first = null;
        messages.forEach(function (m) {
          if (!m || typeof m !== "object") return;
          var entry = {
            role: "bot",
            text: typeof m.text === "string" ? m.text : "",
            buttons: Array.isArray(m.buttons) ? m.buttons : [],
            sources: Array.isArray(m.sources) ? m.sources : [],
          };
          if (!entry.text && !entry.buttons.length && !entry.sources.length) return;
          var item = add(entry);
          first = first || item;
        });
        if (!first) {
          first = add({
            role: "bot",
            text: "Sorry, I do not have an answer for that. Try asking in a different way.",
          });
        }
        setBusy(false);
        reveal(first);
      })
      .catch(function () {
        setBusy(false);
        var item = add({ role: "error" });
        if (typed && !input.value.trim()) {
          input.value = message; // nothing the user typed is lost
          updateCount();
        }
        reveal(item);
      });
  }

  function submit() {
    if (busy) return;
    var text = input.value.trim();
    if (!text) {
      input.focus();
      return;
    }
    if (config.max_message_chars > 0 && input.value.length > config.max_message_chars) {
      showError("Your question must be " + config.max_message_chars + " characters or fewer");
      input.focus();
      return;
    }
    hideError();
    input.value = "";
    updateCount();
    sendMessage(text, text, true);
  }

  // ---- opening and closing ---------------------------------------------------------------------

  function open() {
    panel.hidden = false;
    root.classList.add("sendw--open");
    launcher.setAttribute("aria-expanded", "true");
    loadConfig();
    if (!transcript.some(function (e) { return e.intro; })) {
      add({ role: "bot", text: INTRO, intro: true });
    }
    log.scrollTop = log.scrollHeight;
    input.focus();
  }

  function close() {
    panel.hidden = true;
    root.classList.remove("sendw--open");
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }

  // ---- events ----------------------------------------------------------------------------------

  launcher.addEventListener("click", function () {
    if (panel.hidden) open();
    else close();
  });
  // Ask at once whether staff have paused the assistant, so the notice replaces the launcher.
  loadConfig();
  closeButton.addEventListener("click", close);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") {
      event.preventDefault();
      close();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submit();
  });
  input.addEventListener("keydown", function (event) {
    // Enter sends; Shift+Enter makes a new line; never interrupt an input method's composition.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      submit();
    }
  });
  input.addEventListener("input", updateCount);

  // ---- start -----------------------------------------------------------------------------------

  function start() {
    transcript.forEach(render); // the conversation so far in this tab (kept in sessionStorage)
    document.body.appendChild(root);
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);

  window.SendSupportWidget = { open: open, close: close, audience: audience };
})();
