"""Start a private JupyterLab and drive it with Playwright: shared by tests/lab and the benchmark.

The server is the one a reader gets from ``make lab`` (``python -m jupyter lab`` from this
environment, so the kernel is this environment's python3 and ``chapter5`` is importable), with
everything that could leak in or out made private: its own config, data, runtime, IPython,
user-settings and workspaces directories, a fixed token, 127.0.0.1 only, and a *copy* of
``notebooks/`` as its root so autosave never writes into the repository.

Nothing here imports JupyterLab into the test process: the server is a subprocess in its own
process group, stopped (kernels included) by :meth:`LabServer.stop`.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
TOKEN = "chapter5-lab-tests"
VIEWPORT = {"width": 1400, "height": 1000}


def _children(pid: int) -> list[int]:
    """Every live descendant of ``pid`` (read from /proc; empty where /proc is missing)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
    found: list[int] = []
    frontier = [pid]
    while frontier:
        p = frontier.pop()
        kids = [c for c, pp in parents.items() if pp == p]
        found += kids
        frontier += kids
    return found


def copy_notebooks(dest_repo: Path, source: Path = NOTEBOOKS) -> Path:
    """Copy ``notebooks/`` (.py and .ipynb and anything else in it) plus ``jupytext.toml``.

    The copy keeps the repository's layout (``<dest>/notebooks`` next to ``<dest>/jupytext.toml``)
    so the notebooks see the same relative paths they see in the repository. Returns the new
    notebooks directory.
    """
    target = dest_repo / "notebooks"
    shutil.copytree(
        source,
        target,
        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
        dirs_exist_ok=True,
    )
    for name in ("jupytext.toml",):
        if (REPO / name).exists():
            shutil.copy2(REPO / name, dest_repo / name)
    return target


