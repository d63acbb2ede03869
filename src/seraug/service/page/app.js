// The page of `seraug serve`: uploads a recording to /api/analyze, or streams the
// microphone to /api/streams, and shows the timeline as segments arrive.
"use strict";

const state = { token: "", model: null, segments: [], endSeconds: 0, file: null, json: "" };
const $ = (id) => document.getElementById(id);

function api(path, options = {}) {
  const headers = Object.assign({}, options.headers || {});
  if (state.token) headers.Authorization = "Bearer " + state.token;
  return fetch(path, Object.assign({}, options, { headers }));
}

async function failure(response) {
  try { return (await response.json()).error || response.statusText; } catch (e) { return response.statusText; }
}

function say(text, isError) {
  $("status").textContent = text;
  $("status").classList.toggle("error", !!isError);
}

async function loadModel() {
  const response = await api("/api/model");
  if (response.status === 401) { $("token-box").hidden = false; say("Enter the server's token to start."); return; }
  if (!response.ok) { say("Could not read the model: " + (await failure(response)), true); return; }
  state.model = await response.json();
  const m = state.model;
  const rows = [["model", m.name], ["classes", m.classes.join(", ")],
    ["recipe", `${m.feature_set}, ${m.normalization} norm, ${m.classifier} ${m.hyperparameters}, ${m.columns} columns`],
    ["segments", `VAD ${m.settings.vad}, hangover ${m.settings.hangover_s} s, ${m.settings.min_segment_s}–${m.settings.max_segment_s} s`]];
  $("model").replaceChildren(...rows.flatMap(([k, v]) => {
    const dt = document.createElement("dt"); dt.textContent = k;
    const dd = document.createElement("dd"); dd.textContent = v;
    if (k === "model") dd.id = "model-name";
    return [dt, dd];
  }));
  $("legend").replaceChildren(...m.classes.map((c) => {
    const span = document.createElement("span");
    span.textContent = c;
    span.style.setProperty("--c", classColour(m.classes, c));
    return span;
  }));
  const head = ["start", "end", "label", ...m.classes.map((c) => "p_" + c), "flags"];
  $("segments-head").replaceChildren(...head.map((h) => { const th = document.createElement("th"); th.textContent = h; return th; }));
}

function segmentRow(s) {
  const tr = document.createElement("tr");
  tr.dataset.label = s.label;
  const cells = [s.start.toFixed(3), s.end.toFixed(3), s.label, ...state.model.classes.map((c) => s.probabilities[c].toFixed(3)), s.flags.join("|")];
  for (const text of cells) { const td = document.createElement("td"); td.textContent = text; tr.appendChild(td); }
  return tr;
}

function render() {
  $("result").hidden = false;
  drawTimeline($("timeline"), state.model.classes, state.segments, state.endSeconds);
}

function addSegments(segments) {
  for (const s of segments) {
    state.segments.push(s);
    $("segments-body").appendChild(segmentRow(s));
  }
  render();
}

function reset() {
  state.segments = [];
  state.endSeconds = 0;
  $("segments-body").replaceChildren();
  for (const id of ["download-json", "download-csv"]) $(id).href = "#";
}

function setDownload(id, text, type) {
  const link = $(id);
  if (link.href.startsWith("blob:")) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(new Blob([text], { type }));
}

async function analyzeFile(file) {
  if (!state.model) return;
  reset();
  state.file = file;
  say(`Analysing ${file.name} (${(file.size / 1e6).toFixed(1)} MB)…`);
  const bytes = await file.arrayBuffer();
  const query = (format) => `/api/analyze?format=${format}&name=${encodeURIComponent(file.name)}`;
  const response = await api(query("json"), { method: "POST", body: bytes, headers: { "Content-Type": "application/octet-stream" } });
  if (!response.ok) { say(`${file.name}: ${await failure(response)} (HTTP ${response.status})`, true); return; }
  const text = await response.text();
  const timeline = JSON.parse(text);
  state.endSeconds = timeline.recordings.length ? timeline.recordings[0].seconds : 0;
  addSegments(timeline.segments);
  setDownload("download-json", text, "application/json");
  $("download-json").download = file.name.replace(/\.[^.]*$/, "") + ".timeline.json";
  say(`${file.name}: ${timeline.segments.length} segment(s) in ${state.endSeconds.toFixed(1)} s of audio.`);
  $("timeline").dataset.source = file.name;
  const csv = await api(query("csv"), { method: "POST", body: bytes, headers: { "Content-Type": "application/octet-stream" } });
  if (csv.ok) {
    setDownload("download-csv", await csv.text(), "text/csv");
    $("download-csv").download = file.name.replace(/\.[^.]*$/, "") + ".timeline.csv";
  }
}

