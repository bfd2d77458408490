/**
 * Hash routing: #/ (start), #/notfall/<slug> (one emergency), #/notfallkarte. Shows one
 * view, moves the screen reader to its heading after a change (not on first load) and
 * names the view in the title.
 *
 * A view is {name, section, heading, match(section, slug), enter(arg), title(arg)}:
 * the first whose match() is truthy is shown, and enter() gets what match() returned.
 */

import { byId, show } from "./dom.js?v=__BUILD__";
import { t } from "./i18n.js?v=__BUILD__";

let views = [];
let current = null;

/** The name of the view on screen, or null before the first route. */
export const currentView = () => current;

/** Route by the hash through `list` (the last view should match everything). */
export function initRouter(list) {
  views = list;
  window.addEventListener("hashchange", route);
}

/** Show the view the hash names. */
export function route() {
  const hash = decodeURIComponent(location.hash.replace(/^#\/?/, ""));
  const [section, slug] = hash.split("/");
  let view = views[views.length - 1];
  let arg = null;
  for (const candidate of views) {
    arg = candidate.match(section, slug);
    if (arg) {
      view = candidate;
      break;
    }
  }
  for (const other of views) show(byId(other.section), other === view);
  const previous = current;
  current = view.name;
  view.enter?.(arg);
  if (previous !== null) {
    byId(view.heading).focus(); // move the screen reader to the new view, not on first load
    window.scrollTo(0, 0);
  }
  const what = view.title?.(arg);
  document.title = `${what ? `${what} – ` : ""}${t("app.title")}`;
}