class LabServer:
    """A JupyterLab server on 127.0.0.1 with private state, rooted at a copy of the notebooks.

    Use as a context manager, or call :meth:`start` and :meth:`stop`.

    Parameters
    ----------
    root_dir : Path or None
        Directory to serve. None: a fresh temporary copy of ``notebooks/``.
    port : int
        A free port on 127.0.0.1 (``browser_support.free_port()``).
    """

    def __init__(self, port: int, root_dir: Path | None = None, startup_timeout: float = 120.0):
        self.port = port
        self.startup_timeout = startup_timeout
        self._tmp = Path(tempfile.mkdtemp(prefix="chapter5-lab-"))
        self.root_dir = root_dir if root_dir is not None else copy_notebooks(self._tmp / "repo")
        self.state_dir = self._tmp / "state"
        self.log_path = self._tmp / "jupyterlab.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self._log: Any = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str, **query: str) -> str:
        """``base_url + path`` with the token (and any extra query parameters) appended."""
        params = "&".join([f"token={TOKEN}"] + [f"{k}={v}" for k, v in query.items()])
        sep = "&" if "?" in path else "?"
        return f"{self.base_url}{path}{sep}{params}"

    def command(self) -> list[str]:
        s = self.state_dir
        cmd = [
            sys.executable, "-m", "jupyter", "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={TOKEN}",
            f"--ServerApp.root_dir={self.root_dir}",
            "--ServerApp.terminals_enabled=False",
            f"--LabApp.workspaces_dir={s / 'workspaces'}",
            f"--LabApp.user_settings_dir={s / 'user-settings'}",
            # Test-only: lets the tests read kernel status and cell state, never to drive the UI.
            "--LabApp.expose_app_in_browser=True",
            # Closed network: no news feed, no update check, no PyPI extension manager.
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        return cmd

    def env(self) -> dict[str, str]:
        s = self.state_dir
        env = dict(os.environ)
        for var in ("JUPYTERLAB_DIR", "JUPYTER_PATH", "JUPYTER_CONFIG_PATH", "PYTHONSTARTUP"):
            env.pop(var, None)
        env.update(
            JUPYTER_CONFIG_DIR=str(s / "config"),
            JUPYTER_DATA_DIR=str(s / "data"),
            JUPYTER_RUNTIME_DIR=str(s / "runtime"),
            JUPYTERLAB_SETTINGS_DIR=str(s / "user-settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(s / "workspaces"),
            IPYTHONDIR=str(s / "ipython"),
            JUPYTER_PLATFORM_DIRS="1",
            PYTHONUNBUFFERED="1",
        )
        return env

    def start(self) -> LabServer:
        for sub in ("config", "data", "runtime", "user-settings", "workspaces", "ipython"):
            (self.state_dir / sub).mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            self.command(),
            cwd=self.root_dir,
            env=self.env(),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + self.startup_timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"JupyterLab exited with code {self.proc.returncode} during startup:\n"
                    + self.log_tail()
                )
            try:
                status = self.api("GET", "/api/status")
                if "started" in status:
                    return self
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(
                    f"JupyterLab did not answer /api/status within {self.startup_timeout:.0f} s:\n"
                    + self.log_tail()
                )
            time.sleep(0.25)

    def api(self, method: str, path: str, body: Any = None, timeout: float = 10.0) -> Any:
        """Call the server's REST API with the token; returns the decoded JSON (or None)."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.base_url + path,
            data=data,
            method=method,
            headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None

    def shutdown_kernels(self) -> None:
        """Shut down every running kernel (and its session) through the REST API."""
        try:
            for session in self.api("GET", "/api/sessions"):
                self.api("DELETE", f"/api/sessions/{session['id']}")
            for kernel in self.api("GET", "/api/kernels"):
                self.api("DELETE", f"/api/kernels/{kernel['id']}")
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        """Stop the server and every process it started (kernels run in their own sessions)."""
        proc = self.proc
        if proc is not None and proc.poll() is None:
            self.shutdown_kernels()
            descendants = _children(proc.pid)
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=10)
            for pid in descendants:  # kernels that outlived their server
                for sig in (signal.SIGTERM, signal.SIGKILL):
                    try:
                        os.kill(pid, sig)
                    except ProcessLookupError:
                        break
                    time.sleep(0.2)
        self.proc = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def cleanup(self) -> None:
        shutil.rmtree(self._tmp, ignore_errors=True)

    def __enter__(self) -> LabServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
        self.cleanup()


# ---------------------------------------------------------------------------------------------
# Driving the JupyterLab page (Playwright sync API). ``page`` is a playwright Page.

#: JavaScript: the state of the notebook in the current main-area tab.
_NOTEBOOK_STATE_JS = """
() => {
  const app = window.jupyterapp;
  const w = app && app.shell.currentWidget;
  if (!w || !w.node.classList.contains('jp-NotebookPanel')) {
    return {notebook: false, label: w ? w.title.label : null};
  }
  const kernel = w.sessionContext.session ? w.sessionContext.session.kernel : null;
  let code = 0, done = 0, running = 0;
  for (const cell of w.content.widgets) {
    if (cell.model.type !== 'code' || cell.model.sharedModel.getSource().trim() === '') continue;
    code += 1;
    const prompt = cell.node.querySelector('.jp-InputArea-prompt');
    const text = prompt ? prompt.textContent : '';
    if (text.includes('*')) running += 1;
    else if (cell.model.executionCount !== null) done += 1;
  }
  return {notebook: true, label: w.title.label, path: w.context.path,
          kernel: kernel ? kernel.status : null, kernelName: kernel ? kernel.name : null,
          connection: kernel ? kernel.connectionStatus : null,
          code, done, running};
}
"""

#: JavaScript: every error output and every stderr stream in the current notebook's model.
_PROBLEM_OUTPUTS_JS = """
() => {
  const w = window.jupyterapp.shell.currentWidget;
  const problems = [];
  w.content.widgets.forEach((cell, index) => {
    if (cell.model.type !== 'code') return;
    const outputs = cell.model.outputs;
    for (let i = 0; i < outputs.length; i++) {
      const o = outputs.get(i).toJSON();
      if (o.output_type === 'error') {
        problems.push({cell: index, kind: 'error', text: o.ename + ': ' + o.evalue});
      } else if (o.output_type === 'stream' && o.name === 'stderr') {
        problems.push({cell: index, kind: 'stderr',
                       text: Array.isArray(o.text) ? o.text.join('') : String(o.text)});
      }
    }
  });
  for (const node of w.node.querySelectorAll('.jp-OutputArea-output')) {
    const t = node.textContent || '';
    if (t.includes('Error displaying widget') || t.includes('Error rendering output')) {
      problems.push({cell: -1, kind: 'render', text: t.slice(0, 300)});
    }
  }
  return problems;
}
"""


def open_lab(page: Any, server: LabServer, workspace: str, path: str | None = None) -> None:
    """Load JupyterLab in a fresh workspace (optionally opening ``path``); wait for the UI."""
    route = f"/lab/workspaces/{workspace}" + (f"/tree/{path}" if path else "")
    page.goto(server.url(route, reset=""), wait_until="domcontentloaded")
    page.wait_for_selector(".jp-DirListing-item", timeout=90_000)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=30_000)
    dismiss_news_toast(page)


def dismiss_news_toast(page: Any) -> None:
    """Answer "No" to the "official Jupyter news?" toast if it is showing (a reader would)."""
    toast = page.locator(".jp-toast-button", has_text="No")
    try:
        toast.first.click(timeout=3_000)
    except Exception:  # noqa: BLE001 - the toast is optional (already answered or not shown)
        pass


def notebook_state(page: Any) -> dict[str, Any]:
    return page.evaluate(_NOTEBOOK_STATE_JS)


def wait_for_notebook(page: Any, label: str, timeout: float = 60.0) -> dict[str, Any]:
    """Wait until the current tab is the notebook ``label`` with an idle, connected kernel."""
    deadline = time.monotonic() + timeout
    state: dict[str, Any] = {}
    while time.monotonic() < deadline:
        state = notebook_state(page)
        if (
            state.get("notebook")
            and state.get("label") == label
            and state.get("kernel") == "idle"
            and state.get("connection") == "connected"
        ):
            return state
        _accept_kernel_dialog(page)
        page.wait_for_timeout(250)
    raise AssertionError(f"{label} did not open as a notebook with an idle kernel: {state}")


def _accept_kernel_dialog(page: Any) -> None:
    dialog = page.locator(".jp-Dialog .jp-mod-accept")
    if dialog.count():
        dialog.first.click()


def run_all_cells(page: Any) -> None:
    """Run > Run All Cells, through the menu bar as a reader would."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    item = page.locator(".lm-Menu-item:not(.lm-mod-disabled) .lm-Menu-itemLabel").filter(
        has_text="Run All Cells"
    )
    item.first.click()


