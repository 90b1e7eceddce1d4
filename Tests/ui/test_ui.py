#!/usr/bin/env python3
"""Browser tests of `rescale-int ui`: headless Debian chromium driven by selenium, against the real server.

Run by scripts/test after `swift test` (or alone: `python3 Tests/ui/test_ui.py`, after a build). It starts
`.build/debug/rescale-int ui STUDY --no-open` on a temporary study directory holding a copy of examples/pur-basic,
a slow workflow (for Stop) and a 10,000-job run fixture, then, in one browser session:
  - checks 401 (no cookie), 421 (a foreign Host, by a host-resolver rule) and 403 (no cookie on a POST) from the
    browser, and that the token URL is replaced by one without the token;
  - opens each tab (screenshot of each into .build/ui-screenshots/, copied to docs/ui-*.png with --update-docs);
  - runs examples/pur-basic on the local platform from the Runs tab and waits until every job is done;
  - finds that run's events in the Activity tab;
  - starts the slow workflow, stops it from its run page, and waits for the run to end without finishing;
  - measures the first paint of the 10,000-job run page and the latency of a journal record to the page.
Prints both figures; exits 1 on the first failure (with a screenshot of the moment).
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("INTERLINK_UI_BINARY") or os.path.join(ROOT, ".build", "debug", "rescale-int")
SHOTS = os.path.join(ROOT, ".build", "ui-screenshots")
TABS = ["setup", "runs", "jobs", "files", "activity"]
BIG_JOBS = 10_000
BIG_STARTED = 300  # jobs of the fixture with every record of a finished job; the rest are planned only
FIRST_PAINT_LIMIT = 1.0
LATENCY_LIMIT = 1.0


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def make_study(root):
    """A study directory: pur-basic, a slow workflow to stop, and a probe run whose journal the test appends to."""
    study = os.path.join(root, "study")
    shutil.copytree(os.path.join(ROOT, "examples", "pur-basic"), os.path.join(study, "pur-basic"),
                    ignore=shutil.ignore_patterns(".interlink", "results"))
    slow = os.path.join(study, "slow")
    os.makedirs(os.path.join(slow, "Run_1"))
    with open(os.path.join(slow, "Run_1", "run.sh"), "w") as f:
        f.write("sleep 60\n")
    with open(os.path.join(slow, "jobs.csv"), "w") as f:
        f.write("Directory,JobName,AnalysisCode,AnalysisVersion,Command,CoreType,CoresPerSlot,WalltimeHours,Slots,"
                "LicenseSettings,ExtraInputFileIDs,OnDemandLicenseSeller,ProjectID,OrgCode,Tags,NoDecompress,"
                "IsLowPriority,Submit,TarSubpath\n"
                "Run_1,Slow_1,user_included,,cd Run_1 && sh run.sh,emerald,1,0.25,1,,,,,,slow,false,false,yes,\n")
    bad = os.path.join(study, "bad")
    os.makedirs(bad)
    with open(os.path.join(slow, "jobs.csv")) as f:
        header = f.readline()
    with open(os.path.join(bad, "jobs.csv"), "w") as f:
        f.write(header + "Missing_Dir,Bad_1,user_included,,sh run.sh,emerald,1,0.25,1,,,,,,,false,false,yes,\n")
    probe = os.path.join(study, "probe", ".interlink", "runs", "probe-run")
    os.makedirs(probe)
    open(os.path.join(probe, "journal.jsonl"), "w").close()
    return study


def make_big_run(study, source_run):
    """A 10,000-job run made from a finished pur-basic run: its plan's first job repeated with new names, the first
    BIG_STARTED of them with that job's journal records (renumbered), the rest planned only, so the run page reads
    a real plan and a real journal. Built by text substitution: a second or two. (A whole 10,000-job journal is
    60 MB, which a debug build takes several seconds of CPU to replay: once, then the page is cached.)"""
    with open(os.path.join(source_run, "plan.json")) as f:
        plan = json.load(f)
    template = plan["nodes"][0]
    name = template["id"].split(":", 1)[1]
    node_text = json.dumps(template).replace(name, "@@")
    plan["nodes"] = []
    plan_text = json.dumps(plan)
    nodes = ",".join(node_text.replace("@@", "Big_%05d" % i) for i in range(BIG_JOBS))
    plan_text = plan_text.replace('"nodes": []', '"nodes": [' + nodes + "]")
    source_id = os.path.basename(source_run)
    run_id = "20260101-000000-big0"
    with open(os.path.join(source_run, "journal.jsonl")) as f:
        records = [json.loads(line) for line in f if line.strip()]
    head = [r for r in records if r.get("kind") == "runStarted"][:1]
    mine = [r for r in records if r.get("node") == template["id"] and r.get("kind") != "checkpoint"]
    tail = [r for r in records if r.get("kind") == "runFinished"][-1:]
    lines = []
    for record in mine:
        record = dict(record, seq=-999)
        text = json.dumps(record, sort_keys=True, separators=(",", ":"))
        lines.append(text.replace(name, "@@").replace(source_id, run_id))
    template_text = "\n".join(lines) + "\n"
    parts = template_text.split('"seq":-999')
    planned_parts = (lines[0] + "\n").split('"seq":-999')
    big = os.path.join(study, "big", ".interlink", "runs", run_id)
    os.makedirs(big)
    with open(os.path.join(big, "plan.json"), "w") as f:
        f.write(plan_text)
    seq = 1
    chunks = []
    for record in head:
        chunks.append(json.dumps(dict(record, seq=seq, run=run_id), sort_keys=True, separators=(",", ":")) + "\n")
    for i in range(BIG_JOBS):
        job = "Big_%05d" % i
        pieces = parts if i < BIG_STARTED else planned_parts
        text = pieces[0]
        for part in pieces[1:]:
            seq += 1
            text += '"seq":%d' % seq + part
        chunks.append(text.replace("@@", job))
    for record in tail:
        seq += 1
        chunks.append(json.dumps(dict(record, seq=seq), sort_keys=True, separators=(",", ":")) + "\n")
    with open(os.path.join(big, "journal.jsonl"), "w") as f:
        f.write("".join(chunks))
    return run_id


def start_server(study, state, extra_env):
    env = dict(os.environ, INTERLINK_STATE_DIR=state, NO_COLOR="1", **extra_env)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
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


def make_browser(port):
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--host-resolver-rules=MAP rebound.test 127.0.0.1",
                     "--no-first-run", "--disable-extensions", "--force-prefers-reduced-motion"]:
        options.add_argument(argument)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(service=service, options=options)


def wait(driver, condition, seconds, message):
    try:
        return WebDriverWait(driver, seconds, poll_frequency=0.05).until(lambda d: condition(d))
    except TimeoutException:
        raise Failure(message)


def fetch_status(driver, path, options):
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0], arguments[1]).then(r => done(r.status)).catch(e => done(String(e)));", path, options)


def shoot(driver, name):
    os.makedirs(SHOTS, exist_ok=True)
    path = os.path.join(SHOTS, "ui-%s.png" % name)
    driver.save_screenshot(path)
    return path


def show_tab(driver, name):
    driver.execute_script("document.getElementById(arguments[0]).click()", "tab-button-" + name)
    wait(driver, lambda d: d.find_element(By.ID, "tab-" + name).is_displayed(), 5, "tab %s did not show" % name)


def listed_runs(driver):
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#runs-table-body a')).map(a => a.textContent)")


def open_run(driver, run_id):
    driver.execute_script("location.hash = '#runs/' + arguments[0]", run_id)
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#run-view[data-run='%s'][data-loaded]" % run_id), 10,
         "the page of run %s did not load" % run_id)


def run_page_rows(driver):
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#run-jobs-body tr')).map(r => r.dataset.status)")


def main():
    update_docs = "--update-docs" in sys.argv
    check(os.access(BINARY, os.X_OK), "build first: %s is missing" % BINARY)
    started = time.time()
    figures = {}
    root = tempfile.mkdtemp(prefix="interlink-ui-")
    study = make_study(root)
    # The Setup, Jobs and Files tabs' steps live in Tests/ui/tab_steps.py when present: environment(root) -> dict
    # (e.g. start rescale-sim and return RESCALE_API_URL/RESCALE_API_KEY for the server), run(context) (their
    # checks and screenshots of those tabs, in this browser session) and stop() (always called at the end).
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    try:
        import tab_steps
    except ImportError:
        tab_steps = None
    extra_env = tab_steps.environment(root) if tab_steps and hasattr(tab_steps, "environment") else {}
    server, login, base, port = start_server(study, os.path.join(root, "state"), extra_env)
    driver = None
    try:
        driver = make_browser(port)
        driver.set_script_timeout(10)

        # security from the browser: no cookie yet → 401; a rebinding host → 421; the token URL → cookie, no token
        driver.get(base + "/api/runs")
        check("no session" in driver.page_source, "a request without the cookie was not refused (401)")
        driver.get(login)
        wait(driver, lambda d: d.find_elements(By.ID, "runs-table-body"), 10, "the Runs tab did not load")
        check("token=" not in driver.current_url, "the token stayed in the URL: " + driver.current_url)
        check(fetch_status(driver, "/api/runs", {"credentials": "omit"}) == 401, "fetch without the cookie: not 401")
        check(fetch_status(driver, "/api/runs", {"method": "POST", "credentials": "omit", "body": "{}"}) == 403,
              "POST without the cookie: not 403")
        check(fetch_status(driver, "/api/runs", {}) == 200, "fetch with the cookie: not 200")
        driver.get("http://rebound.test:%d/api/runs" % port)
        check("misdirected" in driver.page_source, "a foreign Host was not refused (421)")
        driver.get(base + "/#runs")
        wait(driver, lambda d: d.find_elements(By.ID, "runs-table-body"), 10, "the Runs tab did not load again")

        # every tab opens; arrow keys move between tabs
        for name in TABS:
            show_tab(driver, name)
        show_tab(driver, "setup")
        driver.execute_script("document.getElementById('tab-button-setup').focus()")
        ActionChains(driver).send_keys(Keys.ARROW_RIGHT).perform()
        wait(driver, lambda d: d.find_element(By.ID, "tab-runs").is_displayed(), 5, "ArrowRight did not move to Runs")

        # a plan's diagnostics carry file:line
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#runs-workflow option[value='bad/jobs.csv']"),
             10, "bad/jobs.csv is not offered")
        Select(driver.find_element(By.ID, "runs-workflow")).select_by_value("bad/jobs.csv")
        driver.find_element(By.ID, "runs-plan-button").click()
        diagnostics = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#plan-diagnostics .diag"), 10,
                           "the invalid workflow showed no diagnostics")
        check(re.search(r"bad/jobs\.csv:2(:\d+)?: error: ", diagnostics[0].text),
              "the diagnostic lacks file:line: " + diagnostics[0].text)

        # plan, then run examples/pur-basic on the local platform; every job reaches done
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#runs-workflow option[value='pur-basic/jobs.csv']"),
             10, "pur-basic/jobs.csv is not offered")
        Select(driver.find_element(By.ID, "runs-workflow")).select_by_value("pur-basic/jobs.csv")
        Select(driver.find_element(By.ID, "runs-platform")).select_by_value("local")
        driver.find_element(By.ID, "runs-plan-button").click()
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#plan-dag rect"), 10, "the plan's DAG was not drawn")
        check(len(driver.find_elements(By.CSS_SELECTOR, "#plan-stages tbody tr")) == 3, "the plan does not list 3 jobs")
        driver.find_element(By.ID, "runs-run-button").click()
        run_id = wait(driver, lambda d: listed_runs(d), 15, "the run did not appear in the Runs table")[0]
        open_run(driver, run_id)
        wait(driver, lambda d: run_page_rows(d) == ["done"] * 3, 30,
             "not every pur-basic job reached done: %s" % run_page_rows(driver))
        check(driver.find_elements(By.CSS_SELECTOR, "#run-gantt-svg rect"), "the run's timeline is empty")
        outputs = driver.find_elements(By.CSS_SELECTOR, "#run-jobs-body a[href*='result.txt']")
        check(outputs, "no output links")
        content = driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "fetch(arguments[0]).then(r => r.text()).then(done).catch(e => done(String(e)));",
            outputs[0].get_attribute("href"))
        check(content.startswith("run Run_") and "sum" in content, "the output link does not open result.txt: " + content)
        shoot(driver, "run")

        # the run's events in the Activity tab
        show_tab(driver, "activity")
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#activity-log .entry[data-run='%s']" % run_id),
             10, "the Activity log shows no event of run " + run_id)
        text = driver.find_element(By.ID, "activity-log").text
        check("stageSucceeded" in text or "outcome" in text, "the Activity log lacks the run's stage events")
        driver.find_element(By.ID, "activity-text").send_keys("runFinished")
        wait(driver, lambda d: all("runFinished" in e.text for e in
                                    d.find_elements(By.CSS_SELECTOR, "#activity-log .entry")), 5, "text filter")
        driver.execute_script(  # clear() sends no input event
            "const t = document.getElementById('activity-text'); t.value = ''; t.dispatchEvent(new Event('input'))")
        wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#activity-log .entry")) > 10, 5,
             "clearing the text filter did not bring the events back")

        driver.execute_script("document.getElementById('activity-pause').click()")
        check(driver.find_element(By.ID, "activity-pause").get_attribute("aria-pressed") == "true", "Pause")
        driver.execute_script("document.getElementById('activity-pause').click()")
        check(driver.find_element(By.ID, "activity-pause").get_attribute("aria-pressed") == "false", "Resume")

        # latency of a journal record to the page
        latencies = []
        for attempt in range(3):  # the median of three records
            marker = "latency-probe-%d" % time.time_ns()
            with open(os.path.join(study, "probe", ".interlink", "runs", "probe-run", "journal.jsonl"), "a") as f:
                written = time.time()
                f.write(json.dumps({"kind": "nodeRetried", "node": "job:" + marker, "seq": attempt + 1}) + "\n")
            wait(driver, lambda d: d.execute_script(
                "return document.getElementById('activity-log').textContent.includes(arguments[0])", marker), 5,
                "the probe record never came")
            latencies.append(time.time() - written)
        figures["event_to_page_s"] = sorted(latencies)[1]
        figures["event_to_page_all"] = ", ".join("%.3f" % x for x in latencies)
        shoot(driver, "activity")

        # stop a running job from its run page
        driver.get(base + "/#runs")
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#runs-workflow option[value='slow/jobs.csv']"), 10,
             "slow/jobs.csv is not offered")
        Select(driver.find_element(By.ID, "runs-workflow")).select_by_value("slow/jobs.csv")
        Select(driver.find_element(By.ID, "runs-platform")).select_by_value("local")
        known = set(listed_runs(driver))
        driver.find_element(By.ID, "runs-run-button").click()
        slow_id = wait(driver, lambda d: [r for r in listed_runs(d) if r not in known], 15,
                       "the slow run did not appear")[0]
        open_run(driver, slow_id)
        wait(driver, lambda d: d.execute_script(
            "const r = document.querySelector('#run-jobs-body tr'); return r && r.children[1].textContent")
            in ("submit", "poll"), 20, "the slow job was never submitted")
        driver.find_element(By.ID, "run-stop").click()
        wait(driver, lambda d: "running" not in d.find_element(By.ID, "run-header").text, 20,
             "the slow run kept running after Stop")
        header = driver.find_element(By.ID, "run-header").text
        check("succeeded" not in header, "the stopped run claims success: " + header)

        # the Runs tab with its runs and a plan, for the screenshot
        driver.get(base + "/?list#runs")
        wait(driver, lambda d: len(listed_runs(d)) >= 2, 10, "the runs are not listed")
        Select(driver.find_element(By.ID, "runs-workflow")).select_by_value("pur-basic/jobs.csv")
        driver.find_element(By.ID, "runs-plan-button").click()
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#plan-dag rect"), 10, "the plan's DAG was not drawn")
        shoot(driver, "runs")

        # first paint of a 10,000-job run page (a fresh page load, the run's rows already read once)
        finished = [e for e in os.listdir(os.path.join(study, "pur-basic", ".interlink", "runs"))
                    if not e.startswith(".")]
        big_id = make_big_run(study, os.path.join(study, "pur-basic", ".interlink", "runs", finished[0]))
        driver.get(base + "/#runs")
        listed = time.time()
        wait(driver, lambda d: big_id in d.find_element(By.ID, "runs-table-body").text, 30,
             "the 10,000-job run is not listed")
        figures["first_read_10k_s"] = time.time() - listed
        paints = []
        for attempt in range(3):  # the median of three fresh loads: one load on a busy machine is noisy
            driver.get(base + "/?fresh=%d#runs/%s" % (attempt, big_id))  # a new document, not a hash change
            wait(driver, lambda d: d.execute_script(
                "const v = document.querySelector('#run-view'); return v !== null && !!v.dataset.firstPaint"),
                10, "the big run page did not paint")
            paints.append(driver.execute_script(
                "return Number(document.querySelector('#run-view').dataset.firstPaint) - performance.timeOrigin;"))
        figures["first_paint_10k_s"] = sorted(paints)[1] / 1000
        figures["first_paint_10k_all"] = ", ".join("%.3f" % (p / 1000) for p in paints)
        pager = driver.find_element(By.ID, "run-pager").text
        check("of %d" % BIG_JOBS in pager, "the pager does not count 10,000 jobs: " + pager)
        check(len(run_page_rows(driver)) == 100, "the page does not show 100 rows")
        driver.find_element(By.ID, "run-next").click()
        wait(driver, lambda d: "101–200" in d.find_element(By.ID, "run-pager").text, 5, "Next did not page")

        # the other tabs: their own steps when present (they take their screenshots), else a plain screenshot
        if tab_steps and hasattr(tab_steps, "run"):
            tab_steps.run(dict(driver=driver, base=base, port=port, study=study, root=root, shoot=shoot,
                               wait=wait, check=check, show_tab=show_tab, fetch_status=fetch_status, figures=figures))
        else:
            for name in ["setup", "jobs", "files"]:
                driver.get(base + "/#" + name)
                wait(driver, lambda d: d.find_element(By.ID, "tab-" + name).is_displayed(), 5, name)
                time.sleep(0.3)
                shoot(driver, name)
        if update_docs:
            # Setup, Jobs and Files are shot with their data by test_ui_tabs.py (its own --update-docs).
            for name in ["runs", "activity"]:
                shutil.copy(os.path.join(SHOTS, "ui-%s.png" % name), os.path.join(ROOT, "docs", "ui-%s.png" % name))

        check(figures["first_paint_10k_s"] < FIRST_PAINT_LIMIT,
              "first paint of the 10,000-job run page took %.2f s" % figures["first_paint_10k_s"])
        check(figures["event_to_page_s"] < LATENCY_LIMIT,
              "a journal record took %.2f s to reach the page" % figures["event_to_page_s"])
        print("ui: first paint of a 10,000-job run page: %.3f s, the median of %s (limit %.1f s)"
              % (figures["first_paint_10k_s"], figures["first_paint_10k_all"], FIRST_PAINT_LIMIT))
        print("ui: journal record to page: %.3f s, the median of %s (limit %.1f s)"
              % (figures["event_to_page_s"], figures["event_to_page_all"], LATENCY_LIMIT))
        print("ui: first read of the 10,000-job run (plan and journal, then cached): %.3f s"
              % figures["first_read_10k_s"])
        print("ui: browser tests passed in %.1f s; screenshots in %s" % (time.time() - started, SHOTS))
        return 0
    except (Failure, WebDriverException) as failure:
        if driver is not None:
            where = traceback.extract_tb(failure.__traceback__)[-1]
            message = str(failure).splitlines()[0] if str(failure) else type(failure).__name__
            print("ui: FAILED at test_ui.py:%d: %s (screenshot: %s)" % (where.lineno, message, shoot(driver, "failure")),
                  file=sys.stderr)
        else:
            print("ui: FAILED: %s" % failure, file=sys.stderr)
        return 1
    finally:
        if driver is not None:
            driver.quit()
        if tab_steps and hasattr(tab_steps, "stop"):
            tab_steps.stop()
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
