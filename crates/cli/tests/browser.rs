//! The web app in a real browser: Debian's headless Chromium driven through ChromeDriver
//! (WebDriver), against `frontdesk serve` on a temporary database. Signs in, records a contact
//! through the API and sees it appear in the open inbox without a reload, marks it answered,
//! edits a client's terms, switches the language, and checks that the screenshots taken on the
//! way are not blank (they are kept under target/screenshots for people to look at).
//!
//! Needs /usr/bin/chromium and /usr/bin/chromedriver (Debian's chromium and chromium-driver,
//! which `.ci/run` installs).

mod common;
use common::{Desk, RUIZ, Server};

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

/// A WebDriver session.
struct Browser {
    base: String,
    _driver: Killed,
    _profile: tempfile::TempDir,
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Browser {
    fn start() -> Browser {
        for bin in ["/usr/bin/chromium", "/usr/bin/chromedriver"] {
            assert!(
                std::path::Path::new(bin).exists(),
                "{bin} is missing: install Debian's chromium and chromium-driver (.ci/run does)"
            );
        }
        let port = free_port();
        let driver = Killed(
            Command::new("/usr/bin/chromedriver")
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while agent().get(format!("{base}/status")).call().is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--lang=en-US",
                    "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }
        }}});
        let resp: Value = agent()
            .post(format!("{base}/session"))
            .send_json(&caps)
            .unwrap()
            .into_body()
            .read_json()
            .unwrap();
        let id = resp["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no WebDriver session: {resp}"))
            .to_string();
        Browser {
            base: format!("{base}/session/{id}"),
            _driver: driver,
            _profile: profile,
        }
    }

    fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}{path}", self.base);
        let resp = match method {
            "GET" => agent().get(url).call(),
            _ => agent().post(url).send_json(&body),
        }
        .unwrap();
        let v: Value = resp.into_body().read_json().unwrap();
        v["value"].clone()
    }

    fn go(&self, url: &str) {
        self.call("POST", "/url", json!({"url": url}));
    }

    fn url(&self) -> String {
        self.call("GET", "/url", Value::Null)
            .as_str()
            .unwrap()
            .to_string()
    }

    fn try_find(&self, css: &str) -> Option<String> {
        let v = self.call(
            "POST",
            "/element",
            json!({"using": "css selector", "value": css}),
        );
        v[ELEMENT].as_str().map(str::to_string)
    }

    /// Waits up to 10 s for an element, without reloading the page.
    fn find(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(e) = self.try_find(css) {
                return e;
            }
            assert!(Instant::now() < deadline, "no {css} on {}", self.url());
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn click(&self, css: &str) {
        let e = self.find(css);
        self.call("POST", &format!("/element/{e}/click"), json!({}));
    }

    fn fill(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.call("POST", &format!("/element/{e}/clear"), json!({}));
        self.call(
            "POST",
            &format!("/element/{e}/value"),
            json!({"text": text}),
        );
    }

    /// The page's visible text (empty while a page is loading).
    fn text(&self) -> String {
        self.call(
            "POST",
            "/execute/sync",
            json!({"script": "return document.body ? document.body.innerText : ''", "args": []}),
        )
        .as_str()
        .unwrap_or("")
        .to_string()
    }

    /// Waits up to 10 s for the page to contain `needle`.
    fn wait_text(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.text().contains(needle) {
            assert!(
                Instant::now() < deadline,
                "{needle:?} never showed on {}:\n{}",
                self.url(),
                self.text()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Presses a key on the page, as a person would.
    fn keys(&self, key: &str) {
        self.call(
            "POST",
            "/actions",
            json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
                {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}
            ]}]}),
        );
    }

    /// The serious and critical accessibility violations axe-core (from npm) finds on the page,
    /// as "rule: count" lines.
    fn axe(&self, source: &str) -> Vec<String> {
        self.call(
            "POST",
            "/execute/sync",
            json!({"script": format!("{source}; return true;"), "args": []}),
        );
        let found = self.call(
            "POST",
            "/execute/async",
            json!({
                "script": "var done = arguments[arguments.length - 1];
                    axe.run(document, { resultTypes: ['violations'] }).then(function (r) {
                      done(r.violations
                        .filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; })
                        .map(function (v) { return v.id + ': ' + v.nodes.length + ' ' + v.nodes.map(function (n) { return n.target.join(' '); }).slice(0, 3).join(', '); }));
                    });",
                "args": []
            }),
        );
        found
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|v| v.as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_else(|| vec![format!("axe did not run: {found}")])
    }

    /// Takes a screenshot, keeps it, and checks it is not blank.
    fn screenshot(&self, name: &str) {
        let b64 = self.call("GET", "/screenshot", Value::Null);
        let bytes = base64_decode(b64.as_str().unwrap());
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), &bytes).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        // A desktop window, or a phone's (360 px) at the end.
        assert!(
            info.width >= 360 && info.height >= 500,
            "{name}: {}x{}",
            info.width,
            info.height
        );
        let px = info.color_type.samples();
        let mut colors = std::collections::HashSet::new();
        for p in buf[..info.buffer_size()].chunks(px).step_by(97) {
            colors.insert(p.to_vec());
        }
        assert!(
            colors.len() >= 8,
            "{name} looks blank: {} colours",
            colors.len()
        );
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = agent().delete(&self.base).call();
    }
}

