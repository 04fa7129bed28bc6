// Autosave for the return form: answers are sent to the server shortly after each change and
// when the person leaves the page. Nothing is kept in the browser. Without JavaScript the
// "Save and continue" and "Save and come back later" buttons do the same job.
//
// Every save carries the return's version. The server refuses a save from an out-of-date page
// (someone else saved since), and then we stop saving and say so rather than overwrite.

const DELAY = 1200; // after the last keystroke
const RETRY = 10000; // after a failed request

function nowText() {
  const d = new Date();
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

function initShowIf(form) {
  const rows = form.querySelectorAll("[data-show-if]");
  rows.forEach((row) => {
    const controller = row.dataset.showIf;
    const wanted = (row.dataset.showIfOptions || "").split(" ").filter(Boolean);
    const inputs = form.querySelectorAll(`[name="${CSS.escape(controller)}"]`);
    const update = () => {
      const chosen = Array.from(inputs)
        .filter((input) => input.checked)
        .map((input) => input.value);
      const controllerRow = inputs[0] && inputs[0].closest("[data-show-if]");
      const controllerHidden = controllerRow ? controllerRow.hidden : false;
      row.hidden = controllerHidden || !chosen.some((value) => wanted.includes(value));
      row.dispatchEvent(new Event("app:visibility", { bubbles: false }));
    };
    inputs.forEach((input) => input.addEventListener("change", update));
    const controllerRow = inputs[0] && inputs[0].closest("[data-show-if]");
    if (controllerRow) controllerRow.addEventListener("app:visibility", update);
    update();
  });
}

export function initAutosave(form) {
  if (!form || !window.fetch || !window.FormData) return;
  initShowIf(form);
  const url = form.dataset.autosaveUrl;
  const status = form.querySelector("[data-autosave-status]");
  const version = form.querySelector("input[name='version']");
  let timer = null;
  let inflight = null;
  let dirty = false;
  let stopped = false;
  let submitting = false;

  function say(text, isProblem) {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("govuk-error-message", Boolean(isProblem));
  }

  function body() {
    const data = new FormData(form);
    data.delete("action");
    return data;
  }

  async function save({ keepalive = false } = {}) {
    window.clearTimeout(timer);
    if (stopped || !dirty) return;
    if (inflight) {
      await inflight;
      return save({ keepalive });
    }
    dirty = false;
    inflight = (async () => {
      try {
        const response = await fetch(url, {
          method: "POST",
          body: body(),
          credentials: "same-origin",
          headers: { Accept: "application/json", "X-Requested-With": "fetch" },
          keepalive,
        });
        const result = await response.json().catch(() => ({}));
        if (response.ok && result.ok) {
          version.value = result.version;
          const waiting = Object.keys(result.errors || {}).length;
          say(
            waiting
              ? `Saved at ${result.saved_at}, except ${waiting} answer${waiting === 1 ? "" : "s"} to finish`
              : `Saved at ${result.saved_at}`,
            false,
          );
        } else if (response.status === 401) {
          stopped = true;
          say(
            "You have been signed out. Answers saved before then are kept: sign in again to carry on.",
            true,
          );
        } else if (response.status === 409) {
          stopped = true;
          say(result.message || "This return was changed elsewhere. Reload the page.", true);
        } else {
          dirty = true;
          say(`Not saved just now (we will try again). Last tried at ${nowText()}.`, true);
          timer = window.setTimeout(save, RETRY);
        }
      } catch (error) {
        dirty = true;
        say("Not saved just now: check your connection. We will try again.", true);
        timer = window.setTimeout(save, RETRY);
      } finally {
        inflight = null;
      }
    })();
    return inflight;
  }

  function changed() {
    if (stopped) return;
    dirty = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(save, DELAY);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);

  // A button press posts the whole page with the version it holds, so wait for a save in
  // flight to finish (and bring the version up to date) before letting it go.
  form.addEventListener("submit", (event) => {
    window.clearTimeout(timer);
    if (submitting) return;
    if (inflight) {
      event.preventDefault();
      const submitter = event.submitter;
      inflight.then(() => {
        submitting = true;
        form.requestSubmit(submitter);
      });
      return;
    }
    submitting = true;
  });

  const leaving = () => {
    if (!submitting && dirty) save({ keepalive: true });
  };
  window.addEventListener("pagehide", leaving);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") leaving();
  });
}
