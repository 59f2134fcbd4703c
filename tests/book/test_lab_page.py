"""The website's deep-network lab (notebook 07) in a real chromium, held equal to chapter5.

The page draws its own starting weights (lab_net.js's seeded generator), so every comparison
takes the page's weights back into Python through the page's test hook (``root.c5.params()``,
lab_net.js's exportParams) and builds the same network with chapter5.lab:

* drag the depth slider with the mouse and step it with the keyboard, switch the activation and
  the initialisation by keyboard and by mouse: after each, every readout on the page equals
  chapter5.viz.lab.readouts for exactly those settings and weights;
* train a preset (after the guess the page asks for) and hold the first 20 epochs' speeds and
  update ratios to chapter5.lab.train on the same weights, 1e-9 relative;
* the URL hash round-trips, and a bad one falls back to the defaults with a note, never NaN;
* the page sends no request off 127.0.0.1 (all others are blocked and it still works) and fetches
  the images only when the lab starts;
* screenshots of every preset (light, dark, a 390 px phone): nothing runs off the screen.
"""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import bookkit
import numpy as np
import pytest
from test_book_explorers import drag, page_with

from chapter5 import lab
from chapter5.network import Network
from chapter5.viz import lab as lab_viz

LAB = 'div.c5-web-explorer[data-explorer="lab"]'
PHONE = {"width": 390, "height": 844}
#: Set to a folder to get a copy of the screenshots there (they always go to _build/screenshots).
SHOTS_ENV = "CHAPTER5_LAB_SHOTS"


# ------------------------------------------------------------------------------ helpers
@functools.cache
def mnist_images() -> tuple[np.ndarray, np.ndarray]:
    """The first lab.MAX_IMAGES MNIST training images and labels, as notebook 07 loads them."""
    from chapter5.data import load_mnist

    mnist = load_mnist(os.environ.get("CHAPTER5_MNIST_DIR"), download=False, progress=False)
    return mnist.train.x[:lab.MAX_IMAGES], mnist.train.y[:lab.MAX_IMAGES]


def lab_path() -> str:
    return page_with("lab")


def lab_root(page: Any, timeout: float = 90_000) -> Any:
    """The lab's root element, scrolled into view (which starts it) and settled."""
    root = page.wait_for_selector(f'{LAB}[data-ready="true"]', timeout=timeout)
    root.scroll_into_view_if_needed()
    settled(page, timeout)
    return root


def settled(page: Any, timeout: float = 90_000) -> None:
    """Wait until the at-init views show the current controls and nothing is computing."""
    page.wait_for_selector(f'{LAB}[data-settled="true"]', timeout=timeout, state="attached")


def page_config(root: Any) -> lab.LabConfig:
    return lab.LabConfig(**root.evaluate("r => r.c5.state.config"))


def network_from_page(root: Any, config: lab.LabConfig) -> Network:
    """chapter5's Network of ``config`` holding the weights the page starts from."""
    params = root.evaluate("(r) => r.c5.params()")
    assert "error" not in params, params
    net = lab.build_network(config)
    w = [np.asarray(wi, dtype=np.float64).reshape(wl.shape)
         for wi, wl in zip(params["w"], net.weights, strict=True)]
    b = [np.asarray(bi, dtype=np.float64).reshape(bl.shape)
         for bi, bl in zip(params["b"], net.biases, strict=True)]
    net.set_parameters(w, b)
    return net


def shown(root: Any) -> dict[str, str]:
    """Every readout on the page: data-key -> text."""
    return dict(root.evaluate(
        "r => Object.fromEntries(Array.from(r.querySelectorAll('[data-key]'))"
        ".map(e => [e.dataset.key, e.textContent]))"))


def python_state(root: Any, config: lab.LabConfig, speeds: list[np.ndarray] | None = None
                 ) -> lab_viz.LabState:
    """Python's LabState for the page's preset, guesses and trained list, at init of the page's
    weights."""
    st = root.evaluate("r => ({preset: r.c5.state.preset, guesses: r.c5.state.guesses,"
                       " trained: r.c5.state.trained})")
    x, y = mnist_images()
    init = lab.at_init(config, x, y, net=network_from_page(root, config))
    return lab_viz.LabState(
        config=config, preset=st["preset"], init=init, speeds=list(speeds or []),
        guesses={k: lab_viz.Guess(int(g["layer"]), float(g["factor"]))
                 for k, g in st["guesses"].items()},
        trained=set(st["trained"]))


def check_against_python(page: Any, root: Any) -> lab.LabConfig:
    """Wait for the page to settle; its readouts must be Python's for its settings."""
    settled(page)
    config = page_config(root)
    expected = lab_viz.readouts(python_state(root, config))
    assert shown(root) == expected, config
    assert "NaN" not in screen_text(root)
    return config