/// axe-core's script, installed from npm into the test's directory on first use.
fn axe_source() -> String {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("axe");
    let file = dir.join("node_modules/axe-core/axe.min.js");
    if !file.exists() {
        std::fs::create_dir_all(&dir).unwrap();
        let status = std::process::Command::new("npm")
            .args([
                "install",
                "--no-audit",
                "--no-fund",
                "--silent",
                "axe-core@4",
            ])
            .current_dir(&dir)
            .status()
            .expect("npm runs (Node.js is on the machine)");
        assert!(status.success(), "npm install axe-core failed");
    }
    std::fs::read_to_string(file).unwrap()
}

fn base64_decode(s: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {c}"),
        }
    };
    let clean: Vec<u8> = s
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let n = chunk.iter().fold(0u32, |acc, c| (acc << 6) | value(*c)) << (6 * (4 - chunk.len()));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len() - 1]);
    }
    out
}

/// The day in the browser happens at a fixed moment: Wednesday 2 December 2026, 11:00 in Madrid
/// (the server's clock stands still there), a day after the voicemail came in.
const DAY: &str = "2026-12-02T11:00:00+01:00";
const VOICEMAIL_AT: &str = "2026-12-01T10:00:00+01:00";

#[test]
fn a_day_in_the_browser() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    desk.ok_with_stdin(
        &["password", "set", "--member", "ana"],
        "a long enough password\n",
    );
    let token = desk
        .ok(&["token", "create", "--member", "ana"])
        .trim()
        .to_string();
    let server = Server::start_with(&desk, &["--at", DAY]).0;
    let url = server.url.clone();
    let browser = Browser::start();

    browser.go(&format!("{url}/signin"));
    browser.fill("#email", "ana@ruiz.example");
    browser.fill("#password", "a long enough password");
    browser.screenshot("1-signin");
    browser.click("button[type=submit]");
    browser.wait_text("Nothing needs an answer.");
    assert!(browser.url().ends_with("/inbox"));
    browser.screenshot("2-empty-inbox");

    // A phone system records a voicemail; the open inbox shows it without a reload. It
    // arrived the morning before, so answering it now comes after it and the dashboard shows it.
    let two_days_ago = VOICEMAIL_AT;
    let resp = agent()
        .post(format!("{url}/api/v1/contacts"))
        .header("Authorization", format!("Bearer {token}"))
        .send_json(
            json!({"client": "acme", "channel": "voicemail", "from": "+34600111222",
                          "at": two_days_ago, "body": "Hola, soy Marcos. Llámame."}),
        )
        .unwrap();
    assert_eq!(resp.status().as_u16(), 201);
    browser.find("a[href=\"/contacts/1\"]");
    browser.wait_text("Hola, soy Marcos");
    browser.screenshot("3-live-inbox");

    // The keys: "a" checks the first row after "j" selects it, "o" opens it.
    browser.keys("j");
    browser.keys("a");
    let checked = browser.call(
        "POST",
        "/execute/sync",
        json!({"script": "return document.querySelector('#inbox-rows tbody input[type=checkbox]').checked", "args": []}),
    );
    assert_eq!(checked, json!(true));
    browser.keys("o");
    browser.wait_text("Gracias por ponerse en contacto");
    assert!(browser.url().ends_with("/contacts/1"), "{}", browser.url());
    browser.click("form[action=\"/contacts/1/answer\"] button");
    browser.wait_text("Answered at");
    browser.screenshot("4-answered");

    browser.go(&format!("{url}/dashboard"));
    browser.wait_text("Contacts per week");
    browser.screenshot("5-dashboard");

    // Terms: email answered within 6h instead of 8h.
    browser.go(&format!("{url}/clients/acme"));
    browser.fill("#email", "6h");
    browser.click("#save-terms");
    browser.wait_text("The terms are saved.");
    browser.screenshot("6-terms");
    assert!(desk.ok(&["export"]).contains("email = \"6h\""));

    // The member switches the pages to Spanish.
    browser.click("#pref-language option[value=es]");
    browser.click("#language-save");
    browser.wait_text("Condiciones");
    browser.go(&format!("{url}/inbox"));
    browser.wait_text("No hay nada pendiente de respuesta.");
    browser.screenshot("7-spanish-inbox");

    // Ana writes acme's brief for her August absence; the page says it waits for Pedro.
    browser.go(&format!("{url}/briefs/ana/2026-08-03"));
    browser.fill(
        "#brief-acme-status",
        "Informe del segundo trimestre a medias",
    );
    browser.fill("#brief-acme-items", "2026-08-10: enviar el informe");
    browser.click("form[action=\"/briefs/ana/2026-08-03/acme\"] button[type=submit]");
    browser.wait_text("pendiente de confirmación de quien cubre");
    browser.screenshot("7b-spanish-brief");
    let list = desk.json(&["brief", "list", "--member", "ana", "--from", "2026-08-03"]);
    assert_eq!(
        list["clients"][0]["brief"]["content"]["status"], "Informe del segundo trimestre a medias",
        "{list}"
    );

    // Every page in two languages: no serious or critical accessibility violation (axe-core).
    let axe = axe_source();
    let mut violations = Vec::new();
    for language in ["es", "en"] {
        browser.go(&format!("{url}/inbox"));
        browser.click(&format!("#pref-language option[value={language}]"));
        browser.click("#language-save");
        for path in [
            "/inbox",
            "/clients",
            "/clients/acme",
            "/dashboard",
            "/team",
            "/agenda",
            "/outbox",
            "/settings",
            "/contacts/1",
            "/briefs/ana/2026-08-03",
            "/briefs/ana/2026-08-03/report",
            "/audit",
            "/risk",
            "/digest",
            "/promises",
            "/deliverables",
        ] {
            browser.go(&format!("{url}{path}"));
            for v in browser.axe(&axe) {
                violations.push(format!("{language} {path} {v}"));
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));

    // On a phone (360 px wide) no page is wider than the screen.
    browser.call("POST", "/window/rect", json!({"width": 360, "height": 740}));
    for path in ["/inbox", "/clients/acme", "/dashboard", "/team", "/agenda"] {
        browser.go(&format!("{url}{path}"));
        let overflow = browser.call(
            "POST",
            "/execute/sync",
            json!({"script": "return document.documentElement.scrollWidth - window.innerWidth", "args": []}),
        );
        assert!(
            overflow.as_i64().unwrap_or(i64::MAX) <= 0,
            "{path} is {overflow} px wider than a 360 px screen"
        );
    }
    browser.go(&format!("{url}/inbox"));
    browser.screenshot("8-phone-inbox");
}

