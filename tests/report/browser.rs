//! Drives Debian's headless Chromium to lay the report out at a given width and colour scheme:
//! measures it with a small script (in a test-only copy of the page) and takes screenshots.
//!
//! Headless Chromium will not make a window narrower than 500 px, so a phone is emulated by
//! loading the report into an `<iframe srcdoc>` of the phone's width: inside the frame the
//! layout viewport, media queries and `innerWidth` are exactly the phone's. Phones have overlay
//! scrollbars, so phone runs hide scrollbars; desktop runs keep them, like a desktop browser.
//! The report has no scripts and forbids them by CSP; the measuring copy relaxes the CSP to let
//! exactly one inline script run, and [`Chromium::measure`] fails loudly if that ever stops
//! matching the page.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde::Deserialize;

/// Where Debian installs Chromium; `STOCKLENS_CHROMIUM` overrides it.
const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";

/// A headless run normally takes one or two seconds; a hung browser must fail the test, not
/// hang it.
const RUN_TIMEOUT: Duration = Duration::from_secs(90);

/// Headless Chromium's smallest window width; narrower viewports need the frame.
const MIN_WINDOW_WIDTH: u32 = 500;

/// The frame height for measuring: layout width does not depend on it, and it keeps the
/// measuring run cheap.
const PROBE_HEIGHT: u32 = 1000;

/// Screenshots taller than this are split into a top and an end picture, since huge software
/// rendered bitmaps are slow and hard to look at.
const MAX_SHOT_HEIGHT: u32 = 7000;

/// The CSP the renderer writes; the measuring copy adds `script-src` to it.
pub const REPORT_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/// Runs in the measuring copy of the report, inside the frame, and writes what it found into
/// the embedding page's `#result` as JSON (with `<`, `>`, `&` escaped so the DOM dump keeps it
/// intact).
const PROBE_SCRIPT: &str = r#"<script>
(function () {
  var vw = window.innerWidth, de = document.documentElement, cw = de.clientWidth;
  function name(el) {
    var cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '';
    return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls;
  }
  var maxRight = 0, widest = '', outside = [], wider = [];
  var all = document.body.getElementsByTagName('*');
  for (var i = 0; i < all.length; i++) {
    var el = all[i];
    if (el.id === 'probe') continue;
    // What is inside a scrolling box may be wider than the screen; the box itself is checked.
    if (el.parentElement && el.parentElement.closest('.scroll')) continue;
    var r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > maxRight) { maxRight = r.right; widest = name(el); }
    if (r.right > cw + 0.5 || r.left < -0.5) {
      outside.push(name(el) + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
    }
    // A box whose content sticks out of it (visible overflow) looks broken even on screen.
    var style = getComputedStyle(el);
    if (!(el instanceof SVGElement) && style.overflowX === 'visible' && style.display !== 'inline'
        && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
      wider.push(name(el) + ' ' + el.scrollWidth + '>' + el.clientWidth);
    }
  }
  // SVG text past the edge of its picture is cut off.
  var clipped = [], pictures = 0;
  var svgs = document.querySelectorAll('svg');
  for (var s = 0; s < svgs.length; s++) {
    var box = svgs[s].getBoundingClientRect();
    if (box.width === 0) continue;
    pictures++;
    var texts = svgs[s].querySelectorAll('text');
    for (var t = 0; t < texts.length; t++) {
      var tr = texts[t].getBoundingClientRect();
      if (tr.left < box.left - 0.5 || tr.right > box.right + 0.5 || tr.top < box.top - 0.5 || tr.bottom > box.bottom + 0.5) {
        clipped.push(svgs[s].getAttribute('class') + ': ' + texts[t].textContent.slice(0, 40));
      }
    }
  }
  var result = {
    inner_width: vw, client_width: cw, scroll_width: de.scrollWidth, height: de.scrollHeight,
    max_right: maxRight, widest: widest, outside: outside.slice(0, 20), wider: wider.slice(0, 20),
    clipped_svg_text: clipped.slice(0, 20), visible_charts: pictures,
    dark: matchMedia('(prefers-color-scheme: dark)').matches,
    background: getComputedStyle(document.body).backgroundColor
  };
  parent.document.getElementById('result').textContent = JSON.stringify(result).replace(/[<>&]/g, function (c) {
    return '\\u' + ('000' + c.charCodeAt(0).toString(16)).slice(-4);
  });
})();
</script>"#;

/// One viewport to lay the report out in.
#[derive(Clone, Copy, Debug)]
pub struct View {
    /// CSS pixels.
    pub width: u32,
    pub scheme: Scheme,
}

