/* Handwerker-Schnellruf: sizes each widget frame on this page to the height it reports. */
(function () {
  var origin = new URL(document.currentScript.src).origin;
  addEventListener("message", function (e) {
    var d = e.data;
    if (e.origin !== origin || !d || d.schnellruf !== "height") return;
    var h = Math.ceil(+d.height);
    if (!(h > 0 && h < 20000)) return;
    var frames = document.querySelectorAll("iframe[data-schnellruf-widget]");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === e.source) frames[i].style.height = h + "px";
    }
  });
})();