/// A new user's path in the browser, on a fresh database and a fixed clock: set up (a refusal
/// keeps what was typed), first client and their person, a booking link, the client books
/// through it and reaches their change page, the first contact comes in and is answered —
/// every page checked with axe-core.
#[test]
fn a_new_user_from_an_empty_database_to_the_first_answer() {
    const NOW: &str = "2026-12-01T09:00:00Z";
    let desk = Desk::new();
    let server = Server::start_with(&desk, &["--at", NOW]).0;
    let url = server.url.clone();
    let browser = Browser::start();
    let axe = axe_source();
    let mut violations = Vec::new();
    let mut check = |browser: &Browser, name: &str| {
        for v in browser.axe(&axe) {
            violations.push(format!("{name} {v}"));
        }
    };

    browser.go(&format!("{url}/"));
    browser.find("#practice");
    check(&browser, "setup");
    for (field, value) in [
        ("#practice", "Estudio Vega"),
        ("#name", "Eva Vega"),
        ("#handle", "eva"),
        ("#email", "eva@vega.example"),
        ("#time_zone", "Madrid"),
        ("#password", "a long enough password"),
    ] {
        browser.fill(field, value);
    }
    browser.click("#language option[value=es]");
    browser.click("form[action=\"/setup\"] button[type=submit]");
    // Not a zone: said in words, and nothing typed is lost.
    browser.find("#setup-error");
    browser.wait_text("Time zone:");
    let kept = browser.call(
        "POST",
        "/execute/sync",
        json!({"script": "return document.querySelector('#practice').value", "args": []}),
    );
    assert_eq!(kept, json!("Estudio Vega"));
    browser.fill("#time_zone", "Europe/Madrid");
    browser.fill("#password", "a long enough password");
    browser.click("form[action=\"/setup\"] button[type=submit]");
    browser.wait_text("First steps");
    browser.find("#first-steps");
    check(&browser, "first inbox");

    // The first client, from the Clients page.
    browser.go(&format!("{url}/clients"));
    browser.find("#clients-empty");
    browser.fill("#new-name", "Marcos Gil SL");
    browser.fill("#new-handle", "marcos");
    browser.fill("#new-email", "marcos@gil.example");
    browser.click("#new-client-save");
    browser.find("#people");
    check(&browser, "client page");
    browser.fill("#person-name", "Lucía Gil");
    browser.fill("#person-email", "lucia@gil.example");
    browser.click("#add-person-save");
    browser.wait_text("Lucía Gil — lucia@gil.example");
    browser.click("#new-booking-link");
    // Wait for the page with the new link before reading it.
    browser.find("#new-link");
    let link = browser.call(
        "POST",
        "/execute/sync",
        json!({"script": "return document.querySelector('#new-link').textContent", "args": []}),
    );
    let link = link.as_str().unwrap().to_string();

    // The client books through the link, in Spanish.
    browser.go(&link);
    browser.wait_text("Reserve una llamada con Estudio Vega");
    check(&browser, "booking page");
    browser.click("button.slot");
    browser.find("#book-details");
    check(&browser, "booking details");
    browser.fill("#book-name", "Marcos Gil");
    browser.fill("#book-email", "marcos@gil.example");
    browser.fill("#book-topic", "Las cuentas del año");
    browser.click("#book-confirm");
    browser.wait_text("Reservado");
    browser.click("#change-link");
    browser.wait_text("Su llamada con Estudio Vega");
    check(&browser, "change page");

    // The first contact comes in and is answered.
    desk.ok(&[
        "contact",
        "add",
        "--client",
        "marcos",
        "--channel",
        "email",
        "--from",
        "marcos@gil.example",
        "--at",
        "2026-12-01T08:30:00Z",
        "--body",
        "¿Podemos revisar las cuentas del año?",
    ]);
    browser.go(&format!("{url}/inbox"));
    browser.wait_text("revisar las cuentas");
    browser.click("a[href=\"/contacts/1\"]");
    browser.click("form[action=\"/contacts/1/answer\"] button");
    browser.wait_text("Answered at");
    check(&browser, "answered contact");
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}
