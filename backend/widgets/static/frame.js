/* Handwerker-Schnellruf widget: reports its height, offers the device position, counts calls. */
(function () {
  var d = document, body = d.body, root = d.documentElement;
  if (parent !== window && window.ResizeObserver) {
    var last = 0;
    new ResizeObserver(function () {
      var h = Math.ceil(body.getBoundingClientRect().height);
      if (h !== last) parent.postMessage({ schnellruf: "height", height: (last = h) }, "*");
    }).observe(body);
  }
  var gps = d.getElementById("w-gps"), note = d.getElementById("w-gps-note");
  var policy = d.featurePolicy;
  if (gps && navigator.geolocation && (!policy || policy.allowsFeature("geolocation"))) {
    gps.hidden = false;
    gps.addEventListener("click", function () {
      note.textContent = gps.getAttribute("data-busy");
      navigator.geolocation.getCurrentPosition(function (p) {
        var u = new URL(location.href), q = u.searchParams;
        q.delete("place"); q.delete("postcode");
        q.set("lat", p.coords.latitude.toFixed(3)); q.set("lon", p.coords.longitude.toFixed(3));
        location.assign(u);
      }, function () {
        note.textContent = gps.getAttribute("data-failed");
      }, { timeout: 15000, maximumAge: 60000 });
    });
  }
  var beacon = root.getAttribute("data-beacon");
  d.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[data-call]");
    if (!a || !beacon || !navigator.sendBeacon || !window.crypto || !crypto.randomUUID) return;
    var event = { id: crypto.randomUUID(), business_id: +a.getAttribute("data-call"),
      category: a.getAttribute("data-category") || null };
    navigator.sendBeacon(beacon, new Blob([JSON.stringify(event)], { type: "application/json" }));
  });
})();
