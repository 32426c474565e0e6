// The attendance register: each tap saves its mark at once (JSON with the CSRF token); without this
// file every button posts its form. A mark that cannot be sent (no connection) is kept and sent again
// when the connection returns; a refused mark says why, and no other mark is touched.
document.addEventListener("DOMContentLoaded", () => {
  const list = document.querySelector(".register");
  if (!list) return;
  const status = document.getElementById("register-status");
  const reasonField = document.getElementById("amend-reason");
  const reasonBox = document.getElementById("amend-reason-field");
  if (reasonBox) reasonBox.hidden = false; // one reason for the changes made here (without script: one per row)
  const pending = new Map(); // enrolment id -> body not yet saved
  const inFlight = new Set(); // enrolment ids being sent now (a retry waits for the answer)

  function show(form, text, kind) {
    const out = form.querySelector(".result");
    out.textContent = text;
    out.className = "result " + kind;
  }

  function press(form, value) {
    form.querySelectorAll("button.mark").forEach((b) => b.setAttribute("aria-pressed", String(b.value === value)));
  }

  async function send(form, body) {
    const row = form.closest(".register-row");
    inFlight.add(body.enrolment_id);
    try {
      const response = await fetch(list.dataset.url, {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": list.dataset.csrf, "Accept": "application/json"},
        body: JSON.stringify(body),
      });
      const answer = await response.json().catch(() => ({}));
      if (response.ok) {
        pending.delete(body.enrolment_id);
        row.classList.remove("pending");
        show(form, list.dataset.saved, "saved");
        form.dataset.saved = body.status;
      } else {
        pending.delete(body.enrolment_id);
        row.classList.remove("pending");
        press(form, form.dataset.saved || "");
        const error = answer.error || {};
        const why = error.fields ? Object.values(error.fields).join(" ") : (error.message || "");
        show(form, list.dataset.failed + (why ? ": " + why : ""), "failed");
      }
    } catch (error) {
      pending.set(body.enrolment_id, {form, body});
      row.classList.add("pending");
      show(form, list.dataset.offline, "failed");
    } finally {
      inFlight.delete(body.enrolment_id);
    }
    status.textContent = pending.size ? list.dataset.offline + " (" + pending.size + ")" : "";
  }

  list.querySelectorAll("form.mark-form").forEach((form) => {
    const current = form.querySelector('button.mark[aria-pressed="true"]');
    form.dataset.saved = current ? current.value : "";
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const button = event.submitter;
      if (!button || !button.value) return;
      press(form, button.value);
      const body = {enrolment_id: form.querySelector('[name="enrolment_id"]').value, status: button.value};
      if (reasonField && reasonField.value.trim()) body.reason = reasonField.value.trim();
      send(form, body);
    });
  });

  window.addEventListener("online", () => {
    for (const {form, body} of Array.from(pending.values())) {
      if (!inFlight.has(body.enrolment_id)) send(form, body);
    }
  });
});
