"""The page of `seraug serve` in a real browser (headless Chromium driven by Selenium):
it loads with no outside resource, an uploaded recording's timeline shows the labels and
probabilities `seraug analyze` gives for the same file, the downloads are offered, and
the live mode streams a (fake) microphone and shows segments as they close. Saves
screenshots. Usage: serve_browser.py SERAUG REPO_ROOT OUTPUT_DIR (exit 77 when Selenium,
Chromium or the corpus is missing)."""
import json
import os
import subprocess
import sys
import wave

sys.path.insert(0, os.path.dirname(__file__))
from serve_support import Server  # noqa: E402

seraug, root, out = sys.argv[1], sys.argv[2], sys.argv[3]
corpus = os.environ.get("SERAUG_EMODB", os.path.join(root, "..", "shared", "data", "emodb"))
try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    print("serve_browser: python3-selenium is not installed; skipped")
    sys.exit(77)
if not (os.path.exists("/usr/bin/chromium") and os.path.exists("/usr/bin/chromedriver")):
    print("serve_browser: chromium / chromium-driver are not installed; skipped")
    sys.exit(77)
if not os.path.isdir(os.path.join(corpus, "wav")):
    print("serve_browser: EMO-DB not found; skipped")
    sys.exit(77)
os.makedirs(out, exist_ok=True)
model = os.path.join(root, "models", "emodb-is09-svm")

# A 20-second recording: EMO-DB clips with pauses (several segments, several labels).
record = os.path.abspath(os.path.join(out, "page_recording.wav"))
names = sorted(os.listdir(os.path.join(corpus, "wav")))[::40][:8]
frames = b""
for name in names:
    with wave.open(os.path.join(corpus, "wav", name)) as w:
        rate = w.getframerate()
        frames += w.readframes(w.getnframes()) + b"\0\0" * (rate // 2)
with wave.open(record, "wb") as w:
    w.setnchannels(1), w.setsampwidth(2), w.setframerate(rate), w.writeframes(frames)
cli = json.loads(subprocess.run([seraug, "analyze", model, record, "--format", "json", "-q"], check=True, capture_output=True,
                                text=True).stdout)
assert len(cli["segments"]) >= 4, cli

options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,1000", "--use-fake-ui-for-media-stream",
             "--use-fake-device-for-media-stream", "--use-file-for-fake-audio-capture=" + record]:
    options.add_argument(flag)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
server = Server(seraug, model, "-q")
driver = None
try:
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    driver.get(server.url)
    wait = WebDriverWait(driver, 30)
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#legend span")) == 5)
    assert "emodb-is09-svm" in driver.find_element(By.ID, "model").text

    # Upload: the table's rows are analyze's segments, to the 3 decimals shown.
    driver.find_element(By.ID, "file").send_keys(record)
    wait.until(lambda d: "segment(s) in" in d.find_element(By.ID, "status").text)
    rows = driver.find_elements(By.CSS_SELECTOR, "#segments-body tr")
    assert len(rows) == len(cli["segments"]), (len(rows), len(cli["segments"]))
    classes = cli["classes"]
    for row, want in zip(rows, cli["segments"]):
        cells = [td.text for td in row.find_elements(By.TAG_NAME, "td")]
        expected = [f"{want['start']:.3f}", f"{want['end']:.3f}", want["label"]] + [f"{want['probabilities'][c]:.3f}" for c in classes]
        assert cells[:len(expected)] == expected, (cells, expected)
    wait.until(lambda d: d.find_element(By.ID, "download-csv").get_attribute("href").startswith("blob:"))
    assert driver.find_element(By.ID, "download-json").get_attribute("href").startswith("blob:")
    driver.save_screenshot(os.path.join(out, "serve_page_upload.png"))
    shown = sorted({r.get_attribute("data-label") for r in rows})
    print("serve_browser: upload shows", len(rows), "segments, labels", shown, "= seraug analyze")

    # Live: the fake microphone plays the same recording; segments arrive while recording.
    driver.find_element(By.ID, "record").click()
    wait.until(lambda d: d.find_element(By.ID, "stop").is_enabled())  # the stream is open and the table cleared
    WebDriverWait(driver, 40).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#segments-body tr")) >= 2)
    driver.find_element(By.ID, "stop").click()
    wait.until(lambda d: d.find_element(By.ID, "status").text.startswith("Stopped"))
    live_rows = driver.find_elements(By.CSS_SELECTOR, "#segments-body tr")
    assert all(r.get_attribute("data-label") in classes for r in live_rows)
    driver.save_screenshot(os.path.join(out, "serve_page_live.png"))
    print("serve_browser: live mode showed", len(live_rows), "segments from the fake microphone")
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors  # a CSP violation or a script error would show here
except Exception:
    if driver:
        print("serve_browser: status:", driver.find_element(By.ID, "status").text, file=sys.stderr)
        print("serve_browser: console:", driver.get_log("browser"), file=sys.stderr)
        driver.save_screenshot(os.path.join(out, "serve_page_failure.png"))
    raise
finally:
    if driver:
        driver.quit()
    server.stop()
print("serve_browser: passed; screenshots in", out)
