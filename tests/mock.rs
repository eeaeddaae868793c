//! The emulator over HTTP: every operation and each status it can produce, the validation
//! rules, responses checked against the published schemas, faults, bad input, keep-alive,
//! concurrency and the `gameye-mock` command line.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

use gameye::mock::{Catalogue, Fault, MockConfig, MockServer, SeedRequest, TokenRule};
use serde_json::{json, Value};
use support::schema::Spec;

const TOKEN: &str = "t0ken";

struct Reply {
    status: u16,
    content_type: String,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    /// The `field`s of the violations of a 422.
    fn violations(&self) -> Vec<String> {
        assert_eq!(self.status, 422, "{}", self.text());
        self.json()["violations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["field"].as_str().unwrap().to_owned())
            .collect()
    }
}

struct Api {
    base: String,
    agent: ureq::Agent,
    token: Option<String>,
}

impl Api {
    fn new(server: &MockServer) -> Api {
        Api::with_token(server, Some(TOKEN))
    }

    fn with_token(server: &MockServer, token: Option<&str>) -> Api {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        Api {
            base: server.url(),
            agent,
            token: token.map(str::to_owned),
        }
    }

    fn send(&self, method: &str, path: &str, body: Option<&str>) -> Reply {
        self.send_with(method, path, body, &[])
    }

    fn send_with(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut request = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(token) = &self.token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        let response = match body {
            Some(body) => self.agent.run(
                request
                    .header("Content-Type", "application/json")
                    .body(body.to_owned())
                    .unwrap(),
            ),
            None => self.agent.run(request.body(()).unwrap()),
        };
        let mut response = response.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let content_type = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(64 << 20)
            .read_to_vec()
            .unwrap();
        Reply {
            status,
            content_type,
            body,
        }
    }

    fn get(&self, path: &str) -> Reply {
        self.send("GET", path, None)
    }

    fn start(&self, body: Value) -> Reply {
        self.send("POST", "/session", Some(&body.to_string()))
    }

    fn start_ok(&self, body: Value) -> String {
        let reply = self.start(body);
        assert_eq!(reply.status, 201, "{}", reply.text());
        reply.json()["id"].as_str().unwrap().to_owned()
    }

