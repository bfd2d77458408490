/**
 * Handwerker-Schnellruf boots here: language, the page's controls, the views
 * (views/), the service worker; then the reference data and the first route.
 * What each part does lives in views/, components/ and lib/.
 */

import { initCallFollowUp } from "./components/call-follow-up.js?v=__BUILD__";
import {
  initClearData,
  initLanguageSwitch,
  registerServiceWorker,
  watchConnection,
} from "./components/frame.js?v=__BUILD__";
import { townFromLink } from "./lib/api.js?v=__BUILD__";
import { byId } from "./lib/dom.js?v=__BUILD__";
import { preferredLanguage, setLanguage } from "./lib/i18n.js?v=__BUILD__";
import { currentView, initRouter, route } from "./lib/router.js?v=__BUILD__";
import { setTownPlace } from "./lib/store.js?v=__BUILD__";
import { cardView, initCard, refreshCardIfStale, renderCard } from "./views/card.js?v=__BUILD__";
import { emergencyView, initEmergency } from "./views/emergency.js?v=__BUILD__";
import { homeView, initHome, loadStart } from "./views/home.js?v=__BUILD__";

// The start screen last: it is shown for any hash the others do not claim.
const VIEWS = [emergencyView, cardView, homeView];

/** Once the reference data is there: the card view, then the view the hash names. */
async function start() {
  if (!(await loadStart())) return false;
  initCard();
  route();
  return true;
}

async function boot() {
  try {
    await setLanguage(preferredLanguage());
  } catch {
    /* the German text in the page stays */
  }
  initLanguageSwitch({ onSwitched: () => VIEWS.forEach((view) => view.retranslate()) });
  initEmergency();
  initClearData({ onCleared: renderCard });
  initHome({ retry: start });
  watchConnection({ onOnline: refreshCardIfStale });
  initCallFollowUp({
    dialog: byId("call-dialog"),
    status: () => byId(currentView() === "emergency" ? "results-status" : "home-status"),
  });
  registerServiceWorker();
  // The printed notice's QR code names the town: its centre is the place to search.
  townFromLink().then(setTownPlace, () => {});
  initRouter(VIEWS);
  if (await start()) refreshCardIfStale();
  document.documentElement.dataset.ready = "true";
}

boot();
