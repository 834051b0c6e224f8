//! Real mail servers on loopback, started by the tests: aiosmtpd (from PyPI) as the SMTP relay
//! and Debian's Dovecot as the IMAP server, each with a configuration of its own in a
//! temporary folder.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A server process, stopped when dropped (a failed test leaves nothing running).
pub struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A real SMTP server (aiosmtpd, from PyPI) delivering into `maildir`; its port.
pub fn smtp_sink(maildir: &Path) -> (Running, u16) {
    let python = super::python_with("smtp-python", &["aiosmtpd>=1.4"]);
    let mut child = Command::new(python)
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/python/smtp_sink.py"
        ))
        .arg(maildir)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    (
        Running(child),
        line.trim()
            .parse()
            .expect("the SMTP server printed its port"),
    )
}

/// The raw messages the SMTP server delivered into `maildir`.
pub fn delivered(maildir: &Path) -> Vec<Vec<u8>> {
    std::fs::read_dir(maildir.join("new"))
        .map(|d| {
            d.map(|e| std::fs::read(e.unwrap().path()).unwrap())
                .collect()
        })
        .unwrap_or_default()
}

/// Answers contact `id` at `at` with `text`, sent to the client (`reply --send`).
pub fn send_answer(desk: &super::Desk, id: &str, at: &str, text: &str) {
    let body = desk.dir.path().join("answer.txt");
    std::fs::write(&body, text).unwrap();
    desk.ok(&[
        "reply",
        id,
        "--at",
        at,
        "--send",
        "--body-file",
        body.to_str().unwrap(),
    ]);
}

/// Debian's Dovecot serving one user's Maildir over IMAP (no TLS, on 127.0.0.1 only).
pub struct Dovecot {
    pub dir: tempfile::TempDir,
    pub port: u16,
    /// The port of IMAP over TLS, and the PEM file of the certificate authority that signed
    /// the server's certificate (for `localhost` and 127.0.0.1), when started with TLS.
    pub tls: Option<(u16, PathBuf)>,
    child: Child,
    uid: u32,
    gid: u32,
}

pub const IMAP_USER: &str = "ana";
pub const IMAP_PASSWORD: &str = "imap-secret-9";

/// The uid and gid of a system user, from /etc/passwd.
fn user(name: &str) -> (u32, u32) {
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap();
    let line = passwd
        .lines()
        .find(|l| l.starts_with(&format!("{name}:")))
        .unwrap_or_else(|| panic!("no system user {name}: is dovecot-imapd installed?"));
    let f: Vec<&str> = line.split(':').collect();
    (f[2].parse().unwrap(), f[3].parse().unwrap())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A certificate authority and a server certificate for localhost, made with openssl.
fn certificates(dir: &Path) {
    let run = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl runs (scripts/test installs it)");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    run(&[
        &["req", "-x509"][..],
        &ec[..],
        &[
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "30",
            "-subj",
            "/CN=frontdesk test CA",
        ][..],
    ]
    .concat());
    run(&[
        &["req"][..],
        &ec[..],
        &[
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=localhost",
        ][..],
    ]
    .concat());
    std::fs::write(
        dir.join("san.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\n",
    )
    .unwrap();
    run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "30",
        "-extfile",
        "san.ext",
    ]);
}

impl Dovecot {
    /// Starts Dovecot (IMAP without TLS) and waits until it accepts connections.
    pub fn start() -> Dovecot {
        Dovecot::start_with(false, true)
    }

    /// Starts Dovecot with TLS too: STARTTLS on the IMAP port, and IMAP over TLS on another.
    pub fn start_tls() -> Dovecot {
        Dovecot::start_with(true, true)
    }

    /// Starts Dovecot saying it has no IDLE (as some servers do): clients must poll.
    pub fn start_without_idle() -> Dovecot {
        Dovecot::start_with(false, false)
    }