    fn ids(&self, query: &str) -> Vec<String> {
        let reply = self.get(&format!("/session{query}"));
        assert_eq!(reply.status, 200, "{}", reply.text());
        reply.json()["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_owned())
            .collect()
    }
}

fn server() -> MockServer {
    MockServer::start(MockConfig {
        admin: true,
        ..MockConfig::with_token(TOKEN)
    })
    .unwrap()
}

/// Every error body is a complete ErrorResponse with a unique identifier.
fn assert_error(reply: &Reply, status: u16, spec: &Spec) -> Value {
    assert_eq!(reply.status, status, "{}", reply.text());
    assert_eq!(reply.content_type, "application/json");
    let body = reply.json();
    spec.check("ErrorResponse", &body).unwrap();
    assert_eq!(body["statusCode"], status);
    assert_eq!(body["identifier"].as_str().unwrap().len(), 36);
    body
}

#[test]
fn start_answers_201_with_the_published_shape() {
    let (server, spec) = (server(), Spec::load());
    let api = Api::new(&server);
    let reply = api.start(json!({"location": "europe", "image": "my-game"}));
    assert_eq!(reply.status, 201);
    let body = reply.json();
    spec.check("SessionRunOk", &body).unwrap();
    let id = body["id"].as_str().unwrap();
    assert!(
        uuid::Uuid::parse_str(id).is_ok_and(|u| u.get_version_num() == 4),
        "{id}"
    );
    let ports = body["ports"].as_array().unwrap();
    assert_eq!(ports.len(), 2);
    assert_eq!(
        (ports[0]["type"].as_str(), ports[0]["container"].as_u64()),
        (Some("udp"), Some(7777))
    );
    let other = api
        .start(json!({"location": "europe", "image": "my-game", "id": "given"}))
        .json();
    assert_eq!(other["id"], "given");
    let mut hosts: Vec<u64> = ports
        .iter()
        .chain(other["ports"].as_array().unwrap())
        .map(|p| p["host"].as_u64().unwrap())
        .collect();
    assert!(hosts.iter().all(|p| (20000..=30000).contains(p)));
    hosts.sort();
    hosts.dedup();
    assert_eq!(hosts.len(), 4, "host ports are unique on a host");
}

#[test]
fn start_validates_like_the_service() {
    let (server, spec) = (server(), Spec::load());
    let api = Api::new(&server);
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (json!({}), vec!["location", "image"]),
        (json!({"location": "", "image": "nginx"}), vec!["location"]),
        (json!({"location": "europe", "image": 5}), vec!["image"]),
        (
            json!({"location": "europe", "image": "nginx", "colour": "red"}),
            vec!["colour"],
        ),
        (
            json!({"location": "europe", "image": "nginx", "env": {"A": ""}}),
            vec!["env.A"],
        ),
        (
            json!({"location": "europe", "image": "nginx", "env": {"A": 1}}),
            vec!["env.A"],
        ),
        (
            json!({"location": "europe", "image": "nginx", "env": []}),
            vec!["env"],
        ),
        (
            json!({"location": "europe", "image": "nginx", "args": ["ok", ""]}),
            vec!["args[1]"],
        ),
        (
            json!({"location": "europe", "image": "nginx", "args": "--x"}),
            vec!["args"],
        ),
        (
            json!({"location": "europe", "image": "nginx", "ttl": "1d"}),
            vec!["ttl"],
        ),
        (
            json!({"location": "europe", "image": "nginx", "ttl": ""}),
            vec!["ttl"],
        ),
        (
            json!({"location": "europe", "image": "nginx", "restart": "yes"}),
            vec!["restart"],
        ),
        (
            json!({"location": "europe", "image": "nginx", "id": ""}),
            vec!["id"],
        ),
        (
            json!({"location": "europe", "image": "nginx", "labels": {"a": 1}}),
            vec!["labels.a"],
        ),
        (
            json!({"location": "europe", "image": "nginx", "version": ""}),
            vec!["version"],
        ),
        (
            json!({"location": "europe", "image": "nginx", "external_id": 7}),
            vec!["external_id"],
        ),
    ];
    for (body, fields) in cases {
        let reply = api.start(body.clone());
        assert_error(&reply, 422, &spec);
        let mut found = reply.violations();
        found.sort();
        let mut expected: Vec<String> = fields.iter().map(|f| f.to_string()).collect();
        expected.sort();
        assert_eq!(found, expected, "for {body}");
        for violation in reply.json()["violations"].as_array().unwrap() {
            spec.check("FieldViolation", violation).unwrap();
        }
    }
    for raw in ["not json", "[1,2]", "{\"location\":"] {
        let reply = api.send("POST", "/session", Some(raw));
        assert_error(&reply, 422, &spec);
        assert_eq!(reply.violations(), vec!["body"]);
    }
    let ok = api.start(json!({"location": "europe", "image": "nginx", "ttl": "2h30m", "restart": false,
        "env": {"A": "1"}, "args": ["--x"], "labels": {"k": ""}, "version": "1.25", "external_id": ""}));
    assert_eq!(ok.status, 201, "{}", ok.text());
    assert!(server
        .requests()
        .iter()
        .all(|r| r.header("authorization") == Some("Bearer <redacted>")));
}

#[test]
fn start_refuses_unknown_duplicate_full_and_over_quota() {
    let spec = Spec::load();
    let mut catalogue = Catalogue::default();
    catalogue.locations[2].capacity = 1;
    let server = MockServer::start(MockConfig {
        quota: Some(3),
        catalogue,
        ..MockConfig::with_token(TOKEN)
    })
    .unwrap();
    let api = Api::new(&server);
    assert_error(
        &api.start(json!({"location": "mars", "image": "nginx"})),
        404,
        &spec,
    );
    assert_error(
        &api.start(json!({"location": "europe", "image": "doom"})),
        404,
        &spec,
    );
    assert_error(
        &api.start(json!({"location": "europe", "image": "nginx", "version": "0.1"})),
        404,
        &spec,
    );
    api.start_ok(json!({"location": "asia", "image": "nginx", "id": "one"}));
    assert_error(
        &api.start(json!({"location": "europe", "image": "nginx", "id": "one"})),
        409,
        &spec,
    );
    assert_error(
        &api.start(json!({"location": "asia", "image": "nginx"})),
        420,
        &spec,
    );
    assert_eq!(api.send("DELETE", "/session/one", None).status, 204);
    // A stopped session's id stays taken; its slot in the location is free again.
    assert_error(
        &api.start(json!({"location": "asia", "image": "nginx", "id": "one"})),
        409,
        &spec,
    );
    api.start_ok(json!({"location": "asia", "image": "nginx"}));
    api.start_ok(json!({"location": "europe", "image": "nginx"}));
    api.start_ok(json!({"location": "europe", "image": "nginx"}));
    assert_error(
        &api.start(json!({"location": "europe", "image": "nginx"})),
        402,
        &spec,
    );
}

#[test]
fn labels_are_packed_the_way_gameye_packs_them() {
    let server = server();
    let api = Api::new(&server);
    let id = api.start_ok(
        json!({"location": "europe", "image": "nginx", "id": "s1", "env": {"MAP": "dust"},
        "labels": {"mode": "ffa"}, "external_id": "ext", "version": "1.25"}),
    );
    let session = api.get(&format!("/session/{id}")).json();
    let labels = session["labels"].as_object().unwrap();
    let unpack =
        |key: &str| -> Value { serde_json::from_str(labels[key].as_str().unwrap()).unwrap() };
    assert_eq!(
        unpack("env"),
        json!({"MAP": "dust", "GAMEYE_SESSION_ID": "s1", "GAMEYE_HOST": "127.0.0.1"})
    );
    assert_eq!(unpack("tags"), json!({"mode": "ffa"}));
    assert_eq!(
        unpack("gameye"),
        json!({"location": "europe", "image": "nginx", "version": "1.25", "external_id": "ext"})
    );
}

#[test]
fn list_shows_running_sessions_and_every_filter_works() {
    let (server, spec) = (server(), Spec::load());
    let api = Api::new(&server);
    let a = api.start_ok(
        json!({"location": "europe", "image": "nginx", "labels": {"mode": "ffa", "tier": "gold"}}),
    );
    let b = api.start_ok(json!({"location": "asia", "image": "my-game", "version": "1.0.0", "labels": {"mode": "tdm"}}));
    let c = api.start_ok(json!({"location": "europe", "image": "my-game"}));
    let join = api.send(
        "PUT",
        "/session/player/join",
        Some(&json!({"session": b, "players": ["p1", "p2"]}).to_string()),
    );
    assert_eq!(join.status, 200);
    assert_eq!(
        api.send("DELETE", &format!("/session/{c}"), None).status,
        204
    );

    let list = api.get("/session").json();
    spec.check("SessionListOk", &list).unwrap();
    assert_eq!(api.ids(""), vec![a.clone(), b.clone()]);
    assert_eq!(api.ids("?all=true"), vec![a.clone(), b.clone(), c.clone()]);
    assert_eq!(api.ids("?all=false"), vec![a.clone(), b.clone()]);
    assert_eq!(api.ids("?location=europe"), vec![a.clone()]);
    assert_eq!(
        api.ids("?image=my-game&all=true"),
        vec![b.clone(), c.clone()]
    );
    assert_eq!(api.ids("?tag=1.0.0"), vec![b.clone()]);
    assert_eq!(api.ids("?host=127.0.0.3"), vec![b.clone()]);
    assert_eq!(api.ids("?playerCount%5Blt%5D=1"), vec![a.clone()]);
    assert_eq!(api.ids("?playerCount[gt]=1"), vec![b.clone()]);
    assert_eq!(api.ids("?filter%5Bmode%5D=ffa"), vec![a.clone()]);
    assert_eq!(
        api.ids("?filter[mode]=ffa&filter[tier]=gold"),
        vec![a.clone()]
    );
    assert!(
        api.ids("?filter[mode]=FFA").is_empty(),
        "exact and case-sensitive"
    );
    assert!(api.ids("?filter[mode]=ffa&filter[tier]=silver").is_empty());
    let entry = &api.get("/session?tag=1.0.0").json()["sessions"][0];
    assert_eq!(entry["playerCount"], 2);
    assert_eq!(entry["status"], "running");
    assert!(entry["port"].as_object().unwrap().contains_key("7777/udp"));
    for bad in [
        "?all=maybe",
        "?playerCount[lt]=few",
        "?colour=red",
        "?filter[]=x",
        "?location=%zz",
    ] {
        assert_error(&api.get(&format!("/session{bad}")), 400, &spec);
    }
}

#[test]
fn describe_and_stop() {
    let (server, spec) = (server(), Spec::load());
    let api = Api::new(&server);
    let id = api.start_ok(json!({"location": "europe", "image": "nginx"}));
    let described = api.get(&format!("/session/{id}"));
    assert_eq!(described.status, 200);
    let body = described.json();
    spec.check("DescribedSession", &body).unwrap();
    assert_eq!(body["players"], json!({"joined": [], "joinedCount": 0}));
    assert_error(&api.get("/session/unknown"), 404, &spec);
    assert_error(&api.get("/session/..%2Fsession"), 404, &spec);
    let stop = api.send("DELETE", &format!("/session/{id}"), None);
    assert_eq!((stop.status, stop.body.len()), (204, 0));
    assert_error(
        &api.send("DELETE", &format!("/session/{id}"), None),
        409,
        &spec,
    );
    assert_error(&api.send("DELETE", "/session/unknown", None), 404, &spec);
    assert_eq!(
        api.get(&format!("/session/{id}")).json()["status"],
        "exited"
    );
}

#[test]
fn ttl_expires_sessions_by_itself() {
    let server = server();
    let api = Api::new(&server);
    let short = api.start_ok(json!({"location": "europe", "image": "nginx", "ttl": "1m"}));
    let long = api.start_ok(json!({"location": "europe", "image": "nginx", "ttl": "1h"}));
    server.advance_clock(Duration::from_secs(59));
    assert_eq!(api.ids(""), vec![short.clone(), long.clone()]);
    server.advance_clock(Duration::from_secs(2));
    assert_eq!(api.ids(""), vec![long]);
    assert_eq!(
        api.get(&format!("/session/{short}")).json()["status"],
        "exited"
    );
    assert!(api
        .get(&format!("/logs?id={short}"))
        .text()
        .contains("ttl reached"));
}

#[test]
fn players_join_and_leave() {
    let (server, spec) = (server(), Spec::load());
    let api = Api::new(&server);
    let a = api.start_ok(json!({"location": "europe", "image": "nginx"}));
    let b = api.start_ok(json!({"location": "europe", "image": "nginx"}));
    let join = |session: &str, players: Value| {
        api.send(
            "PUT",
            "/session/player/join",
            Some(&json!({"session": session, "players": players}).to_string()),
        )
    };
    let joined = join(&a, json!(["p1", "p2"]));
    assert_eq!(joined.status, 200);
    spec.check("JoinSessionOk", &joined.json()).unwrap();
    assert_eq!(joined.json(), json!({"count": 2, "players": ["p1", "p2"]}));
    assert_eq!(
        join(&a, json!(["p2", "p3"])).json(),
        json!({"count": 3, "players": ["p3"]})
    );
    join(&b, json!(["q1"]));
    let described = api.get(&format!("/session/{a}")).json();
    assert_eq!(
        described["players"],
        json!({"joined": ["p1", "p2", "p3"], "joinedCount": 3})
    );

    let leave = |players: Value| {
        api.send(
            "DELETE",
            "/session/player/leave",
            Some(&json!({"players": players}).to_string()),
        )
    };
    let left = leave(json!(["p1", "q1"]));
    assert_eq!(left.status, 200);
    spec.check("LeaveSessionOk", &left.json()).unwrap();
    assert_eq!(left.json(), json!({"count": 2, "players": ["p1", "q1"]}));
    assert_error(&leave(json!(["nobody"])), 404, &spec);
    assert_error(&join("unknown", json!(["p"])), 404, &spec);
    api.send("DELETE", &format!("/session/{b}"), None);
    assert_error(&join(&b, json!(["p"])), 404, &spec);

    let invalid = |path: &str, method: &str, body: Value| {
        let reply = api.send(method, path, Some(&body.to_string()));
        assert_error(&reply, 422, &spec);
        reply.violations()
    };
    assert_eq!(
        invalid("/session/player/join", "PUT", json!({"session": a})),
        vec!["players"]
    );
    assert_eq!(
        invalid("/session/player/join", "PUT", json!({"players": ["x"]})),
        vec!["session"]
    );
    assert_eq!(
        invalid(
            "/session/player/join",
            "PUT",
            json!({"session": a, "players": []})
        ),
        vec!["players"]
    );
    assert_eq!(
        invalid(
            "/session/player/join",
            "PUT",
            json!({"session": a, "players": [""]})
        ),
        vec!["players[0]"]
    );
    assert_eq!(
        invalid(
            "/session/player/join",
            "PUT",
            json!({"session": a, "players": ["x"], "n": 1})
        ),
        vec!["n"]
    );
    assert_eq!(
        invalid(
            "/session/player/leave",
            "DELETE",
            json!({"session": a, "players": ["p2"]})
        ),
        vec!["session"]
    );
    assert_eq!(
        invalid("/session/player/leave", "DELETE", json!({"players": "p2"})),
        vec!["players"]
    );
}

#[test]
fn logs_whole_and_followed() {
    let spec = Spec::load();
    let server = MockServer::start(MockConfig {
        log_interval: Duration::from_millis(50),
        ..MockConfig::with_token(TOKEN)
    })
    .unwrap();
    let api = Api::new(&server);
    let id = api.start_ok(json!({"location": "europe", "image": "my-game"}));
    let whole = api.get(&format!("/logs?id={id}"));
    assert_eq!(whole.status, 200);
    assert!(whole.content_type.starts_with("text/plain"));
    assert!(
        whole.text().contains("starting container"),
        "{}",
        whole.text()
    );
    server.advance_clock(Duration::from_millis(500));
    assert!(api
        .get(&format!("/logs?id={id}&follow=false"))
        .text()
        .contains("tick 10:"));

    // Follow on a raw socket: lines arrive while the session runs, the stream ends on stop.
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "GET /logs?id={id}&follow=true HTTP/1.1\r\nHost: 127.0.0.1\r\n\
         Authorization: Bearer {TOKEN}\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    while !head.ends_with("\r\n\r\n") {
        reader.read_line(&mut head).unwrap();
    }
    assert!(
        head.contains("200 OK") && head.contains("Transfer-Encoding: chunked"),
        "{head}"
    );
    server.write_log(&id, "hello from the test").unwrap();
    let mut seen = String::new();
    while !seen.contains("hello from the test") {
        let mut line = String::new();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "stream ended early: {seen}"
        );
        seen.push_str(&line);
    }
    assert_eq!(
        api.send("DELETE", &format!("/session/{id}"), None).status,
        204
    );
    // The connection stays open (keep-alive): the stream ends with the last, empty chunk.
    let mut rest = String::new();
    while !rest.ends_with("\r\n0\r\n\r\n") {
        assert!(
            reader.read_line(&mut rest).unwrap() > 0,
            "the connection closed before the last chunk: {rest:?}"
        );
    }
    assert!(rest.contains("SIGTERM"), "{rest:?}");

    assert_error(&api.get("/logs?id=unknown"), 404, &spec);
    assert_error(&api.get("/logs"), 400, &spec);
    assert_error(
        &api.get(&format!("/logs?id={id}&follow=perhaps")),
        400,
        &spec,
    );
}