def wait_until_run(page: Any, timeout: float) -> dict[str, Any]:
    """Wait until every non-empty code cell has an execution count and the kernel is idle.

    Returns early when Run All stopped at an error (idle kernel, nothing queued, an error
    output on the page): the caller reports the error output.
    """
    deadline = time.monotonic() + timeout
    state: dict[str, Any] = {}
    while time.monotonic() < deadline:
        state = notebook_state(page)
        idle = state.get("kernel") == "idle" and state.get("running") == 0
        if idle and state.get("code") and state["done"] == state["code"]:
            return state
        if idle and any(p["kind"] == "error" for p in problem_outputs(page)):
            page.wait_for_timeout(1000)  # let the rest of the queue be cancelled
            return notebook_state(page)
        page.wait_for_timeout(500)
    raise AssertionError(f"the notebook did not finish running within {timeout:.0f} s: {state}")


def problem_outputs(page: Any) -> list[dict[str, Any]]:
    """Error outputs, stderr streams and widget render errors in the current notebook."""
    return page.evaluate(_PROBLEM_OUTPUTS_JS)


def readouts(page: Any, scope: str = ".c5-readout") -> dict[str, str]:
    """``{data-key: text}`` for every ``[data-key]`` element inside the readout widget(s)."""
    return page.evaluate(
        """(scope) => {
            const out = {};
            for (const el of document.querySelectorAll(scope + ' [data-key]')) {
              out[el.getAttribute('data-key')] = el.textContent.trim();
            }
            return out;
        }""",
        scope,
    )


FIGURE = "img.c5-figure, .c5-figure img"


def figure_digest(page: Any) -> str:
    """A digest of the pixels-as-bytes the explorer's picture currently shows ("" if none)."""
    return page.evaluate(
        """async (sel) => {
            const img = document.querySelector(sel);
            if (!img || !img.getAttribute('src')) return '';
            const buf = await (await fetch(img.src)).arrayBuffer();
            const hash = await crypto.subtle.digest('SHA-256', buf);
            return Array.from(new Uint8Array(hash)).map(b => b.toString(16).padStart(2, '0'))
                        .join('') + ':' + buf.byteLength;
        }""",
        FIGURE,
    )


def slider(page: Any, css_class: str) -> Any:
    """The (single) ipywidgets slider carrying ``css_class``."""
    loc = page.locator(f".{css_class}")
    count = loc.count()
    assert count == 1, f"expected exactly one .{css_class} in the page, found {count}"
    return loc


def slider_value(page: Any, css_class: str) -> float:
    """The slider's value as its readout shows it (after ``float``)."""
    text = slider(page, css_class).locator(".widget-readout").inner_text().strip()
    return float(text.replace("\u2212", "-"))


def slider_values(page: Any, prefix: str = "c5-slider-") -> dict[str, float]:
    """``{name: value}`` for every slider whose class starts with ``prefix`` (name = the rest).

    The value is what the slider's readout shows (the setting the reader sees).
    """
    texts = page.evaluate(
        """(prefix) => {
            const out = {};
            for (const el of document.querySelectorAll('[class*="' + prefix + '"]')) {
              const cls = Array.from(el.classList).find(c => c.startsWith(prefix));
              const r = el.querySelector('.widget-readout');
              // d3-format writes negative numbers with U+2212 MINUS SIGN
              if (cls && r) {
                out[cls.slice(prefix.length)] = r.textContent.trim().replace('\u2212', '-');
              }
            }
            return out;
        }""",
        prefix,
    )
    return {name: float(text) for name, text in texts.items()}


