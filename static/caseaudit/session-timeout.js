// Warns a signed-in person before the server ends their session for inactivity, and lets them
// stay signed in. Markup: templates/includes/session_timeout.html (a native <dialog>), settings
// in its data attributes. Without JavaScript nothing shows and the server still ends the session.
//
// The server is the clock that counts: before warning, and again each minute while the warning is
// open, we ask it how long is left (a passive request that does not extend the session), so
// activity in another tab is respected.

const SECOND = 1000;
const MINUTE = 60;
// A session that the server says has no time left may live on for a moment (it is saved just after
// the request that last touched it), so we ask again shortly rather than call it ended too soon.
const RECHECK_AFTER_END = 3 * SECOND;
const RECHECKS_AFTER_END = 5;
// When the server cannot be reached we keep counting down on our own and try again.
const RETRY_AFTER_FAILURE = 30 * SECOND;

function wholeSeconds(value, fallback) {
  const parsed = Number.parseInt(value, 10);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
}

function describe(secondsLeft) {
  const minutes = Math.max(1, Math.ceil(secondsLeft / MINUTE));
  return `We will sign you out in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
}

export function initSessionTimeout(dialog) {
  if (!dialog || typeof dialog.showModal !== "function" || !window.fetch) {
    return;
  }
  const timeout = wholeSeconds(dialog.dataset.timeoutSeconds, 30 * MINUTE);
  const warning = Math.min(wholeSeconds(dialog.dataset.warningSeconds, 2 * MINUTE), timeout);
  const { statusUrl, extendUrl, timedOutUrl } = dialog.dataset;
  const countdown = dialog.querySelector("#session-timeout-countdown");
  const stayButton = dialog.querySelector("[data-timeout-action='stay']");
  const csrfMeta = document.querySelector("meta[name='csrf-token']");

  let deadline = Date.now() + timeout * SECOND; // when the server will end the session
  let checkTimer = null;
  let tickTimer = null;
  let shownText = "";
  let recheckCount = 0;
  let returnFocusTo = null;
  let closingOurselves = false;

  const secondsLeft = () => Math.max(0, Math.round((deadline - Date.now()) / SECOND));

  function checkIn(milliseconds) {
    window.clearTimeout(checkTimer);
    checkTimer = window.setTimeout(check, Math.max(0, milliseconds));
  }

  function schedule(serverSecondsLeft) {
    deadline = Date.now() + serverSecondsLeft * SECOND;
    recheckCount = 0;
    checkIn((serverSecondsLeft - warning) * SECOND);
  }

  function timedOut() {
    window.clearTimeout(checkTimer);
    window.clearInterval(tickTimer);
    // Back to this page after signing in again (the server checks the address is ours).
    const here = window.location.pathname + window.location.search;
    window.location.assign(`${timedOutUrl}?next=${encodeURIComponent(here)}`);
  }

  function updateCountdown() {
    // The live region changes once a minute at most, so screen readers are not flooded.
    const text = describe(secondsLeft());
    if (text !== shownText) {
      shownText = text;
      countdown.textContent = text;
    }
  }

  function tick() {
    if (secondsLeft() <= 0) {
      window.clearInterval(tickTimer);
      check();
      return;
    }
    const before = shownText;
    updateCountdown();
    if (shownText !== before) {
      check(); // a minute has passed: has the person been active in another tab?
    }
  }

  function open() {
    if (dialog.open) {
      return;
    }
    shownText = "";
    updateCountdown();
    returnFocusTo = document.activeElement;
    dialog.showModal();
    dialog.focus();
    window.clearInterval(tickTimer);
    tickTimer = window.setInterval(tick, SECOND);
  }

  function close() {
    window.clearInterval(tickTimer);
    if (dialog.open) {
      closingOurselves = true; // the close event comes later, as a task
      dialog.close();
      if (returnFocusTo && typeof returnFocusTo.focus === "function") {
        returnFocusTo.focus();
      }
    }
  }

  async function request(url, options) {
    const response = await window.fetch(url, {
      method: (options && options.method) || "GET",
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json", ...((options && options.headers) || {}) },
    });
    if (response.status === 401 || response.status === 403) {
      return { signed_in: false, seconds_left: 0 };
    }
    if (!response.ok) {
      throw new Error(`${url} answered ${response.status}`);
    }
    return response.json();
  }

  async function check() {
    let status;
    try {
      status = await request(statusUrl);
    } catch {
      if (secondsLeft() <= 0) {
        timedOut();
      } else {
        if (secondsLeft() <= warning) {
          open();
        }
        checkIn(Math.min(RETRY_AFTER_FAILURE, secondsLeft() * SECOND));
      }
      return;
    }
    if (!status.signed_in) {
      timedOut();
      return;
    }
    const left = status.seconds_left;
    if (left <= 0) {
      recheckCount += 1;
      if (recheckCount > RECHECKS_AFTER_END) {
        timedOut();
      } else {
        checkIn(RECHECK_AFTER_END);
      }
      return;
    }
    deadline = Date.now() + left * SECOND;
    if (left > warning) {
      close();
      schedule(left);
    } else {
      open();
      checkIn(left * SECOND);
    }
  }

  async function staySignedIn() {
    stayButton.disabled = true;
    try {
      const status = await request(extendUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrfMeta ? csrfMeta.content : "" },
      });
      if (!status.signed_in) {
        timedOut();
        return;
      }
      close();
      schedule(status.seconds_left || timeout);
    } catch {
      // Could not reach the server: keep the warning up; it will try again.
      checkIn(Math.min(RETRY_AFTER_FAILURE, secondsLeft() * SECOND));
    } finally {
      stayButton.disabled = false;
    }
  }

  stayButton.addEventListener("click", staySignedIn);
  // Esc means "stay signed in": the dialog must not simply vanish with the clock still running.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    staySignedIn();
  });
  // A browser may close a modal on its own (a second Esc); treat that as "stay signed in" too.
  dialog.addEventListener("close", () => {
    if (closingOurselves) {
      closingOurselves = false;
      return;
    }
    staySignedIn();
  });
  // Timers sleep with the laptop lid shut: ask again as soon as the page is looked at.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && secondsLeft() <= warning) {
      check();
    }
  });

  schedule(timeout);
}