// Live mode: microphone -> worklet -> 16-bit PCM every 250 ms -> /api/streams/<id>.
const live = { context: null, source: null, node: null, stream: null, id: null, pending: [], chain: Promise.resolve(), timer: null };

function pcmBytes(blocks) {
  const total = blocks.reduce((n, b) => n + b.length, 0);
  const out = new Int16Array(total);
  let at = 0;
  for (const b of blocks) for (let i = 0; i < b.length; ++i) out[at++] = Math.max(-32768, Math.min(32767, Math.round(b[i] * 32768)));
  return out.buffer;
}

function send(path, options) {
  live.chain = live.chain.then(async () => {
    const response = await api(path, options);
    if (!response.ok) { say("Live analysis: " + (await failure(response)), true); return; }
    const reply = await response.json();
    state.endSeconds = reply.seconds;
    addSegments(reply.segments);
    $("live").dataset.seconds = reply.seconds.toFixed(1);
  });
  return live.chain;
}

function flushLive() {
  if (!live.id || live.pending.length === 0) return;
  const body = pcmBytes(live.pending);
  live.pending = [];
  send(`/api/streams/${live.id}`, { method: "POST", body, headers: { "Content-Type": "application/octet-stream" } });
}

async function startLive() {
  if (!state.model) return;
  try {
    live.stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
  } catch (e) { say("No microphone: " + e.message, true); return; }
  live.context = new AudioContext();
  await live.context.audioWorklet.addModule("/capture-worklet.js");
  const rate = Math.round(live.context.sampleRate);
  const response = await api(`/api/streams?sample_rate=${rate}`, { method: "POST" });
  if (!response.ok) { say("Live analysis: " + (await failure(response)), true); stopTracks(); return; }
  live.id = (await response.json()).id;
  reset();
  live.source = live.context.createMediaStreamSource(live.stream);
  live.node = new AudioWorkletNode(live.context, "seraug-capture");
  live.node.port.onmessage = (e) => live.pending.push(e.data);
  live.source.connect(live.node);
  live.timer = setInterval(flushLive, 250);
  $("record").classList.add("on");
  $("record").disabled = true;
  $("stop").disabled = false;
  say(`Listening at ${rate} Hz; segments appear as each stretch of speech ends.`);
  render();
}

function stopTracks() {
  if (live.stream) live.stream.getTracks().forEach((t) => t.stop());
  if (live.context) live.context.close();
  live.stream = live.context = null;
}

async function stopLive() {
  clearInterval(live.timer);
  if (live.source) live.source.disconnect();
  flushLive();
  stopTracks();
  const id = live.id;
  live.id = null;
  if (id) await send(`/api/streams/${id}`, { method: "DELETE" });
  $("record").classList.remove("on");
  $("record").disabled = false;
  $("stop").disabled = true;
  setDownload("download-json", JSON.stringify({ model: state.model.name, classes: state.model.classes, segments: state.segments }, null, 2), "application/json");
  say(`Stopped: ${state.segments.length} segment(s) in ${state.endSeconds.toFixed(1)} s of audio.`);
}

function wire() {
  const drop = $("drop");
  $("file").addEventListener("change", (e) => { if (e.target.files.length) analyzeFile(e.target.files[0]); });
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    if (e.dataTransfer.files.length) analyzeFile(e.dataTransfer.files[0]);
  });
  $("record").addEventListener("click", startLive);
  $("stop").addEventListener("click", stopLive);
  $("token-use").addEventListener("click", () => { state.token = $("token").value; $("token-box").hidden = true; loadModel(); });
  loadModel();
}

document.addEventListener("DOMContentLoaded", wire);
