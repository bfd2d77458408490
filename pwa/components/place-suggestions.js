/**
 * Suggestions for the postcode/town field from GET /api/v1/places, as an ARIA 1.2
 * combobox: arrow keys move through them, Enter picks one, Escape closes the list.
 */

import { getJSON } from "../lib/api.js?v=__BUILD__";
import { h } from "../lib/dom.js?v=__BUILD__";
import { t } from "../lib/i18n.js?v=__BUILD__";

const DEBOUNCE_MS = 200;
// Places of the same name are told apart by their Land.
const LAENDER = {
  BW: "Baden-Württemberg", BY: "Bayern", BE: "Berlin", BB: "Brandenburg", HB: "Bremen",
  HH: "Hamburg", HE: "Hessen", MV: "Mecklenburg-Vorpommern", NI: "Niedersachsen",
  NW: "Nordrhein-Westfalen", RP: "Rheinland-Pfalz", SL: "Saarland", SN: "Sachsen",
  ST: "Sachsen-Anhalt", SH: "Schleswig-Holstein", TH: "Thüringen",
};

/** "Neustadt, Sachsen": a place's label with its Land. */
export const withLand = (item) => (item.land ? `${item.label}, ${LAENDER[item.land] || item.land}` : item.label);

/**
 * Make `input` a combobox over `list`; `onPick(item)` gets the chosen suggestion and
 * `say(text)` announces how many there are. Returns {items(), close()}.
 */
export function attachSuggestions({ id, input, list, onPick, say }) {
  let items = [];
  let active = -1;
  let timer = 0;
  let pending = null;

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
        li.addEventListener("click", () => onPick(item));
        return li;
      }),
    );
    const open = items.length > 0 && document.activeElement === input;
    list.hidden = !open;
    input.setAttribute("aria-expanded", String(open));
    say(items.length ? t("location.suggestions", { count: items.length }) : "");
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
      onPick(items[active]);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close();
    }
  });

  return { items: () => items, close };
}
