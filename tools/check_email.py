"""Check the exported email as readers' mail programs and screen readers meet it,
and print the figures.

    python tools/check_email.py                 # the sample edition (examples/), 8 stories
    python tools/check_email.py --export DIR    # an existing export (email.html, email.eml)

With no ``--export`` the sample edition is built with ``[render.images] base_url``
pointing at a local server (127.0.0.1): every picture is a generated 1,600 px JPEG
served from there, fetched, resized and written beside the export as in production.
No other network is used.

Targets (exit 1 if any is missed):

- html-validate (``tools/node``, recommended rules; the rules that forbid what email
  needs are off in ``tools/htmlvalidate.json``): 0 errors;
- SpamAssassin (``spamassassin -L -t``, local tests only) on ``email.eml``: 0.0;
- Chromium at 320, 375 and 600 px, light, ``prefers-color-scheme: dark`` and forced
  dark (Chromium's automatic dark mode for web pages), also with pictures blocked
  (their alt text shows): no horizontal overflow; every text's contrast at least
  4.5:1, measured on the screenshot (text colour against its background as painted);
  in the dark modes no light area (relative luminance over 0.4) taller and wider
  than 10 px outside the pictures;
- axe-core in Chromium: 0 serious or critical violations;
- ``email.html`` under 60 KB.

Screenshots go to ``tests/artifacts/check/`` (or ``--screenshots``).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.server
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import tomllib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools.chromium import CHROMIUM, Chromium  # noqa: E402

NODE = ROOT / "tools" / "node"
HTMLVALIDATE_CONFIG = ROOT / "tools" / "htmlvalidate.json"
AXE = NODE / "node_modules" / "axe-core" / "axe.min.js"
SAMPLE_AS_OF = datetime.fromisoformat("2020-11-23T10:00:00+05:30")
WIDTHS = (320, 375, 600)
MIN_CONTRAST = 4.5
LIGHT_LUMINANCE = 0.4
MAX_LIGHT_PX = 10
MAX_HTML_BYTES = 60 * 1024
SCALE = 2  # screenshots at 2x, so thin strokes of 14 px text are painted solid

#: (name, prefers-color-scheme, Chromium's automatic dark mode, pictures blocked).
#: "forced-dark" is a Chromium started with --force-dark-mode and
#: WebContentsForceDark (dark UI, the dark media query and darkened pages);
#: "auto-dark" darkens the page while it is told the reader prefers light.
MODES = (
    ("light", "light", False, False),
    ("dark", "dark", False, False),
    ("forced-dark", "dark", True, False),
    ("forced-dark-no-images", "dark", True, True),
    ("auto-dark", "light", True, False),
    ("light-no-images", "light", False, True),
    ("dark-no-images", "dark", False, True),
)
FORCED_FLAGS = ("--force-dark-mode", "--enable-features=WebContentsForceDark")
#: CSS pixels of the window below the email that screenshots include: a short
#: email leaves the body's own background there.
BELOW = 400

# Text boxes (each line of each text node; the alt text of pictures that did not
# load), pictures, and the page's size, in CSS pixels of the document.
MEASURE = r"""
(function () {
  var boxes = [], pictures = [];
  function add(rect, text) {
    if (rect.width < 2 || rect.height < 4) return;
    boxes.push({x: rect.left + scrollX, y: rect.top + scrollY, w: rect.width,
                h: rect.height, text: text});
  }
  var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    var node = walker.currentNode, el = node.parentElement;
    var text = node.textContent.trim();
    if (!text || !el || el.closest('.preheader') || el.closest('[aria-hidden="true"]')) continue;
    var style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    var range = document.createRange();
    range.selectNodeContents(node);
    Array.prototype.forEach.call(range.getClientRects(), function (r) {
      add(r, text.slice(0, 50));
    });
  }
  Array.prototype.forEach.call(document.images, function (img) {
    var r = img.getBoundingClientRect();
    if (img.complete && img.naturalWidth > 0) {
      pictures.push({x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height});
    } else if (img.alt) {
      add(r, 'alt: ' + img.alt.slice(0, 45));
    }
  });
  var doc = document.documentElement;
  return JSON.stringify({innerWidth: innerWidth, scrollWidth: doc.scrollWidth,
    bodyScrollWidth: document.body.scrollWidth, height: doc.scrollHeight,
    boxes: boxes, pictures: pictures,
    broken: Array.prototype.filter.call(document.images, function (i) {
      return !i.complete || i.naturalWidth === 0; }).length,
    h1: document.querySelectorAll('h1').length, h2: document.querySelectorAll('h2').length,
    articles: document.querySelectorAll('[role="article"] [role="article"]').length});
})()
"""

AXE_RUN = """
axe.run(document, {resultTypes: ['violations']}).then(function (r) {
  return JSON.stringify(r.violations.map(function (v) {
    return {id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help}; }));
})
"""


@dataclass
class View:
    """What one page load measured."""

    width: int
    mode: str
    overflow: int
    min_contrast: float
    low_contrast: list[str]
    light_areas: list[list[int]]
    broken_images: int
    screenshot: str
    axe: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Report:
    """Every figure, and whether each target is met."""

    html_bytes: int
    stories: int
    htmlvalidate_errors: list[str]
    spam_score: float
    spam_rules: list[str]
    headings: dict[str, int]
    views: list[View]

    def failures(self) -> list[str]:
        """The targets missed, in words."""
        out = []
        if self.htmlvalidate_errors:
            out.append(f"html-validate: {len(self.htmlvalidate_errors)} error(s)")
        if self.spam_score > 0:
            out.append(f"SpamAssassin score {self.spam_score}: {', '.join(self.spam_rules)}")
        if self.html_bytes >= MAX_HTML_BYTES:
            out.append(f"email.html is {self.html_bytes:,} bytes (limit {MAX_HTML_BYTES:,})")
        for v in self.views:
            where = f"{v.width}px {v.mode}"
            if v.overflow > 0:
                out.append(f"{where}: {v.overflow}px horizontal overflow")
            if v.min_contrast < MIN_CONTRAST:
                out.append(f"{where}: contrast {v.min_contrast:.2f}: {v.low_contrast[:3]}")
            if v.light_areas:
                out.append(f"{where}: light areas {v.light_areas[:3]}")
            serious = [a for a in v.axe if a["impact"] in ("serious", "critical")]
            if serious:
                out.append(f"{where}: axe {[a['id'] for a in serious]}")
        return out


# -- colour ------------------------------------------------------------------------


def luminance(rgb: tuple[int, ...]) -> float:
    """WCAG relative luminance of an sRGB colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """WCAG contrast ratio of two colours."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def carries_words(text: str) -> bool:
    """Whether a text box holds a letter or digit to read.

    A separator on its own (" · ", "|") is decoration (WCAG's contrast rule exempts
    it), and its glyph is a few anti-aliased pixels whose commonest colour is an
    edge, so measuring it says more about the font rasteriser than the email."""
    return any(ch.isalnum() for ch in text)


def text_contrast(shot: Image.Image, box: dict[str, Any]) -> float:
    """The contrast of the text painted in ``box``: its background is the commonest
    colour there, its colour the commonest of the colours that stand out from the
    background (glyph cores; anti-aliased edges are each rarer, and so is a broken-
    picture icon beside an alt text)."""
    x0, y0 = int(box["x"] * SCALE), int(box["y"] * SCALE)
    x1, y1 = int((box["x"] + box["w"]) * SCALE), int((box["y"] + box["h"]) * SCALE)
    crop = shot.crop((x0, y0, max(x0 + 1, x1), max(y0 + 1, y1)))
    colours = crop.getcolors(maxcolors=crop.width * crop.height) or []
    if not colours:
        return 21.0
    background = max(colours)[1]
    ink = [(n, c) for n, c in colours if contrast(c, background) > 1.25]
    if not ink:
        return 1.0
    return contrast(max(ink)[1], background)


def light_areas(shot: Image.Image, pictures: list[dict[str, Any]]) -> list[list[int]]:
    """Boxes (CSS px: x, y, width, height) of light areas more than
    :data:`MAX_LIGHT_PX` tall and wide outside the pictures, in a 1x ``shot``.

    A pixel is light when its grey level is over 170 (relative luminance about
    0.4); an area counts when some (MAX_LIGHT_PX+1)-px square of it is all light
    (a box blur of the light mask that stays at full strength)."""
    mask = shot.convert("L").point(lambda v: 255 if v > 170 else 0)
    draw = ImageDraw.Draw(mask)
    for p in pictures:
        draw.rectangle([p["x"] - 1, p["y"] - 1, p["x"] + p["w"] + 1, p["y"] + p["h"] + 1], fill=0)
    radius = (MAX_LIGHT_PX + 1) // 2
    solid = mask.filter(ImageFilter.BoxBlur(radius)).point(lambda v: 255 if v >= 254 else 0)
    found = []
    bbox = solid.getbbox()
    while bbox and len(found) < 5:
        x0, y0, x1, y1 = bbox
        found.append([max(0, x0 - radius), max(0, y0 - radius), x1 - x0 + 2 * radius,
                      y1 - y0 + 2 * radius])  # fmt: skip
        ImageDraw.Draw(solid).rectangle([x0, y0, x1, y1], fill=0)
        bbox = solid.getbbox()
    return found


# -- tools -------------------------------------------------------------------------


def html_validate(path: Path) -> list[str]:
    """html-validate's errors for ``path`` (``file:line:col rule message``)."""
    binary = NODE / "node_modules" / ".bin" / "html-validate"
    if not binary.exists():
        raise SystemExit(f"{binary} missing: run `npm ci --prefix {NODE}` (.ci/run does)")
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [str(binary), "--config", str(HTMLVALIDATE_CONFIG),
             "--formatter", f"json={out.name}", str(path)],
            check=False, capture_output=True,
        )  # fmt: skip
        results = json.loads(Path(out.name).read_text() or "[]")
    return [
        f"{path.name}:{m['line']}:{m['column']} {m['ruleId']}: {m['message']}"
        for r in results
        for m in r["messages"]
        if m["severity"] == 2
    ]