impl View {
    /// `{width}-{scheme}`, for file names.
    pub fn name(self) -> String {
        format!("{}-{}", self.width, self.scheme.name())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    Light,
    Dark,
}

impl Scheme {
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Light => "light",
            Scheme::Dark => "dark",
        }
    }
}

/// What the probe script measured.
#[derive(Debug, Deserialize)]
pub struct Layout {
    pub inner_width: f64,
    /// The usable width: the viewport minus a classic scrollbar, if any.
    pub client_width: f64,
    pub scroll_width: f64,
    pub height: f64,
    pub max_right: f64,
    /// The element reaching furthest right.
    pub widest: String,
    /// Elements (outside scrolling boxes) reaching past the viewport.
    pub outside: Vec<String>,
    /// Boxes whose content sticks out of them.
    pub wider: Vec<String>,
    pub clipped_svg_text: Vec<String>,
    pub visible_charts: u32,
    pub dark: bool,
    /// The page background, as `rgb(r, g, b)`.
    pub background: String,
}

impl Layout {
    /// Relative luminance of the page background, 0 (black) to 1 (white).
    pub fn background_luminance(&self) -> Option<f64> {
        let inner = self.background.strip_prefix("rgb(")?.strip_suffix(')')?;
        let channels: Vec<f64> = inner
            .split(',')
            .map(|c| c.trim().parse::<f64>().ok())
            .collect::<Option<_>>()?;
        match channels.as_slice() {
            [r, g, b] => Some((0.2126 * r + 0.7152 * g + 0.0722 * b) / 255.0),
            _ => None,
        }
    }
}

pub struct Chromium {
    path: PathBuf,
}

impl Chromium {
    /// The installed Chromium; panics with instructions when there is none, because a layout
    /// suite that skips itself proves nothing.
    pub fn find() -> Chromium {
        let path = std::env::var_os("STOCKLENS_CHROMIUM")
            .map_or_else(|| PathBuf::from(DEFAULT_CHROMIUM), PathBuf::from);
        assert!(
            path.is_file(),
            "the report browser tests need Chromium at {} (install Debian's `chromium` package, \
             or point STOCKLENS_CHROMIUM at a Chromium binary)",
            path.display()
        );
        Chromium { path }
    }

