//! What the integration tests share: a desk on a temporary database, driven through the real
//! `frontdesk` binary.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;

pub mod mail_servers;

pub const RUIZ: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/ruiz.toml");

/// The PostgreSQL server the tests run on instead of SQLite: `FRONTDESK_TEST_POSTGRES` names its
/// maintenance database (`scripts/test` starts a server and sets it); each desk gets a database
/// of its own there, dropped with it.
pub fn postgres() -> Option<String> {
    std::env::var("FRONTDESK_TEST_POSTGRES")
        .ok()
        .filter(|s| !s.is_empty())
}

pub struct Desk {
    pub dir: tempfile::TempDir,
    /// On PostgreSQL: the server's maintenance URL and this desk's database.
    pg: Option<(String, String)>,
}

impl Desk {
    pub fn new() -> Desk {
        Desk::on(postgres())
    }

    /// A desk on a database of its own on the PostgreSQL server whose maintenance database is
    /// `admin`, or on SQLite.
    pub fn on(admin: Option<String>) -> Desk {
        let pg = admin.map(|admin| {
            static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .subsec_nanos();
            let name = format!(
                "fd_test_{}_{}_{nanos}",
                std::process::id(),
                NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            );
            let mut c = postgres::Client::connect(&admin, postgres::NoTls)
                .unwrap_or_else(|e| panic!("FRONTDESK_TEST_POSTGRES={admin}: {e}"));
            c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
            (admin, name)
        });
        Desk {
            dir: tempfile::tempdir().unwrap(),
            pg,
        }
    }

    /// What `--db` is given: the SQLite file, or the PostgreSQL database's URL.
    pub fn db(&self) -> PathBuf {
        match &self.pg {
            Some((admin, name)) => {
                let (server, _) = admin.rsplit_once('/').unwrap();
                PathBuf::from(format!("{server}/{name}"))
            }
            None => self.dir.path().join("desk.db"),
        }
    }

    pub fn on_postgres(&self) -> bool {
        self.pg.is_some()
    }

    /// One number the database answers, read straight from it (SQL both backends speak).
    pub fn scalar(&self, sql: &str) -> i64 {
        match &self.pg {
            Some(_) => {
                let mut c = postgres::Client::connect(self.db().to_str().unwrap(), postgres::NoTls)
                    .unwrap();
                c.query_one(sql, &[]).unwrap().get(0)
            }
            None => {
                let c = rusqlite::Connection::open(self.db()).unwrap();
                c.query_row(sql, [], |r| r.get(0)).unwrap()
            }
        }
    }

    /// Runs statements straight on the database; the database's error, if it refused.
    pub fn execute(&self, sql: &str) -> Result<(), String> {
        match &self.pg {
            Some(_) => {
                let mut c = postgres::Client::connect(self.db().to_str().unwrap(), postgres::NoTls)
                    .unwrap();
                c.batch_execute(sql).map_err(|e| {
                    e.as_db_error()
                        .map_or_else(|| e.to_string(), |d| d.message().to_string())
                })
            }
            None => {
                let c = rusqlite::Connection::open(self.db()).unwrap();
                c.execute_batch(sql).map_err(|e| e.to_string())
            }
        }
    }

    /// Whether nothing was ever written to the database (`--db` untouched).
    pub fn untouched(&self) -> bool {
        match &self.pg {
            Some(_) => {
                self.scalar(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
                ) == 0
            }
            None => !self.db().exists(),
        }
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    /// The command `run` runs, to change before running it.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_frontdesk"));
        c.arg("--db")
            .arg(self.db())
            .args(args)
            .env_remove("FRONTDESK_DB")
            // The tests' calendar servers listen on loopback, which feeds may not reach
            // otherwise.
            .env("FRONTDESK_FEED_ALLOW_HOSTS", "127.0.0.1")
            // The password of the tests' IMAP server (common::mail_servers::Dovecot).
            .env("FRONTDESK_TEST_IMAP", mail_servers::IMAP_PASSWORD);
        c
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        serde_json::from_str(&self.ok(&all)).unwrap()
    }