def spamassassin(path: Path) -> tuple[float, list[str]]:
    """SpamAssassin's score for ``path`` with local tests only, and the rules that
    scored."""
    run = subprocess.run(
        ["spamassassin", "-L", "-t"], input=path.read_bytes(), capture_output=True, check=False
    )
    report = run.stdout.decode("utf-8", "replace")
    found = re.search(r"Content analysis details:\s+\((-?[\d.]+) points", report)
    if not found:
        raise SystemExit(f"spamassassin gave no report (is it installed?): {run.stderr[-300:]!r}")
    rules = [
        f"{m.group(2)} {m.group(1)}"
        for m in re.finditer(r"^\s*(-?\d+\.\d+)\s+([A-Z0-9_]+)\s", report, re.M)
        if float(m.group(1)) != 0
    ]
    return float(found.group(1)), rules


def browse(url: str, screenshots: Path, widths: tuple[int, ...] = WIDTHS) -> list[View]:
    """Load the email in each width and mode; measure, screenshot, run axe."""
    axe_source = AXE.read_text("utf-8")
    views = []
    with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as forced:
        plain = Chromium(Path(profile))
        dark = Chromium(Path(forced), FORCED_FLAGS)
        try:
            for width in widths:
                for mode, scheme, auto_dark, blocked in MODES:
                    browser = dark if mode.startswith("forced") else plain
                    view = _view(browser, url, width, mode, scheme, auto_dark, blocked, screenshots)
                    if not auto_dark and not blocked:
                        browser.evaluate(axe_source)
                        view.axe = json.loads(browser.evaluate(AXE_RUN, wait=True))
                    views.append(view)
        finally:
            plain.close()
            dark.close()
    return views