def screen_text(root: Any) -> str:
    """The lab's text without the note that quotes a bad URL back to the reader."""
    return str(root.evaluate("r => { const c = r.cloneNode(true);"
                             " c.querySelector('.c5-lab-notes').remove(); return c.innerText; }"))


def controls(root: Any) -> dict[str, str]:
    """What the controls show: slider and box values, the checked radio of each group."""
    return dict(root.evaluate("""r => {
      const v = (sel) => r.querySelector(sel).value;
      const checked = (name) => r.querySelector(`fieldset.c5-lab-${name} input:checked`).value;
      return {depth: v('input.c5-lab-depth'), depth_box: v('input.c5-lab-depth-box'),
              width: v('input.c5-lab-width'), eta_box: v('input.c5-lab-eta-box'),
              images: v('input.c5-lab-images'), seed: v('input.c5-lab-seed'),
              activation: checked('activation'), init: checked('init'),
              preset: v('select.c5-lab-preset')};
    }"""))


def shots_dir() -> Path | None:
    folder = os.environ.get(SHOTS_ENV)
    return Path(folder) if folder else None


#: The theme's sticky header and skip link would be drawn over a tall element's screenshot.
UNSTICK = (".bd-header, .bd-header-article { position: static !important; }"
           " .skip-link { display: none; }")


def save_shot(element: Any, name: str) -> None:
    element.evaluate("(e, css) => { if (!document.getElementById('c5-shot-css')) {"
                     " const s = document.createElement('style'); s.id = 'c5-shot-css';"
                     " s.textContent = css; document.head.appendChild(s); } }", UNSTICK)
    path = bookkit.shot_name("lab", f"-{name}")
    element.screenshot(path=str(path))
    extra = shots_dir()
    if extra is not None:
        extra.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, extra / path.name)


def lock_guess(page: Any, root: Any, layer: int, factor: str) -> None:
    root.query_selector("select.c5-lab-guess-layer").select_option(str(layer))
    root.query_selector("select.c5-lab-guess-factor").select_option(factor)
    root.query_selector("button.c5-lab-guess").click()
    page.wait_for_function("() => !document.querySelector('button.c5-lab-train-button').disabled")


# ------------------------------------------------------------------------------ tests
def test_controls_by_mouse_and_keyboard_match_python(open_page: Any) -> None:
    page, seen = open_page(lab_path())
    root = lab_root(page)
    config = check_against_python(page, root)
    assert config == lab.preset(lab_viz.DEFAULT_PRESET)
    assert root.evaluate("r => r.c5.state.preset") == lab_viz.DEFAULT_PRESET

    depth = root.query_selector("input.c5-lab-depth")
    depth.scroll_into_view_if_needed()
    drag(page, depth, 2 / 9)  # depth 3 (the slider runs 1..10)
    config = check_against_python(page, root)
    assert config.depth == 3 and controls(root)["depth_box"] == "3"
    # a control moved by hand makes the experiment "custom", as in the JupyterLab lab
    assert root.evaluate("r => r.c5.state.preset") == "custom"
    assert controls(root)["preset"] == "custom"

    depth.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    config = check_against_python(page, root)
    assert config.depth == 6

    # activation by keyboard: the radio group moves with the arrow keys
    root.query_selector("input.c5-lab-activation-sigmoid").focus()
    page.keyboard.press("ArrowRight")
    config = check_against_python(page, root)
    assert config.activation == "tanh"
    # initialisation by mouse (click the label) and by keyboard
    root.query_selector("fieldset.c5-lab-init label:has(input.c5-lab-init-xavier)").click()
    config = check_against_python(page, root)
    assert config.init == "xavier"
    page.keyboard.press("ArrowRight")
    config = check_against_python(page, root)
    assert config.init == "he"
    # activation by mouse
    root.query_selector("fieldset.c5-lab-activation label:has(input.c5-lab-activation-relu)"
                        ).click()
    config = check_against_python(page, root)
    assert config.activation == "relu" and config.init == "he"
    # exact values in the number boxes; out-of-range values are clamped, junk is refused
    for cls, text in (("width-box", "17"), ("images-box", "123"), ("eta-box", "0.37")):
        box = root.query_selector(f"input.c5-lab-{cls}")
        box.fill(text)
        box.press("Enter")
    root.query_selector("input.c5-lab-seed").fill("5")
    root.query_selector("input.c5-lab-seed").press("Enter")
    config = check_against_python(page, root)
    assert (config.width, config.n_images, config.eta, config.seed) == (17, 123, 0.37, 5)
    box = root.query_selector("input.c5-lab-width-box")
    box.fill("1000")
    box.press("Enter")
    config = check_against_python(page, root)
    assert config.width == lab.WIDTH_RANGE[1]
    box.fill("wide")
    box.press("Enter")
    assert page_config(root).width == lab.WIDTH_RANGE[1]
    assert box.input_value() == str(lab.WIDTH_RANGE[1])
    # every control has a name a screen reader can say
    unnamed = root.evaluate("""r => Array.from(r.querySelectorAll('input, select, button'))
      .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                   && !(e.textContent || '').trim()).map(e => e.outerHTML)""")
    assert unnamed == []
    assert seen.problems() == []