#[test]
fn artifacts_are_real_tar_gz_once_stopped() {
    let (server, spec) = (server(), Spec::load());
    let api = Api::new(&server);
    let id = api.start_ok(json!({"location": "europe", "image": "nginx"}));
    let path = "/home/game/crashdump.log";
    assert_error(
        &api.get(&format!("/artifacts?session={id}&path={path}")),
        404,
        &spec,
    );
    api.send("DELETE", &format!("/session/{id}"), None);
    let archive = api.get(&format!("/artifacts?session={id}&path={path}"));
    assert_eq!(archive.status, 200);
    assert_eq!(archive.content_type, "application/x-tar");
    let dir = support::build_dir().join(format!("artifact-{id}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.tar.gz"), &archive.body).unwrap();
    let tar = Command::new("tar")
        .arg("-xzf")
        .arg("a.tar.gz")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        tar.status.success(),
        "{}",
        String::from_utf8_lossy(&tar.stderr)
    );
    let extracted = std::fs::read_to_string(dir.join("home/game/crashdump.log")).unwrap();
    assert!(extracted.contains("SIGTERM"), "{extracted}");

    let folder = api.get(&format!("/artifacts?session={id}&path=/home/game/logs/"));
    std::fs::write(dir.join("b.tar.gz"), &folder.body).unwrap();
    let list = Command::new("tar")
        .arg("-tzf")
        .arg("b.tar.gz")
        .current_dir(&dir)
        .output()
        .unwrap();
    let names = String::from_utf8_lossy(&list.stdout);
    assert!(
        names.contains("home/game/logs/server.log")
            && names.contains("home/game/logs/crashdump.log"),
        "{names}"
    );

    assert_error(&api.get(&format!("/artifacts?session={id}")), 400, &spec);
    // A relative path is served (the spec asks only for a non-empty one).
    assert_eq!(
        api.get(&format!("/artifacts?session={id}&path=relative"))
            .status,
        200
    );
    assert_error(&api.get("/artifacts?session=unknown&path=/x"), 404, &spec);
}