    /// Runs a command with `input` on standard input; it must succeed.
    pub fn ok_with_stdin(&self, args: &[&str], input: &str) -> String {
        use std::io::Write;
        let mut child = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
            .arg("--db")
            .arg(self.db())
            .args(args)
            .env_remove("FRONTDESK_DB")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs a command that must fail; returns stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(!out.status.success(), "{args:?} should have failed");
        assert!(
            out.stdout.is_empty(),
            "{args:?} printed to stdout on failure"
        );
        String::from_utf8(out.stderr).unwrap()
    }

    /// Everything a user could look at: the settings and the inbox.
    pub fn state(&self) -> (String, String) {
        (
            self.ok(&["export"]),
            self.ok(&["inbox", "--json", "--at", "2026-12-31T00:00:00Z"]),
        )
    }
}

/// Records a contact from Marcos's phone at ACME.
pub fn add(desk: &Desk, channel: &str, at: &str, body: &str) -> Value {
    add_from(desk, None, "acme", channel, "+34600111222", at, body)
}

/// Records a contact with `contact add --json`, in `practice` when the database has several.
pub fn add_from(
    desk: &Desk,
    practice: Option<&str>,
    client: &str,
    channel: &str,
    from: &str,
    at: &str,
    body: &str,
) -> Value {
    let mut args = vec![];
    if let Some(p) = practice {
        args.extend(["--practice", p]);
    }
    args.extend([
        "contact",
        "add",
        "--client",
        client,
        "--channel",
        channel,
        "--from",
        from,
        "--at",
        at,
        "--body",
        body,
    ]);
    desk.json(&args)
}

/// A running `frontdesk serve`, stopped when dropped.
/// A PostgreSQL server of a test's own (`scripts/postgres`), for what the shared one must not
/// undergo (a restart) or does not have (a password); stopped when dropped.
pub struct OwnPostgres {
    pub dir: tempfile::TempDir,
    pub port: u16,
}

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/postgres");

impl OwnPostgres {
    /// Starts one; with `password`, connections must give it.
    pub fn start(password: Option<&str>) -> OwnPostgres {
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let server = OwnPostgres { dir, port };
        server.script("start", password);
        server
    }

