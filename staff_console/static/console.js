// GOV.UK Frontend's components (skip link, error summary focus). A file, not an inline script,
// because the console's Content-Security-Policy allows scripts from its own origin only.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();