#[test]
fn available_locations_and_tags() {
    let spec = Spec::load();
    let mut catalogue = Catalogue::default();
    catalogue.locations[0].capacity = 1;
    let server = MockServer::start(MockConfig {
        catalogue,
        ..MockConfig::with_token(TOKEN)
    })
    .unwrap();
    let api = Api::new(&server);
    let available = api.get("/available-location/my-game").json();
    spec.check("AvailableLocationsOk", &available).unwrap();
    let ids = |v: &Value| -> Vec<String> {
        v["locations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids(&available), vec!["europe", "north-america", "asia"]);
    assert!(available["locations"][0]["ips"][0]
        .as_str()
        .unwrap()
        .starts_with("127."));
    api.start_ok(json!({"location": "europe", "image": "nginx"}));
    assert_eq!(
        ids(&api.get("/available-location/my-game").json()),
        vec!["north-america", "asia"]
    );
    assert_error(&api.get("/available-location/doom"), 404, &spec);

    let tag = api.get("/tag/europe/my-game/1.0.0").json();
    spec.check("TagOk", &tag).unwrap();
    assert_eq!(tag, json!({"exists": true}));
    assert_eq!(
        api.get("/tag/europe/my-game/9.9.9").json(),
        json!({"exists": false})
    );
    assert_error(&api.get("/tag/europe/doom/1"), 404, &spec);
    assert_error(&api.get("/tag/mars/my-game/1.0.0"), 400, &spec);
}

#[test]
fn tokens_and_scopes() {
    let spec = Spec::load();
    let scoped = |token: &str, scope: &str| TokenRule {
        token: token.into(),
        scopes: Some(vec![scope.into()]),
    };
    let server = MockServer::start(MockConfig {
        tokens: vec![
            TokenRule {
                token: TOKEN.into(),
                scopes: None,
            },
            scoped("start", "session:start"),
            scoped("read", "session:read"),
            scoped("stop", "session:stop"),
            scoped("logs", "logs:read"),
            scoped("artifacts", "artifact:read"),
            scoped("regions", "regions:read"),
        ],
        ..MockConfig::default()
    })
    .unwrap();
    let admin = Api::new(&server);
    let id = admin.start_ok(json!({"location": "europe", "image": "nginx"}));
    let operations: Vec<(&str, String, Option<String>, &str)> = vec![
        (
            "POST",
            "/session".into(),
            Some(json!({"location": "europe", "image": "nginx"}).to_string()),
            "start",
        ),
        ("GET", "/session".into(), None, "read"),
        ("GET", format!("/session/{id}"), None, "read"),
        ("GET", format!("/logs?id={id}"), None, "logs"),
        ("GET", "/available-location/nginx".into(), None, "regions"),
        ("GET", "/tag/europe/nginx/latest".into(), None, "regions"),
        (
            "GET",
            format!("/artifacts?session={id}&path=/x"),
            None,
            "artifacts",
        ),
        ("DELETE", format!("/session/{id}"), None, "stop"),
    ];
    for (method, path, body, allowed) in &operations {
        for token in ["start", "read", "stop", "logs", "artifacts", "regions"] {
            if token == *allowed {
                continue;
            }
            let reply = Api::with_token(&server, Some(token)).send(method, path, body.as_deref());
            assert_error(&reply, 403, &spec);
        }
        for token in [None, Some("unknown")] {
            let reply = Api::with_token(&server, token).send(method, path, body.as_deref());
            assert_error(&reply, 401, &spec);
        }
    }
    // Each operation goes through with the token that has its scope (artifacts: 404 while running).
    for (method, path, body, allowed) in &operations {
        let reply = Api::with_token(&server, Some(allowed)).send(method, path, body.as_deref());
        assert!(
            ![401, 403].contains(&reply.status),
            "{method} {path}: {}",
            reply.status
        );
    }
    // Without configured tokens any non-empty bearer token is accepted.
    let open = MockServer::start(MockConfig::default()).unwrap();
    assert_eq!(
        Api::with_token(&open, Some("anything"))
            .get("/session")
            .status,
        200
    );
    assert_error(&Api::with_token(&open, None).get("/session"), 401, &spec);
}

#[test]
fn routes_methods_and_bad_requests() {
    let (server, spec) = (server(), Spec::load());
    let api = Api::new(&server);
    assert_error(&api.get("/nowhere"), 404, &spec);
    assert_error(&api.send("PATCH", "/session", None), 405, &spec);
    assert_error(&api.send("GET", "/session/player/join", None), 405, &spec);
    assert_error(&api.send("POST", "/session/player/join", None), 405, &spec);
    assert_error(&api.get("/session/%ff"), 400, &spec);

    let raw = |request: &[u8]| -> String {
        let mut stream = TcpStream::connect(server.addr()).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        // The server may answer and close before the whole request is sent.
        let _ = stream.write_all(request);
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        response
    };
    assert!(raw(b"NONSENSE\r\n\r\n").starts_with("HTTP/1.1 400"));
    assert!(
        raw(b"GET /session HTTP/1.1\r\nHost: 127.0.0.1\r\nno colon here\r\n\r\n")
            .starts_with("HTTP/1.1 400")
    );
    // A chunked body is read like any other: here an empty one, which is not a valid start.
    let chunked = "POST /session HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\
                   Authorization: Bearer t0ken\r\nConnection: close\r\n\r\n0\r\n\r\n";
    assert!(raw(chunked.as_bytes()).starts_with("HTTP/1.1 422"));
    assert!(
        raw(b"POST /session HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: br\r\n\r\n")
            .starts_with("HTTP/1.1 501")
    );
    assert!(
        raw(b"POST /session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99999999\r\n\r\n")
            .starts_with("HTTP/1.1 413")
    );
    let big_head = format!(
        "GET /session HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {}\r\n\r\n",
        "a".repeat(20_000)
    );
    assert!(raw(big_head.as_bytes()).starts_with("HTTP/1.1 431"));
    let big_body = "x".repeat(2 * 1024 * 1024);
    let response = raw(format!(
        "POST /session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\n\r\n{big_body}",
        big_body.len()
    )
    .as_bytes());
    assert!(response.starts_with("HTTP/1.1 413"));
    // Still serving after all of that.
    assert_eq!(api.get("/session").status, 200);
}

#[test]
fn keep_alive_and_concurrency() {
    let server = server();
    // 200 requests over one connection.
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream.set_nodelay(true).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    for _ in 0..200 {
        write!(
            stream,
            "GET /session HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n\r\n"
        )
        .unwrap();
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if let Some(value) = line.strip_prefix("Content-Length: ") {
                length = value.trim().parse().unwrap();
            }
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        assert_eq!(body, b"{\"sessions\":[]}");
    }
    // 64 clients at once, each with its own kept-alive connection, 640 starts into a location
    // that holds 100: exactly 100 succeed and every other one is a 420.
    let threads: Vec<_> = (0..64)
        .map(|i| {
            let api = Api::new(&server);
            std::thread::spawn(move || {
                let (mut started, mut full) = (0, 0);
                for _ in 0..10 {
                    let reply = api.start(json!({"location": "europe", "image": "nginx", "labels": {"t": i.to_string()}}));
                    match reply.status {
                        201 => started += 1,
                        420 => full += 1,
                        other => panic!("start answered {other}: {}", reply.text()),
                    }
                    assert_eq!(api.get("/session?filter[t]=nobody").status, 200);
                }
                (started, full)
            })
        })
        .collect();
    let (started, full) = threads
        .into_iter()
        .map(|t| t.join().expect("no client thread fails"))
        .fold((0, 0), |(s, f), (ts, tf)| (s + ts, f + tf));
    assert_eq!((started, full), (100, 540));
    assert_eq!(Api::new(&server).ids("").len(), 100);
}

#[test]
fn ten_thousand_sessions() {
    let server = server();
    let seeded = server
        .seed(&SeedRequest {
            count: 10_000,
            location: None,
            image: Some("my-game".into()),
            labels: [("mode".to_owned(), "ffa".to_owned())].into(),
            players: 3,
        })
        .unwrap();
    assert_eq!(seeded, 10_000);
    // Seeding holds no ports (europe is now full, so start elsewhere).
    let api = Api::new(&server);
    let started = api.start(json!({"location": "asia", "image": "nginx"}));
    assert_eq!(started.status, 201, "{}", started.text());

    let reply = api.get("/session?location=europe");
    assert_eq!(reply.status, 200);
    assert!(
        reply.body.len() > 4_000_000,
        "several MB: {} bytes",
        reply.body.len()
    );
    let list = reply.json();
    assert_eq!(list["sessions"].as_array().unwrap().len(), 10_000);
    assert_eq!(list["sessions"][9999]["playerCount"], 3);
    Spec::load().check("SessionListOk", &list).unwrap();
}

#[test]
fn faults_apply_as_set_and_reset_clears_them() {
    let server = server();
    let api = Api::new(&server);
    server.add_fault(Fault {
        status: Some(503),
        times: Some(2),
        ..Fault::on("session-list")
    });
    assert_eq!(api.get("/session").status, 503);
    assert_eq!(
        api.get("/available-location/nginx").status,
        200,
        "other operations are untouched"
    );
    assert_eq!(api.get("/session").status, 503);
    assert_eq!(api.get("/session").status, 200, "times counts down");

    server.add_fault(Fault {
        status: Some(502),
        content_type: Some("html".into()),
        times: Some(1),
        ..Fault::on("*")
    });
    let html = api.get("/tag/europe/nginx/latest");
    assert_eq!(
        (html.status, html.content_type.as_str()),
        (502, "text/html; charset=utf-8")
    );
    assert!(html.text().starts_with("<html>"));
    server.add_fault(Fault {
        status: Some(500),
        content_type: Some("text".into()),
        body: Some("boom".into()),
        times: Some(1),
        ..Fault::on("*")
    });
    let text = api.get("/session");
    assert_eq!((text.status, text.text().as_str()), (500, "boom"));

    server.add_fault(Fault {
        delay_ms: Some(50),
        times: Some(1),
        ..Fault::on("session-list")
    });
    assert_eq!(api.get("/session").status, 200);

    server.add_fault(Fault {
        oversize_bytes: Some(1_000_000),
        times: Some(1),
        ..Fault::on("session-list")
    });
    let big = api.get("/session");
    assert!(big.body.len() >= 999_000);
    assert_eq!(big.json()["sessions"], json!([]));

    server.add_fault(Fault {
        malformed_json: true,
        times: Some(1),
        ..Fault::on("session-list")
    });
    assert!(serde_json::from_slice::<Value>(&api.get("/session").body).is_err());

    server.add_fault(Fault {
        bytes_per_second: Some(20_000),
        times: Some(1),
        ..Fault::on("session-list")
    });
    server
        .seed(&SeedRequest {
            count: 5,
            location: None,
            image: None,
            labels: Default::default(),
            players: 0,
        })
        .unwrap();
    assert_eq!(
        api.get("/session").json()["sessions"]
            .as_array()
            .unwrap()
            .len(),
        5,
        "a slow body arrives whole"
    );

    server.add_fault(Fault {
        drop_after_bytes: Some(10),
        times: Some(1),
        ..Fault::on("session-list")
    });
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut dropped = agent
        .get(format!("{}/session", server.url()))
        .header("Authorization", format!("Bearer {TOKEN}"))
        .call()
        .unwrap();
    assert!(
        dropped.body_mut().read_to_vec().is_err(),
        "the body is cut short"
    );

    // A silent close: the response carries no Connection: close, then the socket is gone.
    server.add_fault(Fault {
        close_connection: true,
        times: Some(1),
        ..Fault::on("session-list")
    });
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let request = format!(
        "GET /session HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut everything = String::new();
    let _ = stream.read_to_string(&mut everything);
    assert!(
        everything.starts_with("HTTP/1.1 200") && !everything.contains("Connection: close"),
        "{everything}"
    );

    server.add_fault(Fault {
        status: Some(500),
        ..Fault::on("*")
    });
    server.reset();
    assert_eq!(api.get("/session").status, 200);
    assert!(api.ids("").is_empty(), "reset forgets sessions too");
}

#[test]
fn the_admin_api_over_http() {
    let server = server();
    let api = Api::with_token(&server, None);
    let fault = json!({"operation": "session-list", "status": 503, "times": 1}).to_string();
    assert_eq!(api.send("POST", "/_mock/faults", Some(&fault)).status, 201);
    assert_eq!(Api::new(&server).get("/session").status, 503);
    assert_eq!(
        api.send("POST", "/_mock/faults", Some("{\"nope\":1}"))
            .status,
        422
    );
    assert_eq!(
        api.send("POST", "/_mock/sessions", Some("{\"count\":3}"))
            .json(),
        json!({"count": 3})
    );
    let id = Api::new(&server).ids("")[0].clone();
    assert_eq!(
        api.send(
            "POST",
            &format!("/_mock/sessions/{id}/log"),
            Some("custom line")
        )
        .status,
        204
    );
    assert!(Api::new(&server)
        .get(&format!("/logs?id={id}"))
        .text()
        .contains("custom line"));
    assert_eq!(
        api.send("POST", "/_mock/clock", Some("{\"advance_ms\": 1000}"))
            .status,
        204
    );
    let requests = api.get("/_mock/requests").json();
    assert!(requests["requests"].as_array().unwrap().len() >= 3);
    assert_eq!(
        requests["requests"][0]["headers"]["authorization"],
        "Bearer <redacted>"
    );
    assert_eq!(api.send("DELETE", "/_mock/requests", None).status, 204);
    assert_eq!(api.send("DELETE", "/_mock/faults", None).status, 204);
    assert_eq!(api.send("POST", "/_mock/reset", None).status, 204);
    assert!(Api::new(&server).ids("").is_empty());

    let closed = MockServer::start(MockConfig::with_token(TOKEN)).unwrap();
    assert_eq!(
        Api::with_token(&closed, None)
            .send("POST", "/_mock/reset", None)
            .status,
        404
    );
}

#[test]
fn the_command_line() {
    let binary = env!("CARGO_BIN_EXE_gameye-mock");
    let help = Command::new(binary).arg("--help").output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    for flag in [
        "--port",
        "--token",
        "--catalogue",
        "--quota",
        "--log-interval-ms",
        "--admin",
        "--admin-token",
        "--idle-timeout-ms",
        "--max-connections",
        "--help",
        "/_mock/faults",
    ] {
        assert!(help.contains(flag), "--help documents {flag}");
    }
    let bad = Command::new(binary).arg("--bogus").output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--bogus"));

    let catalogue = support::build_dir().join("catalogue.json");
    let moon = r#"{"locations":[{"id":"moon","ips":["127.0.0.9"]}],
                   "images":[{"id":"g","tags":["v1"],"ports":["9/udp"]}]}"#;
    std::fs::write(&catalogue, moon).unwrap();
    let mut child = Command::new(binary)
        .args(["--port", "0", "--token", "cli", "--catalogue"])
        .arg(&catalogue)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("first line: {first:?}"))
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let reply = agent
        .get(format!("{url}/available-location/g"))
        .header("Authorization", "Bearer cli")
        .call();
    let body = reply.unwrap().into_body().read_to_string().unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({"locations": [{"id": "moon", "ips": ["127.0.0.9"]}]})
    );
}