def test_training_a_preset_matches_python(open_page: Any) -> None:
    name = "chapter 3 hidden, default init"
    page, seen = open_page(lab_path())
    root = lab_root(page)
    root.query_selector("select.c5-lab-preset").select_option(name)
    settled(page)
    config = page_config(root)
    assert config == lab.preset(name)
    train = root.query_selector("button.c5-lab-train-button")
    assert train.is_disabled()  # predict first
    net = network_from_page(root, config)
    lock_guess(page, root, 1, "10")
    train.click()
    page.wait_for_function("() => window.c5lab.state.speeds.length >= 20", timeout=120_000)
    assert root.get_attribute("data-running") == "true"
    assert float(root.query_selector("progress.c5-lab-progress").get_attribute("value") or 0) >= 0
    root.query_selector("button.c5-lab-stop").click()
    page.wait_for_selector(f'{LAB}[data-running="false"]', timeout=60_000)
    got = root.evaluate("r => ({speeds: r.c5.state.speeds.map(a => Array.from(a)),"
                        " ratios: r.c5.state.ratios.map(([e, a]) => [e, Array.from(a)])})")
    speeds = np.array(got["speeds"])
    assert 20 <= speeds.shape[0] < lab_viz.TRAIN_EPOCHS  # stopped early
    x, y = mnist_images()
    chunks = list(lab.train(config, x, y, 20, chunk=1, net=net))
    want = np.concatenate([c.speeds for c in chunks])
    np.testing.assert_allclose(speeds[:20], want, rtol=1e-9, atol=0)
    ratios = np.array([r[1] for r in got["ratios"][:20]])
    np.testing.assert_allclose(ratios, np.array([c.update_ratio for c in chunks]), rtol=1e-9,
                               atol=0)
    assert [r[0] for r in got["ratios"][:20]] == list(range(20))
    # the result, with the guess beside it, in Python's words for the page's own history
    expected = lab_viz.readouts(python_state(root, config, speeds=list(speeds)))
    page_readouts = shown(root)
    assert page_readouts == expected
    assert page_readouts["guess"] == "layer 1 is slowest, about 10× slower"
    assert "measured" in page_readouts
    assert root.evaluate("() => JSON.parse(localStorage.getItem('chapter5.lab07'))") == {
        "guesses": {name: {"layer": 1, "factor": 10}}, "trained": [name]}
    save_shot(root, "trained-chapter-3-hidden")
    # a reload keeps the guess and does not ask again
    page.reload()
    root = lab_root(page)
    root.query_selector("select.c5-lab-preset").select_option(name)
    settled(page)
    assert not root.query_selector("button.c5-lab-train-button").is_disabled()
    assert seen.problems() == []


def test_url_hash_round_trips(open_page: Any) -> None:
    page, seen = open_page(lab_path())
    root = lab_root(page)
    assert "#lab:" not in page.url  # the page does not write a hash before the reader acts
    root.query_selector("fieldset.c5-lab-init label:has(input.c5-lab-init-large)").click()
    for cls, text in (("depth-box", "7"), ("width-box", "42"), ("eta-box", "0.5"),
                      ("images-box", "250")):
        box = root.query_selector(f"input.c5-lab-{cls}")
        box.fill(text)
        box.press("Enter")
    settled(page)
    config = page_config(root)
    url = page.url
    assert "#lab:" in url
    page2, seen2 = open_page(url.split("/", 3)[3])
    root2 = lab_root(page2)
    assert page_config(root2) == config
    assert root2.evaluate("r => r.c5.state.preset") == "custom"
    assert controls(root2) == controls(root)
    check_against_python(page2, root2)
    # a preset's link reads back as that preset
    root.query_selector("select.c5-lab-preset").select_option("ReLU, He")
    settled(page)
    page3, seen3 = open_page(page.url.split("/", 3)[3])
    root3 = lab_root(page3)
    assert root3.evaluate("r => r.c5.state.preset") == "ReLU, He"
    assert page_config(root3) == lab.preset("ReLU, He")
    # bad values fall back to the defaults, each named in a visible note, never NaN
    bad = (lab_path() + "#lab:preset=nope&depth=eleven&width=500&eta=NaN&activation=softmax"
           "&seed=-3&colour=red")
    page4, seen4 = open_page(bad)
    root4 = lab_root(page4)
    assert page_config(root4) == lab.preset(lab_viz.DEFAULT_PRESET)
    note = root4.query_selector(".c5-lab-notes")
    assert note.is_visible()
    text = note.inner_text()
    for word in ("nope", "depth", "width", "eta", "activation", "seed", "colour"):
        assert word in text
    check_against_python(page4, root4)
    for s in (seen, seen2, seen3, seen4):
        assert s.problems() == []


