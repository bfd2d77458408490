/** Start screen (#/): one tile per emergency, and whether the reference data arrived. */

import { byId, h, icon } from "../lib/dom.js?v=__BUILD__";
import { pick, t } from "../lib/i18n.js?v=__BUILD__";
import { allEmergencies, loadReference } from "../lib/reference.js?v=__BUILD__";

function renderTiles() {
  const tiles = allEmergencies().map((emergency) =>
    h(
      "li",
      {},
      h(
        "a",
        { class: `tile${emergency.safety ? " tile-safety" : ""}`, href: `#/notfall/${emergency.slug}` },
        icon(emergency.icon),
        h("span", {}, pick(emergency, "label")),
      ),
    ),
  );
  byId("tiles").replaceChildren(...tiles);
}

/** Load the reference data, saying so on the start screen; true once the tiles are drawn. */
export async function loadStart() {
  const status = byId("home-status");
  status.textContent = t("home.loading");
  byId("home-retry").hidden = true;
  if (!(await loadReference())) {
    status.textContent = t("home.error");
    byId("home-retry").hidden = false;
    return false;
  }
  status.textContent = "";
  renderTiles();
  return true;
}

/** "Noch einmal versuchen" runs `retry` (which loads the reference data again). */
export function initHome({ retry }) {
  byId("home-retry").addEventListener("click", retry);
}

export const homeView = {
  name: "home",
  section: "view-home",
  heading: "home-heading",
  match: () => true,
  retranslate: renderTiles,
};