def _view(
    browser: Chromium, url: str, width: int, mode: str, scheme: str, auto_dark: bool,
    blocked: bool, screenshots: Path,
) -> View:  # fmt: skip
    browser.page("Network.enable")
    browser.page("Network.setBlockedURLs", urls=["*.jpg", "*.png"] if blocked else [])
    browser.load(url, width, scheme=scheme, forced_dark=auto_dark, scale=SCALE)
    data = json.loads(browser.evaluate(MEASURE))
    height = int(data["height"]) + BELOW
    png = browser.screenshot(width, height, SCALE)
    name = f"email-{width}-{mode}.png"
    shot = Image.open(io.BytesIO(png)).convert("RGB")
    small = shot.resize((width, height))
    save_shot(small, screenshots / name)  # 1x for people to look at
    ratios = [
        (text_contrast(shot, b), b["text"]) for b in data["boxes"] if carries_words(b["text"])
    ]
    low = sorted(r for r in ratios if r[0] < MIN_CONTRAST)
    return View(
        width=width,
        mode=mode,
        overflow=max(data["scrollWidth"], data["bodyScrollWidth"]) - width,
        min_contrast=round(min((r for r, _ in ratios), default=21.0), 2),
        low_contrast=[f"{r:.2f} {t!r}" for r, t in low],
        light_areas=light_areas(small, data["pictures"]) if "dark" in mode else [],
        broken_images=0 if blocked else data["broken"],
        screenshot=str(screenshots / name),
    )