    /// Lays `html` out in `view` and measures it.
    pub fn measure(&self, html: &str, view: View, work: &Path) -> Layout {
        let relaxed = format!("{REPORT_CSP}; script-src 'unsafe-inline'");
        let csp_attr = format!(r#"content="{REPORT_CSP}""#);
        assert!(
            html.contains(&csp_attr),
            "the report no longer carries the expected CSP meta tag ({REPORT_CSP})"
        );
        let probe = html
            .replacen(&csp_attr, &format!(r#"content="{relaxed}""#), 1)
            .replacen("</body>", &format!("{PROBE_SCRIPT}</body>"), 1);
        let dom = self.dump_dom(&probe, view, work);
        let json = result_text(&dom).unwrap_or_else(|| {
            panic!(
                "the probe script did not report at {}; DOM:\n{}",
                view.name(),
                tail(&dom)
            )
        });
        serde_json::from_str(json)
            .unwrap_or_else(|e| panic!("probe result is not the expected JSON ({e}): {json}"))
    }

    /// Loads `html` unchanged except for `script` appended to its body, and returns what the
    /// script wrote into `#result`, if anything (nothing when the page's CSP blocked it).
    pub fn run_appended_script(&self, html: &str, script: &str, work: &Path) -> Option<String> {
        let page = html.replacen("</body>", &format!("{script}</body>"), 1);
        let view = View {
            width: 390,
            scheme: Scheme::Light,
        };
        let dom = self.dump_dom(&page, view, work);
        result_text(&dom).map(str::to_owned)
    }

    /// Screenshots the unmodified report, `height` CSS pixels tall, in `view`: whole when it
    /// is short enough, else its top and its end (`{stem}.png`, `{stem}-end.png`). Returns
    /// the files written.
    pub fn screenshot(
        &self,
        html: &str,
        view: View,
        height: u32,
        dir: &Path,
        stem: &str,
        work: &Path,
    ) -> Vec<PathBuf> {
        let window_height = height.min(MAX_SHOT_HEIGHT);
        let mut parts = vec![(format!("{stem}.png"), 0)];
        if height > MAX_SHOT_HEIGHT {
            parts.push((format!("{stem}-end.png"), height - window_height));
        }
        parts
            .into_iter()
            .map(|(name, offset)| {
                let out = dir.join(name);
                let _ = std::fs::remove_file(&out);
                let file = work.join(format!("{stem}-{offset}.html"));
                write(
                    &file,
                    &frame_page(html, view.width, height, offset, window_height),
                );
                self.run(
                    &[
                        format!("--screenshot={}", out.display()),
                        format!("--window-size={},{window_height}", window_width(view.width)),
                        file_url(&file),
                    ],
                    view,
                    work,
                );
                assert!(
                    out.is_file(),
                    "Chromium wrote no screenshot at {}",
                    out.display()
                );
                out
            })
            .collect()
    }

    fn dump_dom(&self, html: &str, view: View, work: &Path) -> String {
        let file = work.join(format!("probe-{}.html", view.name()));
        write(
            &file,
            &frame_page(html, view.width, PROBE_HEIGHT, 0, PROBE_HEIGHT),
        );
        self.run(
            &[
                "--dump-dom".to_owned(),
                format!("--window-size={},{PROBE_HEIGHT}", window_width(view.width)),
                file_url(&file),
            ],
            view,
            work,
        )
    }

    /// Runs one headless Chromium with its own profile and returns its stdout.
    fn run(&self, args: &[String], view: View, work: &Path) -> String {
        let profile = tempfile::tempdir_in(work).expect("a temporary Chromium profile");
        let mut command = Command::new(&self.path);
        command.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--virtual-time-budget=2000",
        ]);
        command.arg(format!("--user-data-dir={}", profile.path().display()));
        if view.width < MIN_WINDOW_WIDTH {
            // Phones have overlay scrollbars that take no width.
            command.arg("--hide-scrollbars");
        }
        if view.scheme == Scheme::Dark {
            // The blink setting drives `prefers-color-scheme` in this Chromium (checked by
            // the tests through matchMedia); the flag sets the browser theme to match.
            command.args([
                "--blink-settings=preferredColorScheme=0",
                "--force-dark-mode",
            ]);
        } else {
            command.arg("--blink-settings=preferredColorScheme=1");
        }
        command.args(args);
        let stdout_path = profile.path().join("stdout");
        let stderr_path = profile.path().join("stderr");
        command
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&stdout_path).expect("stdout file"))
            .stderr(std::fs::File::create(&stderr_path).expect("stderr file"));
        let mut child = command
            .spawn()
            .unwrap_or_else(|e| panic!("could not start {}: {e}", self.path.display()));
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("waiting for Chromium") {
                break status;
            }
            if started.elapsed() > RUN_TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                panic!("Chromium did not finish within {RUN_TIMEOUT:?}: {args:?}");
            }
            thread::sleep(Duration::from_millis(50));
        };
        let stdout = std::fs::read_to_string(&stdout_path).unwrap_or_default();
        let stderr = std::fs::read_to_string(&stderr_path).unwrap_or_default();
        assert!(
            status.success(),
            "Chromium failed ({status}) for {args:?}:\n{}",
            tail(&stderr)
        );
        stdout
    }
}

fn window_width(width: u32) -> u32 {
    width.max(MIN_WINDOW_WIDTH)
}

/// A page showing `visible` CSS pixels of `html`, from `offset` down, laid out in a frame of
/// exactly `width` x `height`. A tall frame shifted up shows the end of a long page: Chromium
/// does not paint a frame scrolled into view far down its embedding page. The grey beside a
/// narrow frame is outside the emulated phone.
fn frame_page(html: &str, width: u32, height: u32, offset: u32, visible: u32) -> String {
    let srcdoc = html.replace('&', "&amp;").replace('"', "&quot;");
    format!(
        r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>frame</title></head><body style="margin:0;background:#777"><div style="position:relative;overflow:hidden;width:{width}px;height:{visible}px"><iframe title="report" style="position:absolute;left:0;top:-{offset}px;border:0;width:{width}px;height:{height}px" srcdoc="{srcdoc}"></iframe></div><pre id="result" style="margin:0"></pre></body></html>"#
    )
}

/// The text of `<pre id="result">` in a DOM dump, if it has any.
fn result_text(dom: &str) -> Option<&str> {
    let start = dom.find(r#"<pre id="result""#)?;
    let open_end = start + dom[start..].find('>')? + 1;
    let close = open_end + dom[open_end..].find("</pre>")?;
    let text = dom[open_end..close].trim();
    (!text.is_empty()).then_some(text)
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn write(path: &Path, content: &str) {
    std::fs::write(path, content).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
}

/// The last lines of a long text, for failure messages.
fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}