    fn start_with(tls: bool, idle: bool) -> Dovecot {
        use std::os::unix::fs::PermissionsExt;
        // Dovecot's mail processes run as its own user: the folder is theirs to read.
        let dir = tempfile::Builder::new()
            .prefix("frontdesk-dovecot")
            .tempdir_in("/tmp")
            .unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let (uid, gid) = user("dovecot");
        let d = dir.path().display().to_string();
        for sub in ["run", "state", "home"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
        }
        std::fs::write(
            dir.path().join("passwd"),
            format!("{IMAP_USER}:{{PLAIN}}{IMAP_PASSWORD}\n"),
        )
        .unwrap();
        let port = free_port();
        let (ssl, tls) = if tls {
            certificates(dir.path());
            let tls_port = free_port();
            (
                format!("ssl = yes\nssl_cert = <{d}/server.pem\nssl_key = <{d}/server.key\n"),
                Some((tls_port, dir.path().join("ca.pem"))),
            )
        } else {
            ("ssl = no\n".to_string(), None)
        };
        let imaps = tls.as_ref().map_or(0, |(p, _)| *p);
        let capability = if idle {
            String::new()
        } else {
            "imap_capability = IMAP4rev1 SASL-IR LITERAL+ ENABLE\n".to_string()
        };
        // The configuration bench/mail.py fills in too.
        let conf = include_str!("../data/dovecot.conf")
            .replace("@DIR@", &d)
            .replace("@PORT@", &port.to_string())
            .replace("@IMAPS@", &imaps.to_string())
            .replace("@UID@", &uid.to_string())
            .replace("@GID@", &gid.to_string())
            .replace("@EXTRA@", &format!("{ssl}{capability}"));
        std::fs::write(dir.path().join("dovecot.conf"), conf).unwrap();
        let mut me = Dovecot {
            child: spawn(dir.path()),
            dir,
            port,
            tls,
            uid,
            gid,
        };
        let mail = me.maildir();
        for sub in ["", "cur", "new", "tmp"] {
            let p = mail.join(sub);
            std::fs::create_dir_all(&p).unwrap();
            me.own(&p);
        }
        std::fs::create_dir_all(me.dir.path().join("home").join(IMAP_USER)).unwrap();
        me.own(&me.dir.path().join("home").join(IMAP_USER));
        me.own(&me.dir.path().join("mail"));
        me.wait_ready();
        me
    }

    /// Stops the server (as an outage would), then starts it again on the same port and mail.
    pub fn restart(&mut self, between: impl FnOnce()) {
        self.stop();
        between();
        self.child = spawn(self.dir.path());
        self.wait_ready();
    }

    fn stop(&mut self) {
        // TERM: the master stops its login and mail processes too — a mail process serving a
        // client only when it next looks, so those are ended at once, as an outage would.
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
        let _ = Command::new("pkill")
            .args(["-KILL", "-f", &format!("^dovecot-frontdesk-{}/", self.port)])
            .status();
    }

    /// Ready when it greets.
    fn wait_ready(&mut self) {
        let me = self;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            if let Ok(s) = std::net::TcpStream::connect(("127.0.0.1", me.port)) {
                let mut line = String::new();
                let _ = std::io::BufReader::new(s).read_line(&mut line);
                if line.starts_with("* OK") {
                    break;
                }
            }
            assert!(
                std::time::Instant::now() < deadline,
                "Dovecot did not start: {}",
                std::fs::read_to_string(me.dir.path().join("dovecot.log")).unwrap_or_default()
            );
            if let Ok(Some(status)) = me.child.try_wait() {
                panic!(
                    "Dovecot stopped ({status}): {}",
                    std::fs::read_to_string(me.dir.path().join("dovecot.log")).unwrap_or_default()
                );
            }
            std::thread::yield_now();
        }
    }

    fn own(&self, path: &Path) {
        std::os::unix::fs::chown(path, Some(self.uid), Some(self.gid)).unwrap();
    }

    /// The user's Maildir (INBOX).
    pub fn maildir(&self) -> PathBuf {
        self.dir.path().join("mail").join(IMAP_USER)
    }

    /// Delivers a message as a local delivery agent does: written in tmp/, moved into new/.
    pub fn deliver(&self, name: &str, raw: &[u8]) {
        let tmp = self.maildir().join("tmp").join(name);
        std::fs::write(&tmp, raw).unwrap();
        self.own(&tmp);
        std::fs::rename(&tmp, self.maildir().join("new").join(name)).unwrap();
    }

    /// The `[[mail.mailboxes]]` entry of this server, the password in `FRONTDESK_TEST_IMAP`.
    pub fn mailbox_entry(&self, name: &str) -> String {
        format!(
            "\n[[mail.mailboxes]]\nname = \"{name}\"\nhost = \"127.0.0.1\"\nport = {}\ntls = \"none\"\nuser = \"{IMAP_USER}\"\npassword_env = \"FRONTDESK_TEST_IMAP\"\n",
            self.port
        )
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        self.stop();
    }
}

fn spawn(dir: &Path) -> Child {
    Command::new("/usr/sbin/dovecot")
        .args(["-F", "-c"])
        .arg(dir.join("dovecot.conf"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("Dovecot starts (dovecot-imapd is installed by scripts/test)")
}
