/* digest: the service worker (served as sw.js).  Shows each push as a
 * notification ({title, body, url, image, tag}, decrypted by the browser) and
 * opens its link when the notification is clicked. */
"use strict";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("push", function (event) {
  var message = {};
  try { message = event.data ? event.data.json() : {}; } catch (error) { message = {}; }
  var options = {
    body: String(message.body || ""),
    tag: String(message.tag || "digest"),
    data: { url: String(message.url || "/") }
  };
  if (message.image) { options.image = String(message.image); }
  event.waitUntil(self.registration.showNotification(String(message.title || "News"), options));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url = (event.notification.data && event.notification.data.url) || "/";
  if (!/^https?:\/\//.test(url)) { url = "/"; }
  event.waitUntil(self.clients.openWindow(url));
});
