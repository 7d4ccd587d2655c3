{% autoescape off %}/* MercuryHub's service worker: a visited page can be read again offline.

   Static files (fingerprinted, never changed in place): cache first. Pages: network first, the
   copy kept from the last visit when the network fails, else the offline page of the page's
   language. Kept: GET pages only, not the private areas of signed-in people, not responses marked
   private or no-store. Signing out (a POST to the sign-out address) empties the kept pages.

   What the worker fetches on its own (the offline page, the pages open when it starts) goes
   without cookies, as a signed-out visitor would ask: such an answer arrives at any time, and a
   cookie it carried would replace the one the page in front of the person wrote its forms with
   (their next submission refused as forged, after signing in again for instance). */
"use strict";

var VERSION = {{ version_json }};
var STATIC_CACHE = "mercuryhub-static-" + VERSION;
var PAGE_CACHE = "mercuryhub-pages";
var STATIC_PREFIX = {{ static_prefix_json }};
var OFFLINE_PATHS = {{ offline_paths_json }}; // language prefix ("" for English) -> offline page
var PRIVATE = new RegExp({{ private_pattern_json }});
var SIGN_OUT = new RegExp({{ sign_out_pattern_json }});
var LANGUAGE = new RegExp({{ language_pattern_json }});

function languageOf(path) {
  var found = LANGUAGE.exec(path);
  return found ? found[1] : "";
}

function offlinePathOf(path) {
  return OFFLINE_PATHS[languageOf(path)] || OFFLINE_PATHS[""];
}

function keepable(request, response) {
  if (!response || !response.ok || response.type !== "basic" || response.redirected) {
    return false;
  }
  var control = response.headers.get("Cache-Control") || "";
  var type = response.headers.get("Content-Type") || "";
  return type.indexOf("text/html") === 0 && !/no-store|private/.test(control);
}

function keepOffline(path) {
  var address = offlinePathOf(path);
  return caches.open(PAGE_CACHE).then(function (cache) {
    return cache.match(address, { ignoreVary: true }).then(function (kept) {
      return kept || cache.add(new Request(address, { credentials: "omit" }));
    });
  });
}

/* The pages already open when the worker starts were loaded without it: keep them too. */
function keepOpenPages() {
  return self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
    return Promise.all(windows.map(function (client) {
      var url = new URL(client.url);
      if (url.origin !== self.location.origin || PRIVATE.test(url.pathname)) {
        return null;
      }
      var request = new Request(url.href, { credentials: "omit" });
      return fetch(request).then(function (response) {
        var kept = keepable(request, response)
          ? caches.open(PAGE_CACHE).then(function (cache) { return cache.put(request, response); })
          : null;
        return Promise.all([kept, keepOffline(url.pathname)]);
      }).catch(function () { return null; });
    }));
  });
}

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("mercuryhub-static-") === 0 && name !== STATIC_CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); }).then(keepOpenPages)
  );
});

function fromStatic(request) {
  return caches.open(STATIC_CACHE).then(function (cache) {
    return cache.match(request, { ignoreVary: true }).then(function (kept) {
      return kept || fetch(request).then(function (response) {
        if (response.ok && response.type === "basic") {
          cache.put(request, response.clone());
        }
        return response;
      });
    });
  });
}

function page(event) {
  var request = event.request;
  var path = new URL(request.url).pathname;
  var isPrivate = PRIVATE.test(path);
  return fetch(request).then(function (response) {
    if (!isPrivate && keepable(request, response)) {
      var copy = response.clone();
      event.waitUntil(caches.open(PAGE_CACHE).then(function (cache) {
        return cache.put(request, copy);
      }).then(function () { return keepOffline(path); }).catch(function () {}));
    }
    return response;
  }).catch(function () {
    return caches.open(PAGE_CACHE).then(function (cache) {
      return (isPrivate ? Promise.resolve(undefined) : cache.match(request, { ignoreVary: true })).then(function (kept) {
        return kept || cache.match(offlinePathOf(path), { ignoreVary: true });
      }).then(function (answer) {
        return answer || Response.error();
      });
    });
  });
}

/* Signing out: once the server has ended the session, the kept pages (seen signed in) are
   forgotten and the offline page is kept again, as a signed-out visitor sees it. */
function signOut(event, path) {
  function forget() {
    return caches.delete(PAGE_CACHE).then(function () { return keepOffline(path); }).catch(function () {});
  }
  return fetch(event.request).then(function (response) {
    event.waitUntil(forget());
    return response;
  }, function (error) {
    event.waitUntil(caches.delete(PAGE_CACHE));
    throw error;
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.method !== "GET") {
    if (SIGN_OUT.test(url.pathname)) {
      event.respondWith(signOut(event, url.pathname));
    }
    return; // sent as it is, never kept
  }
  if (url.pathname.indexOf(STATIC_PREFIX) === 0) {
    event.respondWith(fromStatic(request));
  } else if (request.mode === "navigate") {
    event.respondWith(page(event));
  }
});
{% endautoescape %}