    /// Runs `scripts/postgres start|stop` on it; it must succeed.
    fn script(&self, command: &str, password: Option<&str>) {
        let mut c = Command::new(SCRIPT);
        c.args([
            command,
            self.dir.path().to_str().unwrap(),
            &self.port.to_string(),
        ]);
        if let Some(p) = password {
            c.env("FRONTDESK_PG_PASSWORD", p);
        }
        let out = c.output().unwrap();
        assert!(
            out.status.success(),
            "scripts/postgres {command}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The URL of its maintenance database, as `user[:password]`.
    pub fn admin(&self, user: &str) -> String {
        format!("postgres://{user}@127.0.0.1:{}/postgres", self.port)
    }

    pub fn stop(&self) {
        self.script("stop", None);
    }

    pub fn restart(&self) {
        self.script("start", None);
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        let _ = Command::new(SCRIPT)
            .args(["stop", self.dir.path().to_str().unwrap()])
            .output();
    }
}

impl Drop for Desk {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.pg
            && let Ok(mut c) = postgres::Client::connect(admin, postgres::NoTls)
        {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

pub struct Server {
    child: Child,
    pub url: String,
}

impl Server {
    pub fn start(desk: &Desk) -> Server {
        Server::start_with(desk, &[]).0
    }

    /// Starts with extra `serve` arguments; returns the lines printed before the URL.
    pub fn start_with(desk: &Desk, extra: &[&str]) -> (Server, Vec<String>) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
            .arg("--db")
            .arg(desk.db())
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(extra)
            .env_remove("FRONTDESK_DB")
            .env("FRONTDESK_FEED_ALLOW_HOSTS", "127.0.0.1")
            .env("FRONTDESK_TEST_IMAP", mail_servers::IMAP_PASSWORD)
            .env("FRONTDESK_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut before = Vec::new();
        let url = loop {
            let mut line = String::new();
            assert!(out.read_line(&mut line).unwrap() > 0, "the server stopped");
            match line.trim().strip_prefix("frontdesk is serving at ") {
                Some(url) => break url.trim_end_matches('/').to_string(),
                None => before.push(line.trim().to_string()),
            }
        };
        (Server { child, url }, before)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP client that reports every status instead of failing, and follows no redirects.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(std::time::Duration::from_secs(20)))
        .build()
        .into()
}

pub fn set_cookie(resp: &ureq::http::Response<ureq::Body>, name: &str) -> Option<String> {
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap().to_string())
}

/// The sign-in form's CSRF token (cookie and field hold the same value).
pub fn signin_csrf(server: &Server) -> String {
    let resp = agent()
        .get(format!("{}/signin", server.url))
        .call()
        .unwrap();
    set_cookie(&resp, "fd_csrf").expect("a CSRF cookie")
}

pub fn post_form(
    server: &Server,
    path: &str,
    cookies: &str,
    form: &[(&str, &str)],
) -> ureq::http::Response<ureq::Body> {
    agent()
        .post(format!("{}{path}", server.url))
        .header("Cookie", cookies)
        .send_form(form.iter().copied())
        .unwrap()
}

/// The statuses of requests racing for one time: exactly one booked it (200), every other
/// was told it was taken (409).
pub fn one_booked(statuses: &[u16]) {
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| [200, 409].contains(s)),
        "{statuses:?}"
    );
}

/// The live inbox's event stream of a signed-in member, subscribed (the server subscribes
/// before it answers the headers): each line as it arrives, with when.
pub fn events(
    server: &Server,
    session: &str,
) -> std::sync::mpsc::Receiver<(String, std::time::Instant)> {
    let resp = agent()
        .get(format!("{}/events", server.url))
        .header("Cookie", format!("fd_session={session}"))
        .call()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let reader = BufReader::new(resp.into_body().into_reader());
        for line in reader.lines() {
            let Ok(line) = line else { break };
            if tx.send((line, std::time::Instant::now())).is_err() {
                break;
            }
        }
    });
    rx
}

pub fn sign_in(server: &Server, email: &str, password: &str) -> String {
    let csrf = signin_csrf(server);
    let resp = post_form(
        server,
        "/signin",
        &format!("fd_csrf={csrf}"),
        &[("csrf", &csrf), ("email", email), ("password", password)],
    );
    assert_eq!(resp.status().as_u16(), 303, "sign-in failed");
    set_cookie(&resp, "fd_session").expect("a session cookie")
}

/// GET a page with a session cookie: (status, body).
pub fn page(server: &Server, path: &str, session: Option<&str>) -> (u16, String) {
    let mut r = agent().get(format!("{}{path}", server.url));
    if let Some(s) = session {
        r = r.header("Cookie", format!("fd_session={s}"));
    }
    let resp = r.call().unwrap();
    (
        resp.status().as_u16(),
        resp.into_body().read_to_string().unwrap_or_default(),
    )
}

