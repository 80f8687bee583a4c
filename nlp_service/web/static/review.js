// nlp_service review UI: select claims, review them with the keyboard, jump to evidence.
// j / k: next / previous claim; a: accept; r: reject; e: edit (correct); Esc: leave a form.
(function () {
  "use strict";
  const text = document.getElementById("doc-text");
  if (!text) { return; }
  const claims = Array.from(text.querySelectorAll("mark.claim"));
  const panel = document.getElementById("claim-panel");
  const form = document.getElementById("review-form");
  let current = -1;

  const KINDS = { count: "数量", money: "金额", percent: "比率", score: "分值", duration: "时长", measure: "计量" };

  // scroll inside the text pane only, so the page header and the side panels stay where they are
  function scrollIntoText(el) {
    const pane = text.getBoundingClientRect();
    const box = el.getBoundingClientRect();
    text.scrollTop += (box.top - pane.top) - text.clientHeight / 2;
  }

  function field(name) { return panel.querySelector('[data-field="' + name + '"]'); }

  function lightArguments(mark, on) {
    text.querySelectorAll('span.arg[data-arg-of="' + mark.dataset.id + '"]').forEach(function (el) {
      el.classList.toggle("lit", on);
    });
  }

  function tooltip(mark) {
    const d = mark.dataset;
    const parts = ["数值：" + (d.value || "—"), "单位：" + (d.unit || "—"), "对象：" + (d.object || "—"),
      "谓词：" + (d.predicate || "—"), d.linked === "1" ? "已关联指标" : "未关联指标"];
    if (d.flagged === "1") { parts.push("有审查发现"); }
    return parts.join("；");
  }

  function showClaim(mark) {
    if (!panel) { return; }
    const values = {
      id: mark.dataset.id, text: mark.textContent, kind: KINDS[mark.dataset.kind] || mark.dataset.kind,
      value: mark.dataset.value || "—", unit: mark.dataset.unit || "—",
      object: mark.dataset.object || "—", predicate: mark.dataset.predicate || "—",
      linked: mark.dataset.linked === "1" ? "已关联指标" : "未关联指标",
      flagged: mark.dataset.flagged === "1" ? "有审查发现" : "无",
      status: ({ accepted: "已接受", rejected: "已驳回", corrected: "已更正" })[mark.dataset.status] || "未审核",
      offsets: mark.dataset.start + "–" + mark.dataset.end,
    };
    Object.keys(values).forEach(function (name) {
      const el = field(name);
      if (el) { el.textContent = values[name]; }
    });
    panel.hidden = false;
    if (form) {
      form.setAttribute("action", form.dataset.base + encodeURIComponent(mark.dataset.id) + "/review");
      form.elements["value"].value = mark.dataset.value || "";
      form.elements["unit"].value = mark.dataset.unit || "";
      form.elements["object"].value = mark.dataset.object || "";
      form.elements["predicate"].value = mark.dataset.predicate || "";
      form.elements["reason"].value = "";
      setMode("");
    }
  }

  function select(index) {
    if (claims.length === 0) { return; }
    index = Math.max(0, Math.min(claims.length - 1, index));
    if (current >= 0) { claims[current].classList.remove("current"); lightArguments(claims[current], false); }
    current = index;
    const mark = claims[current];
    mark.classList.add("current");
    lightArguments(mark, true);
    scrollIntoText(mark);
    showClaim(mark);
    history.replaceState(null, "", "#" + mark.id);
  }

  function setMode(mode) {
    if (!form) { return; }
    form.elements["action"].value = mode || "accept";
    form.querySelector(".fields").hidden = mode !== "correct";
    form.querySelector(".reason").hidden = mode === "";
    form.dataset.mode = mode;
  }

  function defaultReason(action) {
    return ({ accept: "核对无误", reject: "不是有效的数量陈述", correct: "更正抽取结果" })[action];
  }

  function submitReview(action) {
    if (!form || current < 0) { return; }
    form.elements["action"].value = action;
    if (!form.elements["reason"].value.trim()) { form.elements["reason"].value = defaultReason(action); }
    const mark = claims[current];
    const body = new FormData(form);
    fetch(form.getAttribute("action"), { method: "POST", body: body, headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { return response.text().then(function (t) { throw new Error(response.status + " " + t); }); }
        return response.json();
      })
      .then(function (result) {
        mark.classList.remove("review-accepted", "review-rejected", "review-corrected");
        mark.classList.add("review-" + result.status);
        mark.dataset.status = result.status;
        ["value", "unit", "object", "predicate"].forEach(function (name) {
          if (result.claim && name in result.claim) { mark.dataset[name] = result.claim[name] === null ? "" : result.claim[name]; }
        });
        mark.title = tooltip(mark);
        const done = document.getElementById("reviewed-count");
        if (done && typeof result.reviewed === "number") { done.textContent = result.reviewed; }
        flash("已保存：" + mark.dataset.id + " " + ({ accepted: "已接受", rejected: "已驳回", corrected: "已更正" })[result.status], false);
        select(current + 1);
      })
      .catch(function (error) { flash("保存失败：" + error.message, true); });
  }

  function flash(message, isError) {
    const box = document.getElementById("review-flash");
    if (!box) { return; }
    box.textContent = message;
    box.className = "flash" + (isError ? " error" : "");
    box.hidden = false;
  }

  claims.forEach(function (mark, index) {
    mark.addEventListener("click", function () { select(index); });
    mark.addEventListener("mouseenter", function () { lightArguments(mark, true); });
    mark.addEventListener("mouseleave", function () { if (index !== current) { lightArguments(mark, false); } });
  });

  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submitReview(form.elements["action"].value);
    });
    form.elements["reason"].addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        submitReview(form.dataset.mode || "accept");
      }
    });
    form.querySelectorAll("button[data-action]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        const action = button.dataset.action;
        if (action === "accept") { submitReview("accept"); return; }
        if (form.dataset.mode === action) { submitReview(action); return; }
        setMode(action);
        (action === "correct" ? form.elements["value"] : form.elements["reason"]).focus();
      });
    });
  }

  document.addEventListener("keydown", function (event) {
    const typing = event.target.closest && event.target.closest("input, textarea, select");
    if (event.key === "Escape") { if (typing) { event.target.blur(); } setMode(""); return; }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.key === "j") { select(current + 1); event.preventDefault(); }
    else if (event.key === "k") { select(current - 1); event.preventDefault(); }
    else if (form && current >= 0 && event.key === "a") { submitReview("accept"); event.preventDefault(); }
    else if (form && current >= 0 && event.key === "r") { setMode("reject"); form.elements["reason"].focus(); event.preventDefault(); }
    else if (form && current >= 0 && event.key === "e") { setMode("correct"); form.elements["value"].focus(); event.preventDefault(); }
  });

  // indicator rows and finding evidence scroll to their place in the text
  document.querySelectorAll("[data-scroll-to]").forEach(function (el) {
    el.addEventListener("click", function () {
      const target = document.getElementById(el.dataset.scrollTo);
      if (!target) { return; }
      document.querySelectorAll(".lit").forEach(function (lit) { if (lit.classList.contains("evidence")) { lit.classList.remove("lit"); } });
      const index = claims.indexOf(target);
      if (index >= 0) { select(index); return; }
      target.classList.add("lit");
      if (text.contains(target)) { scrollIntoText(target); } else { target.scrollIntoView({ block: "nearest" }); }
    });
  });

  const fromHash = location.hash ? document.getElementById(location.hash.slice(1)) : null;
  if (fromHash && claims.indexOf(fromHash) >= 0) { select(claims.indexOf(fromHash)); }
})();

// job page: poll until the job is finished, then go to the document
(function () {
  "use strict";
  const job = document.getElementById("job");
  if (!job || job.dataset.finished === "1") { return; }
  const timer = setInterval(function () {
    fetch(job.dataset.poll, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (state) {
        document.getElementById("job-status").textContent = state.label;
        if (state.finished) {
          clearInterval(timer);
          if (state.status === "done") { location.href = job.dataset.document; } else { location.reload(); }
        }
      });
  }, 700);
})();
