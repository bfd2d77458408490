/**
 * Where is the resident? Device position (asked only after a tap, the reason shown
 * first) or a postcode/town field with suggestions from GET /api/v1/places (an ARIA
 * 1.2 combobox: arrow keys, Enter, Escape).
 */

import { getJSON } from "./api.js?v=__BUILD__";
import { h } from "./dom.js?v=__BUILD__";
import { t, translate } from "./i18n.js?v=__BUILD__";
import { prefs } from "./store.js?v=__BUILD__";

const DEBOUNCE_MS = 200;
// Places of the same name are told apart by their Land.
const LAENDER = {
  BW: "Baden-Württemberg", BY: "Bayern", BE: "Berlin", BB: "Brandenburg", HB: "Bremen",
  HH: "Hamburg", HE: "Hessen", MV: "Mecklenburg-Vorpommern", NI: "Niedersachsen",
  NW: "Nordrhein-Westfalen", RP: "Rheinland-Pfalz", SL: "Saarland", SN: "Sachsen",
  ST: "Sachsen-Anhalt", SH: "Schleswig-Holstein", TH: "Thüringen",
};
const withLand = (item) => (item.land ? `${item.label}, ${LAENDER[item.land] || item.land}` : item.label);

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

  let items = [];
  let active = -1;
  let timer = 0;
  let pending = null;

  const choose = (place) => {
    close();
    message.textContent = "";
    candidates.hidden = true;
    onPlace(place, { remember: remember && box.checked });
  };

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    active = index;
    [...list.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === index)));
    if (index < 0) {
      input.removeAttribute("aria-activedescendant");
      return;
    }
    const li = list.children[index];
    input.setAttribute("aria-activedescendant", li.id);
    li.scrollIntoView({ block: "nearest" });
  }

  function render() {
    list.replaceChildren(
      ...items.map((item, i) => {
        const li = h("li", { id: `${id}-opt-${i}`, role: "option", "aria-selected": "false" }, withLand(item));
        // mousedown keeps the focus in the field; click works for touch and mouse alike.
        li.addEventListener("mousedown", (event) => event.preventDefault());
        li.addEventListener("click", () => pickItem(item));
        return li;
      }),
    );
    const open = items.length > 0 && document.activeElement === input;
    list.hidden = !open;
    input.setAttribute("aria-expanded", String(open));
    message.textContent = items.length ? t("location.suggestions", { count: items.length }) : "";
  }

  function pickItem(item) {
    input.value = item.label;
    const place = { kind: item.kind, label: item.label, postcode: item.postcode, lat: item.lat, lon: item.lon };
    choose(place);
  }

  async function suggest() {
    const q = input.value.trim();
    pending?.abort();
    if (q.length < 2) {
      items = [];
      render();
      return;
    }
    pending = new AbortController();
    try {
      items = await getJSON("/api/v1/places", { q, limit: 8 }, { signal: pending.signal, timeout: 8000 });
    } catch {
      items = []; // offline or aborted: typing still works, just without suggestions
    }
    if (input.value.trim() === q) render();
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, DEBOUNCE_MS);
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  input.addEventListener("keydown", (event) => {
    const open = !list.hidden;
    if (event.key === "ArrowDown" && items.length) {
      event.preventDefault();
      if (!open) render();
      highlight(Math.min(active + 1, items.length - 1));
    } else if (event.key === "ArrowUp" && open) {
      event.preventDefault();
      highlight(Math.max(active - 1, 0));
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      pickItem(items[active]);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close();
    }
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) {
      message.textContent = t("location.empty");
      input.focus();
      return;
    }
    const wanted = text.toLowerCase();
    const same = items.filter(
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
    say: (text) => {
      message.textContent = text;
    },
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