def save_shot(image: Image.Image, path: Path) -> None:
    """Write ``image`` as a PNG at ``path`` whole: into a file beside it, renamed
    over it once written.  Under pytest-xdist both workers may build the tests'
    report and write the same screenshots; a test reading one must never find it
    half-written (nor a failed save leave one so)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    try:
        image.save(name, format="PNG")
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def headings(html: str) -> dict[str, int]:
    """How many h1, h2 and story landmarks the email has."""
    return {
        "h1": len(re.findall(r"<h1\b", html)),
        "h2": len(re.findall(r"<h2\b", html)),
        "role=article": len(re.findall(r'role="article"', html)) - 1,  # MJML's own wrapper
    }


def check(folder: Path, url: str, screenshots: Path) -> Report:
    """Every check on an export ``folder`` served at ``url`` (its ``email.html``)."""
    html = (folder / "email.html").read_text("utf-8")
    score, rules = spamassassin(folder / "email.eml")
    return Report(
        html_bytes=len(html.encode()),
        stories=len(re.findall(r"<h2\b", html)),
        htmlvalidate_errors=html_validate(folder / "email.html"),
        spam_score=score,
        spam_rules=rules,
        headings=headings(html),
        views=browse(url, screenshots),
    )


# -- the sample edition, with pictures from a local server ------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """``root`` over HTTP on 127.0.0.1 (a free port) while the block runs."""
    handler = partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def original_picture(seed: str, width: int = 1600, height: int = 1000) -> bytes:
    """A news-photo-sized JPEG (sky, ground and a few shapes), different per seed."""
    digest = hashlib.sha256(seed.encode()).digest()
    sky = (digest[0] // 2 + 60, digest[1] // 2 + 90, 150 + digest[2] // 3)
    ground = (digest[3] // 3 + 40, digest[4] // 3 + 60, digest[5] // 4 + 30)
    picture = Image.new("RGB", (width, height), sky)
    draw = ImageDraw.Draw(picture)
    draw.rectangle([0, height * 3 // 5, width, height], fill=ground)
    for i in range(6):
        x = digest[6 + i] * width // 256
        draw.ellipse([x, height // 3, x + width // 8, height // 3 + width // 8],
                     fill=(digest[12 + i], digest[18 + i] // 2, 80))  # fmt: skip
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=92)
    return out.getvalue()


def build_sample(root: Path, base: str) -> Path:
    """Export the sample edition into ``root/export``, its pictures fetched from
    ``base/originals/`` (files written there on demand) and linked from
    ``base/export/images``."""
    from digest.config import parse_config
    from digest.edition import make_digest
    from digest.export import default_addresses, write_export
    from digest.render import Renderer
    from digest.render.images import http_fetch
    from digest.store import open_store

    data = tomllib.loads((ROOT / "config.toml").read_text("utf-8"))
    data["store"] = {"path": str(root / "digest.sqlite3")}
    data["senders"] = {}
    render = data.setdefault("render", {})
    render["images"] = {"base_url": f"{base}/export/images", "folder": str(root / "cache")}
    config = parse_config(data, base_dir=ROOT)
    originals = root / "originals"
    originals.mkdir(parents=True, exist_ok=True)
    local = http_fetch(10.0, 20_000_000, "check_email")

    def fetch(url: str) -> bytes:
        name = hashlib.sha256(url.encode()).hexdigest()[:16] + ".jpg"
        if not (originals / name).exists():
            (originals / name).write_bytes(original_picture(url))
        return local(f"{base}/originals/{name}")

    with open_store(root / "digest.sqlite3") as store:
        app = make_digest(config=config, store=store)
        app.ingest()
        edition = app.select(SAMPLE_AS_OF)
    renderer = Renderer(config.digest, config.render, base_dir=ROOT, fetch=fetch)
    renditions = renderer.render_generic(edition)
    folder = root / "export"
    write_export(folder, edition, renditions, addresses=default_addresses(
        config.digest.name, config.digest.site_url))  # fmt: skip
    return folder


def sample_report(screenshots: Path) -> Report:
    """Build the sample edition with local pictures and check it."""
    with tempfile.TemporaryDirectory() as tmp, serve(Path(tmp)) as base:
        folder = build_sample(Path(tmp), base)
        return check(folder, f"{base}/export/email.html", screenshots)


def print_report(report: Report) -> None:
    """The figures, one target a line."""
    print(f"email.html: {report.html_bytes:,} bytes for {report.stories} stories "
          f"(limit {MAX_HTML_BYTES:,})")  # fmt: skip
    print(f"headings: {report.headings}")
    print(f"html-validate errors: {len(report.htmlvalidate_errors)}")
    for error in report.htmlvalidate_errors[:20]:
        print(f"  {error}")
    print(f"SpamAssassin score: {report.spam_score} {report.spam_rules}")
    print("Chromium (width, mode: overflow px, lowest text contrast, light areas, axe serious+):")
    for v in report.views:
        serious = [a["id"] for a in v.axe if a["impact"] in ("serious", "critical")]
        axe = f"{len(serious)} {serious}" if "auto" not in v.mode and "-no-" not in v.mode else "-"
        print(f"  {v.width:>3}px {v.mode:<16} overflow {v.overflow:>3}  contrast "
              f"{v.min_contrast:>5.2f}  light areas {len(v.light_areas)}  axe {axe}")  # fmt: skip
        for low in v.low_contrast[:5]:
            print(f"      low contrast {low}")
        for area in v.light_areas[:5]:
            print(f"      light area x,y,w,h {area}")
    failures = report.failures()
    print("all targets met" if not failures else "MISSED:\n  " + "\n  ".join(failures))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--export", type=Path, help="an export folder (default: build the sample)")
    parser.add_argument("--screenshots", type=Path, default=ROOT / "tests" / "artifacts" / "check")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} not found: install Debian's chromium")
    if args.export:
        with serve(args.export) as base:
            report = check(args.export, f"{base}/email.html", args.screenshots)
    else:
        report = sample_report(args.screenshots)
    if args.json:
        print(json.dumps(asdict(report), indent=2))
    else:
        print_report(report)
    return 1 if report.failures() else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    sys.exit(main())
