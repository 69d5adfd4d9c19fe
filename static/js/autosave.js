/* Autosave for forms marked data-autosave-url (the application draft).
 *
 * Every edit is kept: typing saves after a short pause, leaving a field saves at once,
 * following a link of the app waits for the save, hiding or closing the page sends what is
 * unsaved with a keepalive request, a failed
 * save is retried with back-off and sent again when the connection comes back.
 * Status texts come from the form's data-msg-* attributes (translated by the template).
 * Without JavaScript the form's own Save button posts it normally.
 */
(function () {
  "use strict";

  var TYPING_PAUSE_MS = 800;
  var FIRST_RETRY_MS = 1000;
  var MAX_RETRY_MS = 30000;
  var LEAVE_WAIT_MS = 5000;

  function Autosave(form, status) {
    this.form = form;
    this.status = status;
    this.url = form.dataset.autosaveUrl;
    this.edits = 0;        // edits made on the page so far
    this.savedEdits = 0;   // edits the server has confirmed
    this.sentEdits = 0;    // edits sent with the latest keepalive request when leaving
    this.inFlight = false;
    this.again = false;
    this.failing = false;
    this.timer = null;
    this.retryDelay = FIRST_RETRY_MS;
    this.waiting = [];     // other forms' posts held until the draft is saved
    this.leaving = null;   // a followed link held until the draft is saved (or the save fails)
  }

  Autosave.prototype.dirty = function () {
    return this.edits > this.savedEdits;
  };

  Autosave.prototype.say = function (key, cls) {
    var text = this.form.dataset["msg" + key];
    if (!text) { return; }
    var current = this.status.querySelector("p");
    if (current && current.textContent === text) { return; }
    var p = document.createElement("p");
    p.className = cls;
    p.textContent = text;
    this.status.replaceChildren(p);
  };

  Autosave.prototype.edited = function (delay) {
    this.edits += 1;
    if (!this.failing) { this.say("Unsaved", "autosave-pending"); }
    this.schedule(delay);
  };

  Autosave.prototype.schedule = function (delay) {
    clearTimeout(this.timer);
    this.timer = setTimeout(this.save.bind(this), delay);
  };

  Autosave.prototype.csrf = function () {
    var field = this.form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  };

  Autosave.prototype.request = function (keepalive) {
    return fetch(this.url, {
      method: "POST",
      body: new FormData(this.form),
      credentials: "same-origin",
      keepalive: keepalive,
      headers: { "X-CSRFToken": this.csrf(), "X-Autosave": "1" }
    });
  };

  Autosave.prototype.save = function () {
    clearTimeout(this.timer);
    if (this.inFlight) { this.again = true; return; }
    if (!this.dirty()) { return; }
    if (!navigator.onLine) { this.failed(true); return; }
    var upTo = this.edits;
    var self = this;
    this.inFlight = true;
    this.again = false;
    this.request(false).then(function (response) {
      if (response.status >= 500 || response.status === 429) { throw new Error("server"); }
      if (!response.ok || response.redirected) { self.refused(); return; }
      return response.text().then(function (html) { self.saved(upTo, html); });
    }).catch(function () {
      self.failed(!navigator.onLine);
    }).finally(function () {
      self.inFlight = false;
      if (self.again && !self.failing && self.dirty()) { self.save(); }
    });
  };

  Autosave.prototype.saved = function (upTo, html) {
    this.failing = false;
    this.retryDelay = FIRST_RETRY_MS;
    this.savedEdits = Math.max(this.savedEdits, upTo);
    this.swap(html);
    if (this.dirty()) { this.again = true; return; }
    this.waiting.splice(0).forEach(function (go) { go(); });
    this.leave();
  };

  // Following a link of the app: wait for the save (a keepalive request sent while the page
  // unloads may reach the server after the next page's request, showing the old text).
  // Offline or failing, the link goes at once and the beforeunload warning asks.
  Autosave.prototype.holdLink = function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey ||
        event.ctrlKey || event.shiftKey || event.altKey || link.target || link.hasAttribute("download") ||
        link.origin !== window.location.origin || link.getAttribute("href").charAt(0) === "#" ||
        !this.dirty() || this.failing || !navigator.onLine) {
      return;
    }
    event.preventDefault();
    var self = this;
    var href = link.href;
    var fallback = setTimeout(function () { self.leave(); }, LEAVE_WAIT_MS);
    this.leaving = function () { clearTimeout(fallback); window.location.assign(href); };
    this.save();
  };

  Autosave.prototype.leave = function () {
    var go = this.leaving;
    this.leaving = null;
    if (go) { go(); }
  };

  // Another form of the page (submit, upload) posts only once the draft holds every edit,
  // so the server never judges an older draft.
  Autosave.prototype.holdOtherPost = function (event) {
    var other = event.target;
    if (other === this.form || !this.dirty() || (other.method || "").toLowerCase() !== "post") {
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    var submitter = event.submitter || null;
    this.waiting = [function () {
      if (submitter) { other.requestSubmit(submitter); } else { other.requestSubmit(); }
    }];
    this.save();
  };

  // Signed out, or the page is stale: retrying will not help; the Save button still may.
  Autosave.prototype.refused = function () {
    this.failing = true;
    this.waiting = [];
    this.say("Refused", "autosave-failed");
    this.leave();
  };

  Autosave.prototype.failed = function (offline) {
    this.failing = true;
    this.waiting = [];
    this.say(offline ? "Offline" : "Retrying", "autosave-failed");
    this.schedule(this.retryDelay);
    this.retryDelay = Math.min(this.retryDelay * 2, MAX_RETRY_MS);
    this.leave();
  };

  Autosave.prototype.online = function () {
    this.retryDelay = FIRST_RETRY_MS;
    if (this.dirty()) { this.save(); }
  };

  // The response is the status partial plus out-of-band pieces (checklist, budget total).
  Autosave.prototype.swap = function (html) {
    var holder = document.createElement("div");
    holder.innerHTML = html;
    holder.querySelectorAll("[hx-swap-oob]").forEach(function (piece) {
      piece.removeAttribute("hx-swap-oob");
      var old = piece.id && document.getElementById(piece.id);
      if (old) { old.replaceWith(piece); } else { piece.remove(); }
    });
    this.status.replaceChildren.apply(this.status, Array.prototype.slice.call(holder.childNodes));
  };

  // Leaving the page: send what is unsaved with a request that outlives the page.
  Autosave.prototype.flush = function () {
    if (!this.dirty() || this.sentEdits >= this.edits || !navigator.onLine) { return; }
    clearTimeout(this.timer);
    var upTo = this.edits;
    var self = this;
    this.sentEdits = upTo;
    var sent;
    try {
      sent = this.request(true);
    } catch (e) {  // a body over the keepalive quota
      navigator.sendBeacon(this.url, new FormData(this.form));
      return;
    }
    sent.then(function (response) {
      if (!response.ok || response.redirected) { throw new Error("not saved"); }
      return response.text().then(function (html) { self.saved(upTo, html); });
    }).catch(function () {
      self.sentEdits = self.savedEdits;
      self.failed(!navigator.onLine);
    });
  };

  // Warn only when the edits cannot be on their way: offline, or the last save failed.
  Autosave.prototype.beforeUnload = function (event) {
    if (!this.dirty()) { return; }
    this.flush();
    if (navigator.onLine && !this.failing && this.sentEdits >= this.edits) { return; }
    event.preventDefault();
    event.returnValue = "";
  };

  Autosave.prototype.listen = function () {
    var self = this;
    var form = this.form;
    form.addEventListener("input", function (event) {
      if (event.target.type === "file") { return; }
      self.edited(TYPING_PAUSE_MS);
    });
    form.addEventListener("change", function () { self.edited(0); });
    form.addEventListener("submit", function () {
      clearTimeout(self.timer);
      self.savedEdits = self.edits;  // the normal post carries every edit
    });
    document.addEventListener("submit", function (event) { self.holdOtherPost(event); }, true);
    document.addEventListener("click", function (event) { self.holdLink(event); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { self.flush(); }
    });
    window.addEventListener("pagehide", function () { self.flush(); });
    window.addEventListener("beforeunload", function (event) { self.beforeUnload(event); });
    window.addEventListener("online", function () { self.online(); });
    window.addEventListener("offline", function () {
      if (self.dirty()) { self.failed(true); }
    });
  };

  function start() {
    document.querySelectorAll("form[data-autosave-url]").forEach(function (form) {
      var status = document.getElementById(form.dataset.autosaveStatus);
      if (status && window.fetch && window.FormData) { new Autosave(form, status).listen(); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