def wait_for_change(
    page: Any, before: dict[str, str], digest_before: str, timeout: float = 15.0
) -> tuple[dict[str, str], str]:
    """Wait until the readouts and the picture both differ from ``before``; return the new ones.

    Then wait until they stay the same for a moment (a drag sends several updates).
    """
    deadline = time.monotonic() + timeout
    last: tuple[dict[str, str], str] = (before, digest_before)
    while time.monotonic() < deadline:
        now = (readouts(page), figure_digest(page))
        if now[0] != before and now[1] != digest_before and now[1]:
            return settle(page)
        last = now
        page.wait_for_timeout(100)
    raise AssertionError(
        f"readout or picture did not change within {timeout} s:\nbefore {before}\nafter {last[0]}"
        f"\npicture changed: {last[1] != digest_before}"
    )


def settle(page: Any, quiet: float = 0.6, timeout: float = 15.0) -> tuple[dict[str, str], str]:
    """Wait until readouts, picture and slider values stay unchanged for ``quiet`` seconds."""
    deadline = time.monotonic() + timeout
    prev = (readouts(page), figure_digest(page), slider_values(page))
    stable_since = time.monotonic()
    while time.monotonic() < deadline:
        page.wait_for_timeout(150)
        now = (readouts(page), figure_digest(page), slider_values(page))
        if now != prev:
            prev, stable_since = now, time.monotonic()
        elif time.monotonic() - stable_since >= quiet:
            return now[0], now[1]
    raise AssertionError(f"the explorer kept changing for {timeout} s")


def double_click_file(page: Any, name: str) -> None:
    """Double-click ``name`` in the file browser (the reader's way of opening a file)."""
    import re

    item = page.locator(".jp-DirListing-item").filter(
        has=page.locator(".jp-DirListing-itemText", has_text=re.compile(f"^{re.escape(name)}$"))
    )
    item.first.dblclick()


def open_and_run(
    page: Any, server: LabServer, name: str, workspace: str, timeout: float = 180.0
) -> dict[str, Any]:
    """Open ``name`` by double-clicking it, Run All Cells, wait until done; return a summary.

    Summary: ``{"state": notebook_state, "problems": problem_outputs, "seconds": wall time of
    the run}``.
    """
    open_lab(page, server, workspace)
    double_click_file(page, name)
    wait_for_notebook(page, name)
    start = time.monotonic()
    run_all_cells(page)
    state = wait_until_run(page, timeout)
    seconds = time.monotonic() - start
    return {"state": state, "problems": problem_outputs(page), "seconds": seconds}


# ---------------------------------------------------------------------------------------------
# The three ways a reader moves a slider


def press_arrows(page: Any, css_class: str, key: str = "ArrowRight", times: int = 5) -> None:
    """Focus the slider's handle (as Tab would) and press an arrow key ``times`` times."""
    slider(page, css_class).locator(".noUi-handle").focus()
    for _ in range(times):
        page.keyboard.press(key)


def drag_handle(page: Any, css_class: str, dx: float) -> None:
    """Drag the slider's handle ``dx`` pixels sideways with the mouse."""
    handle = slider(page, css_class).locator(".noUi-handle")
    handle.scroll_into_view_if_needed()
    box = handle.bounding_box()
    assert box is not None, f".{css_class} has no visible handle"
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y, steps=12)
    page.mouse.up()


def type_into_readout(page: Any, css_class: str, text: str) -> None:
    """Click the slider's readout (an editable field), replace its text by ``text``, Enter."""
    readout = slider(page, css_class).locator(".widget-readout")
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def slider_range(page: Any, css_class: str) -> tuple[float, float]:
    handle = slider(page, css_class).locator(".noUi-handle")
    lo, hi = handle.get_attribute("aria-valuemin"), handle.get_attribute("aria-valuemax")
    return float(lo or "nan"), float(hi or "nan")


def show(page: Any, selector: str) -> None:
    """Scroll the notebook so that ``selector``'s output area starts at the top of the view."""
    page.evaluate(
        """(sel) => {
            const el = document.querySelector(sel);
            const area = el && (el.closest('.jp-OutputArea-child') || el);
            if (area) area.scrollIntoView({block: 'start'});
        }""",
        selector,
    )
    page.wait_for_timeout(300)


@contextmanager
def fresh_page(browser: Any, server: LabServer) -> Iterator[Any]:
    """A page in a browser context of its own; on exit the context closes and kernels shut down."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        yield page
    finally:
        context.close()
        server.shutdown_kernels()
