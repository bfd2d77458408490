/**
 * Where is the resident? Device position (asked only after a tap, the reason shown
 * first) or a postcode/town field with suggestions (components/place-suggestions.js);
 * an ambiguous name offers the server's candidates.
 */

import { h } from "../lib/dom.js?v=__BUILD__";
import { t, translate } from "../lib/i18n.js?v=__BUILD__";
import { prefs } from "../lib/store.js?v=__BUILD__";
import { attachSuggestions, withLand } from "./place-suggestions.js?v=__BUILD__";

/**
 * Build a picker in `container`. `onPlace(place, {remember})` receives
 * {kind: "coordinates"|"postcode"|"place"|"text", label, lat?, lon?, postcode?}.
 */
export function createPicker(container, { id, remember = true, onPlace }) {
  const root = document.getElementById("tpl-picker").content.firstElementChild.cloneNode(true);
  const $ = (selector) => root.querySelector(selector);
  const gps = $(".gps");
  const form = $(".place-form");
  const input = $(".place-input");
  const list = $(".suggestions");
  const box = $(".remember-box");
  const message = $(".picker-message");
  const candidates = $(".candidates");

  const label = $(".field-label");
  label.id = `${id}-label`;
  input.id = `${id}-input`;
  label.htmlFor = input.id;
  list.id = `${id}-list`;
  $(".hint").id = `${id}-hint`;
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-describedby", `${id}-hint`);
  list.setAttribute("aria-labelledby", label.id);
  $(".reason").id = `${id}-reason`;
  gps.setAttribute("aria-describedby", `${id}-reason`);
  if (remember) box.checked = Boolean(prefs.get("remember"));
  else $(".remember").remove();
  translate(root);
  container.replaceChildren(root);

  const say = (text) => {
    message.textContent = text;
  };
  const suggestions = attachSuggestions({ id, input, list, onPick: pickItem, say });

  function choose(place) {
    suggestions.close();
    message.textContent = "";
    candidates.hidden = true;
    onPlace(place, { remember: remember && box.checked });
  }

  function pickItem(item) {
    input.value = item.label;
    const place = { kind: item.kind, label: item.label, postcode: item.postcode, lat: item.lat, lon: item.lon };
    choose(place);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) {
      message.textContent = t("location.empty");
      input.focus();
      return;
    }
    const wanted = text.toLowerCase();
    const same = suggestions.items().filter(
      (item) => [item.label, item.name].some((s) => s?.toLowerCase() === wanted) || item.postcode === text,
    );
    if (same.length === 1) pickItem(same[0]);
    else if (/^\d{5}$/.test(text)) choose({ kind: "postcode", label: text, postcode: text });
    else choose({ kind: "text", label: text });
  });

  gps.addEventListener("click", () => {
    if (!("geolocation" in navigator)) {
      message.textContent = t("location.gps_unsupported");
      input.focus();
      return;
    }
    message.textContent = t("location.gps_busy");
    gps.disabled = true;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        gps.disabled = false;
        const { latitude, longitude } = position.coords;
        choose({ kind: "coordinates", label: t("location.my_position"), lat: latitude, lon: longitude });
      },
      (error) => {
        gps.disabled = false;
        message.textContent = t(error.code === 1 ? "location.gps_denied" : "location.gps_failed");
        input.focus();
      },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 },
    );
  });

  return {
    root,
    focus: () => input.focus(),
    say,
    /** Ambiguous name: let the resident pick one of the server's candidates. */
    showCandidates(options) {
      const ul = candidates.querySelector("ul");
      ul.replaceChildren(
        ...options.map((c) => {
          const button = h("button", { type: "button", class: "btn btn-secondary" }, withLand(c));
          button.addEventListener("click", () =>
            choose({ kind: "coordinates", label: c.label, postcode: c.postcode, lat: c.lat, lon: c.lon }),
          );
          return h("li", {}, button);
        }),
      );
      candidates.hidden = false;
      ul.querySelector("button")?.focus();
    },
    retranslate: () => translate(root),
  };
}
