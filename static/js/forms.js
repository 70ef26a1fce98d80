/* Forms that survive a bad connection and a double tap (forms marked data-keep).

   - What is typed is kept in sessionStorage (this tab only, gone when it closes) and put
     back if the page is reloaded or returned to after a submit that never arrived, with a
     notice and a way to start again. It is cleared once the server has taken the form.
   - The form's idempotency key is kept with it, so a resend of a submit that did arrive
     is answered with the first answer instead of saving twice (idempotency/web.py).
   - A second submit while the first is on its way is ignored (double tap); after a few
     seconds, or when the page is shown again, the form can be sent again.
   Passwords, files and the CSRF token are never stored. Signing out clears everything. */
(function () {
  "use strict";

  var PREFIX = "tf-keep:";
  var PENDING = "tf-keep-pending";
  var MAX_AGE_MS = 60 * 60 * 1000;
  var RESUBMIT_AFTER_MS = 8000;
  var SKIP_TYPES = ["password", "file", "submit", "button", "reset", "image"];

  function storage() {
    try {
      return window.sessionStorage;
    } catch (e) {
      return null; // storage refused (private mode, policy): the form simply is not kept
    }
  }

  function keyOf(form) {
    return PREFIX + form.action;
  }

  function read(name) {
    var store = storage();
    if (!store) {
      return null;
    }
    try {
      return JSON.parse(store.getItem(name) || "null");
    } catch (e) {
      return null;
    }
  }

  function write(name, value) {
    var store = storage();
    if (store) {
      try {
        store.setItem(name, JSON.stringify(value));
      } catch (e) {
        /* full: not kept */
      }
    }
  }

  function forget(name) {
    var store = storage();
    if (store) {
      store.removeItem(name);
    }
  }

  function kept(el) {
    return el.name && el.name !== "csrfmiddlewaretoken" && SKIP_TYPES.indexOf(el.type) === -1 && !el.disabled;
  }

  function idempotencyKey(form) {
    var input = form.querySelector("[data-idempotency-key]");
    return input ? input.value : "";
  }

  function save(form) {
    var fields = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el)) {
        return;
      }
      if (el.type === "checkbox" || el.type === "radio") {
        fields.push({ name: el.name, value: el.value, checked: el.checked });
      } else if (el.tagName === "SELECT" && el.multiple) {
        fields.push({
          name: el.name,
          values: Array.prototype.filter.call(el.options, function (o) { return o.selected; }).map(function (o) { return o.value; })
        });
      } else {
        fields.push({ name: el.name, value: el.value });
      }
    });
    write(keyOf(form), { t: Date.now(), fields: fields });
  }

  function restore(form, saved) {
    var byName = {};
    saved.fields.forEach(function (f) {
      (byName[f.name] = byName[f.name] || []).push(f);
    });
    Array.prototype.forEach.call(form.elements, function (el) {
      var entries = kept(el) || el.type === "hidden" ? byName[el.name] : null;
      if (!entries) {
        return;
      }
      if (el.type === "checkbox" || el.type === "radio") {
        var match = entries.filter(function (f) { return f.value === el.value; })[0];
        if (match) {
          el.checked = match.checked;
        }
      } else if (el.tagName === "SELECT" && el.multiple) {
        var values = entries[0].values || [];
        Array.prototype.forEach.call(el.options, function (o) { o.selected = values.indexOf(o.value) !== -1; });
      } else if (entries.length) {
        el.value = entries.shift().value;
      }
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
    notice(form);
  }

  function notice(form) {
    var box = document.createElement("div");
    box.className = "usa-alert usa-alert--info usa-alert--slim tf-kept-notice";
    box.setAttribute("role", "status");
    var body = document.createElement("div");
    body.className = "usa-alert__body";
    var text = document.createElement("p");
    text.className = "usa-alert__text";
    text.textContent = "What you typed before is back in the form: it had not been saved. Check it and send it again. ";
    var again = document.createElement("button");
    again.type = "button";
    again.className = "usa-button usa-button--unstyled";
    again.textContent = "Start again with an empty form";
    again.addEventListener("click", function () {
      forget(keyOf(form));
      window.location.reload();
    });
    text.appendChild(again);
    body.appendChild(text);
    box.appendChild(body);
    form.insertBefore(box, form.firstChild);
  }

  function submitButtons(form) {
    return form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
  }

  function setBusy(form, busy) {
    if (busy) {
      form.setAttribute("data-submitting", "1");
    } else {
      form.removeAttribute("data-submitting");
    }
    Array.prototype.forEach.call(submitButtons(form), function (b) {
      // aria-disabled, not disabled: a disabled button would drop its own name from the submit.
      if (busy) {
        b.setAttribute("aria-disabled", "true");
      } else {
        b.removeAttribute("aria-disabled");
      }
    });
  }

  function onSubmit(event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-keep")) {
      return;
    }
    if (form.getAttribute("data-submitting") === "1") {
      event.preventDefault(); // a double tap: the first submit is on its way
      event.stopImmediatePropagation();
      return;
    }
    save(form);
    write(PENDING, { form: keyOf(form), key: idempotencyKey(form), t: Date.now() });
    setBusy(form, true);
    window.setTimeout(function () { setBusy(form, false); }, RESUBMIT_AFTER_MS);
  }

  function onInput(event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-keep") && form.getAttribute("data-submitting") !== "1") {
      save(form);
    }
  }

  // The server names the key of a form it has saved (cookie tf_saved_form, idempotency/web.py).
  function savedKey() {
    var match = document.cookie.match(/(?:^|;\s*)tf_saved_form=([^;]+)/);
    if (match) {
      document.cookie = "tf_saved_form=; Max-Age=0; path=/; SameSite=Strict";
      return decodeURIComponent(match[1]);
    }
    return "";
  }

  function forgetSaved(key) {
    var store = storage();
    if (!store || !key) {
      return;
    }
    Object.keys(store).forEach(function (name) {
      if (name.indexOf(PREFIX) !== 0) {
        return;
      }
      var saved = read(name);
      var fields = (saved && saved.fields) || [];
      if (fields.some(function (f) { return f.name === "idempotency_key" && f.value === key; })) {
        store.removeItem(name);
      }
    });
  }

  function onLoad() {
    forgetSaved(savedKey());
    var pending = read(PENDING);
    forget(PENDING);
    var forms = document.querySelectorAll("form[data-keep]");
    Array.prototype.forEach.call(forms, function (form) {
      if (pending && pending.form === keyOf(form) && idempotencyKey(form) === pending.key) {
        return; // the server showed the form again with its errors: it has what was typed
      }
      var saved = read(keyOf(form));
      if (!saved) {
        return;
      }
      if (Date.now() - saved.t > MAX_AGE_MS) {
        forget(keyOf(form));
        return;
      }
      restore(form, saved);
    });
  }

  // Signing out leaves nothing typed behind in the browser.
  function onSignOut(event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && /\/logout\/?$/.test(new URL(form.action).pathname)) {
      var store = storage();
      if (store) {
        Object.keys(store).forEach(function (name) {
          if (name.indexOf(PREFIX) === 0 || name === PENDING) {
            store.removeItem(name);
          }
        });
      }
    }
  }

  document.addEventListener("submit", onSignOut, true);
  document.addEventListener("submit", onSubmit, true);
  document.addEventListener("input", onInput);
  document.addEventListener("change", onInput);
  // Back to a page kept in memory: the form may be sent again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.querySelectorAll("form[data-submitting]").forEach(function (form) { setBusy(form, false); });
    }
  });
  // htmx forms (the notes panel): a swap after success replaces the form; a failure frees it.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail && event.detail.elt;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-keep")) {
      return;
    }
    forget(PENDING);
    if (event.detail.successful) {
      forget(keyOf(form));
    }
    setBusy(form, false);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onLoad);
  } else {
    onLoad();
  }
})();
