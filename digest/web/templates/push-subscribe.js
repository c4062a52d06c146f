/* digest: the Web Push subscription page's script (served as subscribe.js).
 * Registers the service worker, shows whether this browser is subscribed, and
 * subscribes or unsubscribes on the button.  The server keeps the subscription
 * (endpoint and keys) and nothing else. */
(function () {
  "use strict";
  var root = document.documentElement;
  var button = document.getElementById("push-toggle");
  var status = document.getElementById("push-status");
  var key = document.querySelector('meta[name="digest-push-key"]').content;
  var base = document.querySelector('meta[name="digest-push-base"]').content;
  var registration = null;

  function say(text, state) {
    status.textContent = text;
    root.setAttribute("data-push", state);
  }

  function keyBytes(text) {
    var padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }

  function post(path, body) {
    return fetch(base + path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok) { throw new Error("the server answered " + response.status); }
      return response.json();
    });
  }

  function show(subscription) {
    button.disabled = false;
    if (subscription) {
      button.textContent = "Turn notifications off";
      say("This browser gets our notifications.", "subscribed");
    } else {
      button.textContent = "Get notifications";
      say("This browser does not get our notifications.", "ready");
    }
  }

  function subscribe() {
    return Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { throw new Error("notifications are blocked for this site"); }
      return registration.pushManager.subscribe({
        userVisibleOnly: true, applicationServerKey: keyBytes(key)
      });
    }).then(function (subscription) {
      return post("api/subscribe", subscription.toJSON()).then(function () { return subscription; });
    });
  }

  function unsubscribe(subscription) {
    var endpoint = subscription.endpoint;
    return subscription.unsubscribe().then(function () {
      return post("api/unsubscribe", { endpoint: endpoint });
    }).then(function () { return null; });
  }

  function toggle() {
    button.disabled = true;
    registration.pushManager.getSubscription().then(function (current) {
      return current ? unsubscribe(current) : subscribe();
    }).then(show, function (error) {
      button.disabled = false;
      say("That did not work: " + error.message, "error");
    });
  }

  /* For pages that already hold a subscription (and for tests): save one. */
  window.digestPush = { save: function (json) { return post("api/subscribe", json); } };

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !window.isSecureContext) {
    say("This browser cannot get notifications from this site.", "unsupported");
    return;
  }
  navigator.serviceWorker.register(base + "sw.js", { scope: base }).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (ready) {
    registration = ready;
    button.addEventListener("click", toggle);
    return ready.pushManager.getSubscription();
  }).then(show, function (error) {
    say("Notifications are not available here: " + error.message, "unsupported");
  });
}());