#[test]
fn the_admin_api_is_off_unless_asked_for_and_can_require_its_own_token() {
    let off = MockServer::start(MockConfig::with_token(TOKEN)).unwrap();
    let reset = |server: &MockServer, token: Option<&str>| {
        Api::with_token(server, token)
            .send("POST", "/_mock/reset", None)
            .status
    };
    // Off by default: the path is just an unknown route of the API.
    assert_eq!(reset(&off, None), 404);
    assert_eq!(reset(&off, Some(TOKEN)), 404);
    let guarded = MockServer::start(MockConfig {
        admin: true,
        admin_token: Some("admin-secret".into()),
        ..MockConfig::with_token(TOKEN)
    })
    .unwrap();
    assert_eq!(reset(&guarded, None), 401);
    assert_eq!(
        reset(&guarded, Some(TOKEN)),
        401,
        "the API token is not the admin token"
    );
    assert_eq!(reset(&guarded, Some("admin-secret")), 204);
}

#[test]
fn admin_inputs_are_bounded() {
    let server = server();
    let admin = Api::with_token(&server, None);
    let refused = |path: &str, body: &str| {
        let reply = admin.send("POST", path, Some(body));
        assert_eq!(reply.status, 422, "{path} {body}: {}", reply.text());
    };
    refused(
        "/_mock/faults",
        r#"{"operation":"session-list","oversize_bytes":4611686018427387904}"#,
    );
    refused("/_mock/faults", r#"{"delay_ms":18446744073709551615}"#);
    refused("/_mock/faults", r#"{"bytes_per_second":0}"#);
    refused("/_mock/faults", r#"{"status":7}"#);
    refused("/_mock/sessions", r#"{"count":1000000000}"#);
    refused("/_mock/sessions", r#"{"count":1,"players":1000000000}"#);
    refused(
        "/_mock/artifact-padding",
        r#"{"bytes":4611686018427387904}"#,
    );
    // Nothing was queued, and the emulator is alive and whole.
    assert_eq!(Api::new(&server).get("/session").status, 200);
    let ok = admin.send(
        "POST",
        "/_mock/faults",
        Some(r#"{"operation":"session-list","oversize_bytes":1000,"times":1}"#),
    );
    assert_eq!(ok.status, 201);
    let padded = Api::new(&server).get("/session");
    assert!(
        padded.body.len() > 900,
        "{} {}",
        padded.status,
        padded.text()
    );
}

/// Sends `raw` on a new connection and reads the answer until the server closes it.
fn exchange(server: &MockServer, raw: &str) -> String {
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let _ = stream.write_all(raw.as_bytes());
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
}

#[test]
fn idle_connections_time_out_and_connections_are_bounded() {
    let server = MockServer::start(MockConfig {
        idle_timeout: Duration::from_millis(300),
        max_connections: 4,
        admin: true,
        ..MockConfig::with_token(TOKEN)
    })
    .unwrap();
    // Four half-open sockets that never send a byte are closed by the server (EOF), not held
    // forever.
    let mut idle: Vec<TcpStream> = (0..4)
        .map(|_| TcpStream::connect(server.addr()).unwrap())
        .collect();
    for socket in &mut idle {
        socket
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut buf = [0u8; 16];
        assert_eq!(
            socket.read(&mut buf).unwrap_or(0),
            0,
            "closed by the server"
        );
    }
    // When every connection is being answered (held by a delay), one more is refused with 503.
    server.add_fault(Fault {
        delay_ms: Some(3000),
        times: Some(4),
        ..Fault::on("session-list")
    });
    let request = format!(
        "GET /session HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n\
         Connection: close\r\n\r\n"
    );
    let busy: Vec<_> = (0..4)
        .map(|_| {
            let (server_addr, request) = (server.addr(), request.clone());
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(server_addr).unwrap();
                stream.write_all(request.as_bytes()).unwrap();
                let mut answer = String::new();
                let _ = stream.read_to_string(&mut answer);
                answer
            })
        })
        .collect();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while server.requests().len() < 4 {
        assert!(
            std::time::Instant::now() < deadline,
            "the four requests arrived"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let answer = exchange(&server, &request);
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    for answer in busy {
        assert!(answer.join().unwrap().starts_with("HTTP/1.1 200"));
    }
}

/// Connections that trickle their requests (or sit idle) cannot keep a legitimate request out:
/// at the limit a new connection replaces the one that waited longest without being answered,
/// and a request that does not arrive whole within its deadline is answered 408.
#[test]
fn a_slow_trickle_gets_no_slot_a_request_needs() {
    let server = MockServer::start(MockConfig {
        max_connections: 4,
        request_timeout: Duration::from_millis(1500),
        ..MockConfig::with_token(TOKEN)
    })
    .unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let tricklers: Vec<_> = (0..16)
        .map(|_| {
            let (addr, stop) = (server.addr(), stop.clone());
            std::thread::spawn(move || {
                let Ok(mut stream) = TcpStream::connect(addr) else {
                    return String::new();
                };
                let _ = stream.set_read_timeout(Some(Duration::from_millis(50)));
                let head = b"GET /session HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
                let mut answer = Vec::new();
                for byte in head.iter().chain(std::iter::repeat(&b'a')).take(400) {
                    if stop.load(std::sync::atomic::Ordering::Relaxed)
                        || stream.write_all(&[*byte]).is_err()
                    {
                        break;
                    }
                    let mut buf = [0u8; 512];
                    match stream.read(&mut buf) {
                        Ok(0) => break, // replaced by another connection
                        Ok(n) => {
                            answer.extend_from_slice(&buf[..n]);
                            break;
                        }
                        Err(_) => {} // nothing yet: trickle on
                    }
                }
                String::from_utf8_lossy(&answer).into_owned()
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let api = Api::new(&server);
    for round in 0..20 {
        let reply = api.get("/session");
        assert_eq!(reply.status, 200, "round {round}: {}", reply.text());
    }
    // A trickler that kept its slot long enough was told why it lost it.
    std::thread::sleep(Duration::from_millis(1800));
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let answers: Vec<String> = tricklers.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(
        answers
            .iter()
            .all(|a| a.is_empty() || a.starts_with("HTTP/1.1 408")),
        "{answers:?}"
    );
}

/// A web page that rebinds its own name to 127.0.0.1 (DNS rebinding) sends its name as Host:
/// refused, so a browser cannot drive an emulator started without a token.
#[test]
fn only_requests_for_this_address_are_served() {
    let server = MockServer::start(MockConfig {
        tokens: Vec::new(),
        admin: true,
        ..MockConfig::default()
    })
    .unwrap();
    let port = server.addr().port();
    let ask = |host: &str| {
        exchange(
            &server,
            &format!(
                "POST /_mock/reset HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\n\
                 Connection: close\r\n\r\n"
            ),
        )
    };
    for refused in [
        "evil.example".to_owned(),
        format!("evil.example:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        format!("127.0.0.1.evil.example:{port}"),
    ] {
        let answer = ask(&refused);
        assert!(answer.starts_with("HTTP/1.1 421"), "{refused}: {answer}");
    }
    for served in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "127.0.0.1".to_owned(),
        "LOCALHOST".to_owned(),
    ] {
        let answer = ask(&served);
        assert!(answer.starts_with("HTTP/1.1 204"), "{served}: {answer}");
    }
}

#[test]
fn requests_the_spec_allows_are_served() {
    let server = server();
    let api = Api::new(&server);
    // playerCount is an open deepObject: keys other than lt and gt filter nothing.
    assert_eq!(api.get("/session?playerCount%5Beq%5D=3").status, 200);
    assert_eq!(
        api.get("/session?playerCount[lt]=3&playerCount[max]=9")
            .status,
        200
    );
    // An artifact path only has to be non-empty.
    let id = api.start_ok(json!({"location": "europe", "image": "nginx"}));
    assert_eq!(
        api.send("DELETE", &format!("/session/{id}"), None).status,
        204
    );
    let reply = api.get(&format!("/artifacts?session={id}&path=var/log"));
    assert_eq!(reply.status, 200, "{}", reply.text());
}

#[test]
fn percent_decoding_is_strict() {
    let server = server();
    let api = Api::new(&server);
    assert_eq!(api.get("/session/%+1").status, 400);
    assert_eq!(api.get("/session/%-1").status, 400);
    assert_eq!(api.get("/session?location=%+1").status, 400);
    assert_eq!(
        api.get("/session/%41").status,
        404,
        "a real escape still decodes"
    );
}

#[test]
fn the_emulator_honours_accept() {
    let server = server();
    let api = Api::new(&server);
    let id = api.start_ok(json!({"location": "europe", "image": "nginx"}));
    let logs = format!("/logs?id={id}");
    let with = |path: &str, accept: &str| {
        api.send_with("GET", path, None, &[("Accept", accept)])
            .status
    };
    assert_eq!(with(&logs, "application/json"), 406);
    assert_eq!(with(&logs, "text/plain"), 200);
    assert_eq!(with(&logs, "text/*"), 200);
    assert_eq!(with(&logs, "*/*"), 200);
    assert_eq!(with(&logs, "text/plain;q=0, application/json"), 406);
    assert_eq!(with("/session", "application/json"), 200);
    assert_eq!(with("/session", "text/plain"), 406);
    // Errors are JSON whatever was asked for.
    let reply = api.send_with("GET", "/session/nope", None, &[("Accept", "text/plain")]);
    assert_eq!(reply.status, 404);
}
