#!/usr/bin/env python3
"""Browser tests of the Setup, Jobs and Files tabs of `rescale-int ui`, against `rescale-sim` (headless chromium).

Run by scripts/test after Tests/ui/test_ui.py (or alone: `python3 Tests/ui/test_ui_tabs.py`, after a build). It starts
`.build/debug/rescale-sim` and `.build/debug/rescale-int ui STUDY --no-open` with an empty configuration, then in one
browser session:
  - Setup: stores the emulator's URL and key through the form (the page shows the key masked and never holds it;
    the key file is mode 600, the config.csv has the workers), and Test Connection shows the user;
  - Files: uploads a study file into a new Rescale folder and downloads it back into a subdirectory (both listed,
    the transfers done with their rate), and a path through a link out of the study directory is refused (403);
  - Jobs: finds a running job (submitted with `rescale-int jobs submit`), tails its log, is refused deleting it
    (confirm dialog, reason shown), stops it, and sees it end.
Screenshots of the three tabs go to .build/ui-screenshots/ (and docs/ with --update-docs). Exits 1 on a failure.
"""
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_ui import Failure, check, fetch_status, make_browser, shoot, show_tab, wait, ROOT, BINARY, SHOTS  # noqa

from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

SIM = os.path.join(ROOT, ".build", "debug", "rescale-sim")
KEY = "ui-tabs-key-0123456789"
PAYLOAD = bytes((i * 7919 >> 3) & 0xFF for i in range(300_000))