/// A decision's flags other than how the client wrote (complaint, escalation, leaving,
/// follow-up): what the desk does with it.
pub fn desk_flags(decision: &Value) -> Vec<String> {
    decision["flags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|f| !["complaint", "escalation", "leaving", "follow_up"].contains(f))
        .map(str::to_string)
        .collect()
}

/// An API call with a token: (status, JSON body).
pub fn api(
    method: &str,
    url: &str,
    token: &str,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let agent = agent();
    let auth = format!("Bearer {token}");
    let resp = match (method, body) {
        ("GET", _) => agent.get(url).header("Authorization", &auth).call(),
        ("PUT", Some(b)) => agent.put(url).header("Authorization", &auth).send_json(b),
        (_, Some(b)) => agent.post(url).header("Authorization", &auth).send_json(b),
        (_, None) => agent.post(url).header("Authorization", &auth).send_empty(),
    }
    .unwrap();
    let status = resp.status().as_u16();
    (
        status,
        resp.into_body()
            .read_json()
            .unwrap_or(serde_json::Value::Null),
    )
}

/// The kinds of a client's audit entries that start with one of `prefixes`, oldest first.
pub fn audit_kinds(desk: &Desk, client: &str, prefixes: &[&str]) -> Vec<String> {
    desk.ok(&["audit", "list", "--client", client, "--json"])
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .filter(|k| prefixes.iter().any(|p| k.starts_with(p)))
        .collect()
}

/// What `tick` at `at` delivers: (key, to, subject, text) of each message.
pub fn delivered(desk: &Desk, at: &str) -> Vec<(String, String, String, String)> {
    let file = desk.dir.path().join("sent.jsonl");
    let _ = std::fs::remove_file(&file);
    desk.json(&["tick", "--at", at, "--outbox-file", file.to_str().unwrap()]);
    std::fs::read_to_string(&file)
        .unwrap_or_default()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let s = |k: &str| v[k].as_str().unwrap().to_string();
            (s("key"), s("to"), s("subject"), s("text"))
        })
        .collect()
}

/// GET a file with a session cookie: (status, content type, bytes).
pub fn file(server: &Server, path: &str, session: &str) -> (u16, String, Vec<u8>) {
    let resp = agent()
        .get(format!("{}{path}", server.url))
        .header("Cookie", format!("fd_session={session}"))
        .call()
        .unwrap();
    let kind = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let status = resp.status().as_u16();
    let bytes = resp.into_body().read_to_vec().unwrap_or_default();
    (status, kind, bytes)
}

/// The text of a PDF file, as Poppler's `pdftotext` (poppler-utils) reads it.
pub fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("file.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A tiny HTTP server that answers every request with the calendar currently in `body`.
pub fn calendar_server(body: std::sync::Arc<std::sync::Mutex<String>>) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let text = body.lock().unwrap().clone();
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                text.len()
            );
        }
    });
    format!("http://{addr}/ana.ics")
}

/// A tiny HTTP server that redirects every request to `to`.
pub fn redirect_server(to: String) -> u16 {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = write!(
                stream,
                "HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    port
}

/// A Python in a virtual environment under the target directory with `packages` installed
/// from PyPI, made once per `name`: the independent readers and validators the tests check
/// frontdesk's output with. Tests running at once (threads of one binary, or several
/// binaries) take turns on a lock file, so one makes it and the others wait for it.
pub fn python_with(name: &str, packages: &[&str]) -> std::path::PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let bin = dir.join("bin").join("python");
    let ready = dir.join("ready");
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.with_extension("lock"))
        .unwrap();
    // Held until this returns.
    lock.lock().unwrap();
    if ready.exists() {
        return bin;
    }
    // What a run stopped midway left.
    let _ = std::fs::remove_dir_all(&dir);
    let run = |cmd: &mut Command| {
        let out = cmd
            .output()
            .expect("python3 is installed (see scripts/test)");
        assert!(
            out.status.success(),
            "{cmd:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(Command::new("python3").args(["-m", "venv"]).arg(&dir));
    run(Command::new(&bin)
        .args(["-m", "pip", "install", "--quiet"])
        .args(packages));
    std::fs::write(&ready, "").unwrap();
    bin
}

/// The CSRF token a signed-in page carries in its forms.
pub fn form_csrf(html: &str) -> String {
    let at = html
        .find(r#"name="csrf" value=""#)
        .expect("a form with a CSRF token")
        + 19;
    html[at..at + 64].to_string()
}

/// Posts a form as a signed-in member: (status, body).
pub fn submit(server: &Server, session: &str, path: &str, form: &[(&str, &str)]) -> (u16, String) {
    let resp = post_form(server, path, &format!("fd_session={session}"), form);
    let status = resp.status().as_u16();
    (
        status,
        resp.into_body().read_to_string().unwrap_or_default(),
    )
}