def test_offline_and_images_load_only_when_the_lab_starts(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        seen = bookkit.watch(context, page)
        requests: list[str] = []
        context.on("request", lambda r: requests.append(r.url))
        page.goto(base_url + lab_path(), wait_until="load")
        bookkit.settle(page)
        assert not any(u.endswith("lab_mnist.bin") for u in requests)
        root = lab_root(page)
        assert any(u.endswith("_explorers/lab_mnist.bin") for u in requests)
        # every request went to the local server (watch() also blocks any other), and the lab
        # works with nothing else reachable
        assert all(u.startswith(base_url) or u.startswith(("data:", "blob:")) for u in requests)
        check_against_python(page, root)
        assert seen.offsite == [] and seen.problems() == []
    finally:
        context.close()


@pytest.fixture
def phone(browser: Any, base_url: str) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    yield context
    context.close()


def overflow(page: Any, root: Any) -> list[str]:
    """Parts of the lab that stick out of the screen or out of the lab's box."""
    return list(root.evaluate("""r => {
      const box = r.getBoundingClientRect();
      const out = [];
      if (document.documentElement.scrollWidth > window.innerWidth + 1)
        out.push('page scrolls sideways: ' + document.documentElement.scrollWidth);
      for (const e of r.querySelectorAll('svg, input, select, button, label, table, progress')) {
        const b = e.getBoundingClientRect();
        if (b.width && (b.left < box.left - 1 || b.right > box.right + 1))
          out.push(e.tagName + '.' + e.getAttribute('class') + ' ' + b.left + '-' + b.right);
      }
      return out;
    }"""))


@pytest.mark.parametrize("look", ["light", "dark", "phone"])
def test_every_preset_on_screen(look: str, browser: Any, base_url: str) -> None:
    viewport = PHONE if look == "phone" else {"width": 1280, "height": 900}
    context = browser.new_context(
        viewport=viewport, color_scheme="dark" if look == "dark" else "light",
        device_scale_factor=2 if look == "phone" else 1, is_mobile=look == "phone")
    try:
        page = context.new_page()
        seen = bookkit.watch(context, page)
        page.goto(base_url + lab_path(), wait_until="load")
        root = lab_root(page)
        theme = page.evaluate("() => document.documentElement.dataset.theme")
        assert theme == ("dark" if look == "dark" else "light")
        for name in lab.PRESETS:
            root.query_selector("select.c5-lab-preset").select_option(name)
            settled(page)
            assert overflow(page, root) == [], name
            text = root.inner_text()
            assert "NaN" not in text and "undefined" not in text, name
            slug = "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-")
            save_shot(root, f"{look}-{slug}")
        assert seen.problems() == []
    finally:
        context.close()


@pytest.mark.parametrize("stored", [
    '{"guesses": {"x": "bad", "ReLU, He": {"layer": 2, "factor": 10}, "y": {"layer": 0,'
    ' "factor": 10}}, "trained": [3, "tanh, Xavier"]}',
    "not json at all",
])
def test_damaged_guesses_in_storage_are_dropped(stored: str, browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        context.add_init_script(
            f"if (!sessionStorage.getItem('seeded')) {{ sessionStorage.setItem('seeded', '1');"
            f" localStorage.setItem('chapter5.lab07', {stored!r}); }}")
        page = context.new_page()
        seen = bookkit.watch(context, page)
        page.goto(base_url + lab_path(), wait_until="load")
        root = lab_root(page)
        st = root.evaluate("r => ({guesses: r.c5.state.guesses, trained: r.c5.state.trained})")
        if stored.startswith("{"):
            assert st == {"guesses": {"ReLU, He": {"layer": 2, "factor": 10}},
                          "trained": ["tanh, Xavier"]}
        else:
            assert st == {"guesses": {}, "trained": []}
        check_against_python(page, root)
        assert seen.problems() == []
    finally:
        context.close()