def start_sim():
    sim = subprocess.Popen([SIM, "--port", "0", "--api-key", KEY, "--time-scale", "100", "--exit-on-stdin-eof"],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = sim.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:\d+", line or "")
    if not match:
        sim.kill()
        raise Failure("rescale-sim printed no URL: %r" % line)
    return sim, match.group(0)


def start_ui(study, env):
    server = subprocess.Popen([BINARY, "ui", study, "--no-open"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=env, text=True)
    deadline = time.time() + 20
    while time.time() < deadline:
        line = server.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:(\d+))/\?token=\w+", line or "")
        if match:
            return server, match.group(0), match.group(1), int(match.group(2))
        if server.poll() is not None:
            raise Failure("rescale-int ui exited: " + server.stderr.read())
    raise Failure("rescale-int ui printed no URL within 20 s")


def submit_running_job(root, env):
    """A job that runs until the test ends, submitted by the CLI; returns its id."""
    gate = os.path.join(root, "gate")
    body = {"name": "ui-long-job", "isLowPriority": False, "jobanalyses": [{
        "command": "echo started; for i in $(seq 1200); do [ -e '%s' ] && break; sleep 0.05; done" % gate,
        "analysis": {"code": "user_included", "version": "0"},
        "hardware": {"coreType": {"code": "emerald"}, "coresPerSlot": 1}}]}
    path = os.path.join(root, "job.json")
    with open(path, "w") as f:
        json.dump(body, f)
    result = subprocess.run([BINARY, "jobs", "submit", "-f", path, "--json"], env=env, capture_output=True,
                            text=True, timeout=30)
    check(result.returncode == 0, "jobs submit failed: " + result.stderr)
    return json.loads(result.stdout)[0]["id"]


def text(driver, element_id):
    """The element's text; "" while the tab re-renders it (stale or not there yet)."""
    try:
        return driver.find_element(By.ID, element_id).text
    except (StaleElementReferenceException, NoSuchElementException):
        return ""


def settle(condition):
    """A wait condition that reads a re-rendered page: a stale or missing element counts as not yet."""
    def check_now(driver):
        try:
            return condition(driver)
        except (StaleElementReferenceException, NoSuchElementException, AttributeError):
            return False
    return check_now


def wait_for(driver, condition, seconds, message):
    return wait(driver, settle(condition), seconds, message)


def click(driver, find, message):
    """Clicks what `find(driver)` returns, finding it again when the tab re-rendered it meanwhile."""
    wait_for(driver, lambda d: find(d).click() or True, 5, message)


def setup_tab(driver, sim_url, config):
    show_tab(driver, "setup")
    wait_for(driver, lambda d: d.find_elements(By.ID, "setup-form"), 10, "the Setup form did not load")
    check("No key is set" in driver.find_element(By.ID, "setup-form").text, "a key is shown before one is set")
    url = driver.find_element(By.ID, "setup-url")
    url.clear()
    url.send_keys(sim_url)
    if not driver.find_element(By.ID, "setup-insecure").is_selected():
        driver.find_element(By.ID, "setup-insecure").click()
    driver.find_element(By.ID, "setup-key").send_keys(KEY)
    tar = driver.find_element(By.ID, "setup-tar-workers")
    tar.clear()
    tar.send_keys("6")
    driver.find_element(By.ID, "setup-apply").click()
    wait_for(driver, lambda d: "Saved profile default" in text(d, "setup-status"), 10,
         "Apply Changes did not save: " + text(driver, "setup-status"))
    check("****6789" in driver.find_element(By.ID, "setup-form").text, "the key is not shown masked")
    check(KEY not in driver.page_source, "the page holds the whole key")
    key_file = os.path.join(config, "rescale-int", "profiles", "default.apikey")
    check(stat.S_IMODE(os.stat(key_file).st_mode) == 0o600, "the key file is not mode 600")
    with open(os.path.join(config, "rescale", "config.csv")) as f:
        check("tar_workers,6" in f.read(), "the config.csv lacks tar_workers,6")
    driver.find_element(By.ID, "setup-test").click()
    wait_for(driver, lambda d: "Connected" in text(d, "setup-test-result"), 10,
         "Test Connection failed: " + text(driver, "setup-test-result"))
    check("ada@example.com" in text(driver, "setup-test-result"), "Test Connection does not name the user")
    shoot(driver, "setup")


def row(driver, side, name):
    rows = driver.find_elements(By.CSS_SELECTOR, "#files-%s-rows tr[data-name='%s']" % (side, name))
    return rows[0] if rows else None


def files_tab(driver, study):
    show_tab(driver, "files")
    wait_for(driver, lambda d: row(d, "local", "model.bin") and d.find_elements(By.CSS_SELECTOR, "#files-remote-path button"),
         10, "the Files tab did not list both sides")
    wait_for(driver, lambda d: row(d, "local", "outside").get_attribute("data-kind") == "link", 5,
             "the link is not shown as a link")
    check(fetch_status(driver, "/api/files/local?path=outside", {}) == 403, "a link out of the study: not 403")
    check(fetch_status(driver, "/api/files/local?path=..", {}) == 400, "'..': not 400")
    driver.find_element(By.ID, "files-remote-new").send_keys("ui-inbox")
    driver.find_element(By.CSS_SELECTOR, "#files-remote form button[type=submit]").click()
    wait_for(driver, lambda d: row(d, "remote", "ui-inbox"), 10, "the new Rescale folder is not listed")
    click(driver, lambda d: row(d, "remote", "ui-inbox").find_element(By.CSS_SELECTOR, "button[data-action=open]"),
          "cannot open the Rescale folder")
    wait_for(driver, lambda d: "ui-inbox" in text(d, "files-remote-path"), 10, "the folder did not open")
    click(driver, lambda d: row(d, "local", "model.bin").find_element(By.CSS_SELECTOR, "button[data-action=upload]"),
          "cannot click Upload")
    wait_for(driver, lambda d: "Uploaded model.bin" in text(d, "files-message"), 20,
         "the upload did not finish: " + text(driver, "files-message"))
    wait_for(driver, lambda d: row(d, "remote", "model.bin"), 10, "the uploaded file is not listed on Rescale")
    click(driver, lambda d: row(d, "local", "sub").find_element(By.CSS_SELECTOR, "button[data-action=open]"),
          "cannot open the local subdirectory")
    wait_for(driver, lambda d: "sub" in text(d, "files-local-path") and not row(d, "local", "model.bin"), 10,
         "the local subdirectory did not open (or kept the old rows)")
    click(driver, lambda d: row(d, "remote", "model.bin").find_element(By.CSS_SELECTOR, "button[data-action=download]"),
          "cannot click Download")
    wait_for(driver, lambda d: "Downloaded model.bin" in text(d, "files-message"), 20,
         "the download did not finish: " + text(driver, "files-message"))
    wait_for(driver, lambda d: row(d, "local", "model.bin"), 10, "the downloaded file is not listed locally")
    with open(os.path.join(study, "sub", "model.bin"), "rb") as f:
        check(f.read() == PAYLOAD, "the downloaded file differs from the uploaded one")
    states = driver.execute_script(
        "return Array.from(document.querySelectorAll('#files-transfer-rows tr')).map(r => r.dataset.state)")
    check(states[:2] == ["done", "done"], "the transfers are not both done: %s" % states)
    check("/s" in text(driver, "files-transfers"), "the transfers show no rate")
    shoot(driver, "files")


def job_row(driver, job):
    rows = driver.find_elements(By.CSS_SELECTOR, "#jobs-rows tr[data-job='%s']" % job)
    return rows[0] if rows else None


def jobs_tab(driver, job):
    show_tab(driver, "jobs")

    def refreshed_status(d):
        d.find_element(By.ID, "jobs-refresh").click()
        time.sleep(0.2)
        found = job_row(d, job)
        return found.text if found else ""
    wait_for(driver, lambda d: "Executing" in refreshed_status(d), 20, "the job never showed Executing")
    Select(driver.find_element(By.ID, "jobs-status")).select_by_value("Executing")
    wait_for(driver, lambda d: job_row(d, job) and len(d.find_elements(By.CSS_SELECTOR, "#jobs-rows tr")) == 1, 10,
         "the status filter does not keep only the running job")
    click(driver, lambda d: job_row(d, job).find_element(By.CSS_SELECTOR, "button.link"), "cannot open the job")
    wait_for(driver, lambda d: d.find_elements(By.ID, "jobs-follow"), 10, "the job's details did not open")
    driver.find_element(By.ID, "jobs-follow").click()
    wait_for(driver, lambda d: "started" in text(d, "jobs-log"), 15, "the live log did not show the job's line")
    click(driver, lambda d: job_row(d, job).find_element(By.CSS_SELECTOR, "button[data-action=delete]"),
          "cannot click Delete")
    wait_for(driver, lambda d: d.find_elements(By.ID, "jobs-confirm-delete"), 5, "no confirmation dialog")
    driver.find_element(By.ID, "jobs-confirm-delete").click()
    wait_for(driver, lambda d: "Not deleted" in text(d, "jobs-message"), 10, "deleting a running job was not refused")
    check("is Executing" in text(driver, "jobs-message"), "the refusal has no reason: " + text(driver, "jobs-message"))
    shoot(driver, "jobs")
    click(driver, lambda d: job_row(d, job).find_element(By.CSS_SELECTOR, "button[data-action=stop]"),
          "cannot click Stop")
    wait_for(driver, lambda d: "Stop requested" in text(d, "jobs-message"), 10, "Stop was not requested")
    Select(driver.find_element(By.ID, "jobs-status")).select_by_value("")
    wait_for(driver, lambda d: "Completed" in refreshed_status(d), 20, "the stopped job never ended")


def main():
    update_docs = "--update-docs" in sys.argv
    check(os.access(BINARY, os.X_OK) and os.access(SIM, os.X_OK), "build first: the binaries are missing")
    started = time.time()
    root = tempfile.mkdtemp(prefix="interlink-ui-tabs-")
    study = os.path.join(root, "study")
    os.makedirs(os.path.join(study, "sub"))
    with open(os.path.join(study, "model.bin"), "wb") as f:
        f.write(PAYLOAD)
    os.symlink("/etc", os.path.join(study, "outside"))
    config = os.path.join(root, "config")
    sim, sim_url = start_sim()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RESCALE_")}
    env.update(XDG_CONFIG_HOME=config, XDG_STATE_HOME=os.path.join(root, "state"), RESCALE_INSECURE_API_HOST="1",
               INTERLINK_STATE_DIR=os.path.join(root, "state"), NO_COLOR="1")
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    server, login, base, port = start_ui(study, env)
    driver = None
    try:
        cli_env = dict(env, RESCALE_API_URL=sim_url, RESCALE_API_KEY=KEY, RESCALE_INSECURE_API_HOST="1")
        job = submit_running_job(root, cli_env)
        driver = make_browser(port)
        driver.set_script_timeout(10)
        driver.get(login)
        wait_for(driver, lambda d: d.find_elements(By.ID, "tab-button-setup"), 10, "the page did not load")
        setup_tab(driver, sim_url, config)
        files_tab(driver, study)
        jobs_tab(driver, job)
        if update_docs:
            for name in ["setup", "jobs", "files"]:
                shutil.copy(os.path.join(SHOTS, "ui-%s.png" % name), os.path.join(ROOT, "docs", "ui-%s.png" % name))
        print("ui tabs: Setup, Files and Jobs passed in %.1f s; screenshots in %s" % (time.time() - started, SHOTS))
        return 0
    except Failure as failure:
        if driver is not None:
            print("ui tabs: FAILED: %s (screenshot: %s)" % (failure, shoot(driver, "tabs-failure")), file=sys.stderr)
        else:
            print("ui tabs: FAILED: %s" % failure, file=sys.stderr)
        return 1
    finally:
        if driver is not None:
            driver.quit()
        open(os.path.join(root, "gate"), "w").close()
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        sim.stdin.close()
        try:
            sim.wait(timeout=10)
        except subprocess.TimeoutExpired:
            sim.kill()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
