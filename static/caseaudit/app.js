// Progressive enhancement only: every page works without it. Loaded as a module by base.html.
import { initAll } from "../govuk/govuk-frontend.min.js";
import { initAutosave } from "./autosave.js";
import { initSessionTimeout } from "./session-timeout.js";

initAll();
initSessionTimeout(document.querySelector("[data-module='app-session-timeout']"));
initAutosave(document.querySelector("[data-module='app-autosave']"));
